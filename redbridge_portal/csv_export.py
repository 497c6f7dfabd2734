"""Lists downloaded as CSV (the audit log, the published log, who has acknowledged the policy):
streamed row by row, so a long list costs constant memory, with every cell made safe to open in
a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel and its kin (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The text of a cell, with a leading apostrophe where it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer writes each row here and gets the line back, ready to stream."""

    def write(self, value: str) -> str:
        return value


def csv_download(header: list[str], rows: Iterable[Iterable], *, filename: str):
    """A CSV file of `header` then `rows` (evaluated lazily, as the file is sent)."""
    writer = csv.writer(_Line())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(safe_cell(value) for value in row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
