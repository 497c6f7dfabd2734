"""A cap on the size of a request body that carries files.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts everything in a request except uploaded files, and
its upload handlers write any file to a temporary file on disk whatever its size. This handler
comes first, so a body larger than REQUEST_BODY_MAX_BYTES is refused (a 400 page) before a byte
of it is stored; the proxy in front should refuse it even earlier (README, "Deploying").
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestBodyLimitHandler(FileUploadHandler):
    """Refuses a multipart body over the limit: by its declared length before parsing, and by
    the bytes actually received while parsing (a body may be longer than it declares)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    @property
    def limit(self) -> int:
        return settings.REQUEST_BODY_MAX_BYTES

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit:
            raise RequestDataTooBig(
                f"Request body of {content_length} bytes is over the limit of {self.limit}."
            )
        return None  # let the other handlers parse it

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig(f"Uploaded files exceed the limit of {self.limit} bytes.")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler stores the file
