"""A readable development console (`make run`).

- A refused request (403, 404, 400) is one line: Django logs it with the exception's traceback,
  which on a busy console buries what matters. Server errors (5xx) keep their traceback.
- Emails are summarised on one line each ("Email to …: subject"), with the whole message saved
  as a file under var/emails/ to open when needed, instead of every body printed in full.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

logger = logging.getLogger("redbridge_portal.email")


class OneLineForRefusedRequests(logging.Filter):
    """Drop the traceback from django.request's records of 4xx responses."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class SummaryEmailBackend(BaseEmailBackend):
    """Logs one line per email and saves the full message under `EMAIL_FILE_PATH`
    (var/emails/ by default)."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        folder = file_path or getattr(settings, "EMAIL_FILE_PATH", None)
        self.folder = Path(folder or Path(settings.BASE_DIR) / "var" / "emails")

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            slug = re.sub(r"[^a-z0-9]+", "-", message.subject.lower()).strip("-")[:60]
            path = self.folder / f"{stamp}-{slug or 'email'}.eml"
            path.write_bytes(message.message().as_bytes())
            logger.info(
                "Email to %s: %s (saved to %s)",
                ", ".join(message.recipients()),
                message.subject,
                path.relative_to(settings.BASE_DIR)
                if path.is_relative_to(settings.BASE_DIR)
                else path,
            )
            sent += 1
        return sent
