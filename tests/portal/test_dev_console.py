"""The development console: one line per refused request, emails summarised with their bodies
saved to a file."""

import logging

import pytest
from django.core import mail
from django.core.mail import get_connection

from redbridge_portal.dev_console import OneLineForRefusedRequests, SummaryEmailBackend


def _record(status):
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden: /x/", (), sys.exc_info()
        )
    record.status_code = status
    return record


def test_a_refused_request_is_one_line_and_a_server_error_keeps_its_traceback():
    handler_filter = OneLineForRefusedRequests()
    formatter = logging.Formatter("%(message)s")
    refused = _record(403)
    assert handler_filter.filter(refused)
    assert formatter.format(refused) == "Forbidden: /x/"
    broken = _record(500)
    assert handler_filter.filter(broken)
    assert "Traceback" in formatter.format(broken)


def test_emails_are_summarised_and_saved_under_var(tmp_path, settings, caplog):
    connection = get_connection(
        "redbridge_portal.dev_console.SummaryEmailBackend", file_path=tmp_path
    )
    assert isinstance(connection, SummaryEmailBackend)
    message = mail.EmailMessage(
        "A post is waiting for a decision",
        "A long body\n" * 50,
        "portal@redbridge.example",
        ["priya@redbridge.example"],
        connection=connection,
    )
    with caplog.at_level(logging.INFO, logger="redbridge_portal.email"):
        assert message.send() == 1
    (saved,) = tmp_path.iterdir()
    assert b"A long body" in saved.read_bytes()
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("Email to priya@redbridge.example: A post is waiting for a decision")
    assert "A long body" not in line


@pytest.mark.parametrize("empty", [[]])
def test_sending_nothing_sends_nothing(tmp_path, empty):
    assert SummaryEmailBackend(file_path=tmp_path).send_messages(empty) == 0
