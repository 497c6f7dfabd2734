"""Settings come from the environment. Each case starts a fresh interpreter, because Django reads
its settings once per process."""

import json

import pytest

from tests import fresh_process

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "BROKER": settings.CELERY_BROKER_URL,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
    "SITE_URL": settings.SITE_URL,
    "TIME_ZONE": settings.TIME_ZONE,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "USE_TZ": settings.USE_TZ,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
}))
"""

CLEARED = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "PORT",
    "PORTAL_PORT",
    "HTTPS",
    "SESSION_INACTIVITY_HOURS",
    "ADMINS",
    "SENTRY_DSN",
    "CACHE_URL",
)


def run_python(code: str, **environment):
    env = fresh_process.environment(without=CLEARED, **environment)
    return fresh_process.run_python(["-c", code], env=env)


def read_settings(**environment):
    return run_python("import django; django.setup()\n" + PROBE, **environment)


def test_defaults_need_no_server():
    result = read_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"].endswith("var/db.sqlite3")
    assert values["BROKER"] == "filesystem://"
    # Development: one line per email, the message itself in var/emails/.
    assert values["EMAIL_BACKEND"] == "redbridge_portal.dev_console.SummaryEmailBackend"
    assert values["TIME_ZONE"] == "Europe/London"
    assert values["LANGUAGE_CODE"] == "en-gb"
    assert values["USE_TZ"] is True
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600


# A deployment's environment, every setting given.
DEPLOYED = {
    "SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://portal:pw@db.internal:5432/portal",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/1",
    "ALLOWED_HOSTS": "portal.redbridge.example,localhost",
    "EMAIL_URL": "smtp+tls://mailer:pw@smtp.internal:587",
    "DEFAULT_FROM_EMAIL": "portal@redbridge.example",
    "SITE_URL": "https://portal.redbridge.example/",
    "HTTPS": "true",
    "SESSION_INACTIVITY_HOURS": "2",
}


def test_every_setting_is_read_from_the_environment():
    result = read_settings(**DEPLOYED)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "portal"
    assert values["BROKER"] == "redis://cache.internal:6379/1"
    assert values["ALLOWED_HOSTS"] == ["portal.redbridge.example", "localhost"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["DEFAULT_FROM_EMAIL"] == "portal@redbridge.example"
    assert values["SITE_URL"] == "https://portal.redbridge.example"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_AGE"] == 2 * 3600


START_WEB = "import redbridge_portal.wsgi"
START_WORKER = (
    "import django; django.setup()\n"
    "from celery import signals\n"
    "signals.worker_init.send(sender=None)"
)
START_BEAT = (
    "import django; django.setup()\nfrom celery import signals\nsignals.beat_init.send(sender=None)"
)


@pytest.mark.parametrize("debug", ["false", ""])
@pytest.mark.parametrize("start", [START_WEB, START_WORKER, START_BEAT])
def test_a_secret_key_is_required_to_serve_when_debug_is_off(debug, start):
    environment = {"DEBUG": debug} if debug else {}
    refused = run_python(start, **environment)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    started = run_python(start, SECRET_KEY="x" * 50, **environment)
    assert started.returncode == 0, started.stderr


def test_commands_that_need_no_key_run_without_one():
    """A fresh checkout can check its migrations before anything is configured."""
    result = run_python(
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('makemigrations', check=True, dry_run=True, verbosity=0)"
    )
    assert result.returncode == 0, result.stderr
    signing = run_python(
        "import django; django.setup()\nfrom django.core import signing\nsigning.dumps('x')"
    )
    assert signing.returncode != 0
    assert "SECRET_KEY" in signing.stderr


DEPLOY_CHECK = (
    "import django; django.setup()\n"
    "from django.core.management import call_command\n"
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def test_with_debug_off_https_is_on_and_the_deploy_check_is_clean_with_two_settings():
    """A deployment that sets only its key and host name is secure: HTTPS redirect, HSTS,
    secure cookies. Turning HTTPS off has to be said, and the check then says what it costs."""
    key = "k" * 20 + "Q7#x" * 10
    result = run_python(DEPLOY_CHECK, SECRET_KEY=key, ALLOWED_HOSTS="portal.redbridge.example")
    assert result.returncode == 0, result.stderr
    values = json.loads(read_settings(SECRET_KEY=key).stdout)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True

    insecure = run_python(
        DEPLOY_CHECK, SECRET_KEY=key, ALLOWED_HOSTS="portal.redbridge.example", HTTPS="false"
    )
    assert insecure.returncode != 0
    assert "security.W008" in insecure.stderr  # no redirect to HTTPS
    assert "security.W004" in insecure.stderr  # no HSTS


def test_server_errors_are_mailed_to_the_admins_from_the_environment():
    result = run_python(
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.ADMINS))",
        DEBUG="true",
        ADMINS="IT Support <it@redbridge.example>,head@redbridge.example",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        ["IT Support", "it@redbridge.example"],
        ["", "head@redbridge.example"],
    ]


def test_sentry_reports_errors_from_django_and_celery_and_watches_beat_when_configured():
    probe = (
        "import django, json; django.setup()\n"
        "import sentry_sdk\n"
        "client = sentry_sdk.get_client()\n"
        "print(json.dumps({'active': client.is_active(),"
        " 'integrations': sorted(client.integrations),"
        " 'beat': client.integrations.get('celery') is not None"
        " and client.integrations['celery'].monitor_beat_tasks}))"
    )
    off = run_python(probe, DEBUG="true")
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout)["active"] is False
    on = run_python(probe, DEBUG="true", SENTRY_DSN="https://public@sentry.invalid/1")
    assert on.returncode == 0, on.stderr
    values = json.loads(on.stdout)
    assert values["active"] is True
    assert {"django", "celery"} <= set(values["integrations"])
    assert values["beat"] is True


def test_emails_link_to_the_port_the_portal_runs_on():
    def site_url(**environment):
        result = read_settings(DEBUG="true", **environment)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["SITE_URL"]

    assert site_url() == "http://localhost:8000"
    assert site_url(PORT="8001") == "http://localhost:8001"
    # `make run` sets PORTAL_PORT for every process; the worker's own PORT does not count.
    assert site_url(PORTAL_PORT="8001", PORT="8101") == "http://localhost:8001"
    assert site_url(PORTAL_PORT="8001", SITE_URL="https://portal.example/") == (
        "https://portal.example"
    )
