"""Email is delivered at least once, and a duplicate is bounded and recognisable.

A worker process is killed while the mail server has the message but has not yet answered
(the moment that used to send the notification twice). A real SMTP server (aiosmtpd) holds its
answer to the first message; the worker process, a fresh interpreter on its own SQLite file, is
killed with SIGKILL meanwhile. Then: a retry straight away sends nothing (the attempt was
recorded before sending, and the notification is claimed), and the retry after the claim lapses
sends it again with the same Message-ID.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from email import message_from_bytes

import pytest

from tests import fresh_process

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from redbridge_portal import services
from redbridge_portal.models import User
user = User.objects.create_user(email="priya.shah@redbridge.example", first_name="Priya")
(notification,) = services.notify(
    recipients=[user], kind="post_submitted", subject="A post waits for you", message="Hello"
)
print(notification.pk)
"""

WORKER = """
import sys
import django
django.setup()
if "--later" in sys.argv:
    # As the outbox sweep would, once the claim of the killed worker has lapsed.
    import datetime
    import time_machine
    time_machine.travel(
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5), tick=True
    ).start()
from redbridge_portal.tasks import send_notification_emails
print(send_notification_emails([int(sys.argv[1])]))
"""

STATE = """
import json, sys
import django
django.setup()
from redbridge_portal.models import Notification
n = Notification.objects.get(pk=int(sys.argv[1]))
print(json.dumps({"status": n.email_status, "attempts": n.email_attempts}))
"""


class HoldingSink:
    """Accepts every message; holds its answer to the first until released."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.original_content or envelope.content)
        if len(self.messages) == 1:
            self.first_arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sink():
    handler = HoldingSink()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


# The worker's settings apart from its database file and mail server: no broker (the test calls
# the task itself) and production's DEBUG off.
WORKER_SETTINGS = {
    "CELERY_BROKER_URL": "memory://",
    "CACHE_URL": "locmemcache://",
    "EMAIL_TIMEOUT": "30",
    "SITE_URL": "https://portal.redbridge.example",
    "SECRET_KEY": "tests-only-secret-key-not-for-production-0123456789",
    "DEBUG": "false",
    "HTTPS": "false",
    "LOG_LEVEL": "ERROR",
}


def environment(tmp_path, smtp_port):
    return fresh_process.environment(
        without={"DATABASE_", "CELERY_"},
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        **WORKER_SETTINGS,
    )


def python(code, *args, env, timeout=120):
    result = fresh_process.run_python(["-c", code, *args], env=env, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_worker_killed_mid_send_gives_at_most_a_recognisable_duplicate(tmp_path, sink):
    import json

    handler, port = sink
    env = environment(tmp_path, port)
    notification_id = python(SETUP, env=env)

    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, notification_id],
        cwd=fresh_process.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert handler.first_arrived.wait(60), "the worker never reached the mail server"
        os.kill(worker.pid, signal.SIGKILL)  # the mail server has it; its answer is pending
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        handler.release.set()
    assert json.loads(python(STATE, notification_id, env=env)) == {
        "status": "pending",
        "attempts": 1,  # recorded before sending, so the killed attempt counts
    }

    # A redelivered task straight away (acks_late) finds it claimed and sends nothing.
    assert python(WORKER, notification_id, env=env) == "0"
    assert len(handler.messages) == 1

    # Once the claim lapses, the retry sends it again: at least once.
    assert python(WORKER, notification_id, "--later", env=env) == "1"
    assert len(handler.messages) == 2
    first, second = (message_from_bytes(raw) for raw in handler.messages)
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"] == f"<notification-{notification_id}@portal.redbridge.example>"
    assert json.loads(python(STATE, notification_id, env=env)) == {
        "status": "sent",
        "attempts": 2,
    }
