"""Security headers on every page, a strict Content Security Policy that no template breaks, and
Django's deployment checks with production settings."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import fresh_process
from tests.urlwalk import all_routes

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((BASE_DIR / "templates").rglob("*.html"))

# A <script> must load a file. Django's json_script (type="application/json") is data the
# browser never runs, so the policy allows it.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json[\"'])[^>]*>", re.IGNORECASE
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def assert_no_inline_code(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> in {where}"
    assert not INLINE_STYLE.search(html), f"inline style in {where}"
    assert not EVENT_HANDLER.search(html), f"inline event handler in {where}"
    assert not JAVASCRIPT_URL.search(html), f"javascript: URL in {where}"


def assert_security_headers(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"no Content-Security-Policy on {where}"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, where
    assert "script-src 'self'" in csp, where
    assert "style-src 'self'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_template_has_inline_script_or_style(path):
    assert_no_inline_code(path.read_text(encoding="utf-8"), str(path.relative_to(BASE_DIR)))


def test_the_checks_would_catch_inline_code():
    for bad in (
        "<script>alert(1)</script>",
        '<div style="color:red">',
        "<style>p{}</style>",
        '<a href="#" onclick="go()">',
        '<a href="javascript:go()">',
    ):
        with pytest.raises(AssertionError):
            assert_no_inline_code(bad, "sample")
    assert_no_inline_code('<script src="/static/js/portal.js"></script>', "sample")
    assert_no_inline_code('<script id="d" type="application/json">{"a": 1}</script>', "sample")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff", "policy_admin"])
def test_every_page_sends_the_security_headers(client, who, staff_user, policy_admin):
    if who != "anonymous":
        client.force_login(staff_user if who == "staff" else policy_admin)
    for route in all_routes():
        url = route.sample_url()
        response = client.get(url)
        assert_security_headers(response, f"{url} as {who} ({response.status_code})")
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert_no_inline_code(response.content.decode(), url)


@pytest.mark.django_db
def test_error_pages_send_the_headers_too(client, staff_user):
    client.force_login(staff_user)
    assert_security_headers(client.get("/no-such-page/"), "404")
    assert_security_headers(client.get("/audit/"), "403")


def test_session_and_csrf_cookies_are_httponly():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "true",
    "SECRET_KEY": "production-like-" + "k3y" * 20,
    "ALLOWED_HOSTS": "portal.example",
    "SITE_URL": "https://portal.example",
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
}


def run_with(environment, code):
    # The test run sets these itself.
    env = fresh_process.environment(
        without={"DEBUG", "HTTPS", "TWO_FACTOR_REQUIRED"}, **environment
    )
    return fresh_process.run_python(code, env=env, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = run_with(PRODUCTION, ["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_transport_security():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.TWO_FACTOR_REQUIRED]))"
    )
    result = run_with(PRODUCTION, ["-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[true, true, true, 31536000, ["HTTP_X_FORWARDED_PROTO", "https"], true]'
    )
