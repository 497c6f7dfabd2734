"""A real OpenID Connect provider for the single sign-on tests, and the portal configured for it.

The provider is tests/oidc_provider/provider.mjs (the `oidc-provider` package on Node), started
on a free port of 127.0.0.1. Its dependencies are installed with `npm ci` in that folder
(.ci/run does it). Without Node, or without them, these tests are skipped with the reason,
unless E2E_REQUIRED is set (as in CI), when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import environ
import pytest

from people import sso_config
from tests.factories import TEST_PASSWORD

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
CLIENT_ID = "redbridge-portal"
CLIENT_SECRET = "redbridge-portal-test-secret"
SCHOOL_DOMAIN = "redbridge.example"
CALLBACK_PATH = f"/accounts/oidc/{sso_config.OIDC_PROVIDER_ID}/login/callback/"


def _unavailable(reason: str):
    if os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"E2E_REQUIRED is set but {reason}", pytrace=False)
    pytest.skip(
        f"Single sign-on tests skipped: {reason}. Install Node.js, then run `npm ci` in "
        "tests/oidc_provider; CI sets E2E_REQUIRED=true so there they always run."
    )


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen

    @property
    def origin(self) -> str:
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"


def start_provider(redirect_uris: list[str]) -> RunningProvider:
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js (`node`) is not installed")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        _unavailable(
            "the test provider's packages are not installed (`npm ci` in tests/oidc_provider)"
        )
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_PASSWORD": TEST_PASSWORD,
        "NODE_NO_WARNINGS": "1",
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    issuer = None
    ready = threading.Event()

    def read_first_line():
        nonlocal issuer
        for line in process.stdout:
            if line.startswith("ISSUER "):
                issuer = line.split()[1]
                ready.set()
                return

    threading.Thread(target=read_first_line, daemon=True).start()
    if not ready.wait(20):
        process.kill()
        stderr = process.stderr.read() if process.stderr else ""
        pytest.fail(f"The test OpenID Connect provider did not start:\n{stderr}")
    return RunningProvider(issuer=issuer, process=process)


def stop_provider(provider: RunningProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        provider.process.kill()


def sso_settings_from_env(monkeypatch, **values: str) -> dict:
    """The settings people.sso_config makes from an environment whose only SSO_* variables are
    `values`, for this test only."""
    for key in list(os.environ):
        if key.startswith("SSO_"):
            monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return sso_config.sso_settings(environ.Env())


def use_provider(settings, provider: RunningProvider, monkeypatch, **extra_env) -> None:
    """Configure the portal for `provider` exactly as the environment would (SSO_* variables
    read by people.sso_config), for this test only."""
    values = {
        "SSO_PROVIDER": "oidc",
        "SSO_SERVER_URL": provider.issuer,
        "SSO_CLIENT_ID": CLIENT_ID,
        "SSO_CLIENT_SECRET": CLIENT_SECRET,
        "SSO_ALLOWED_DOMAINS": SCHOOL_DOMAIN,
        "SSO_BUTTON_LABEL": "Sign in with your school account",
        **extra_env,
    }
    for key, value in sso_settings_from_env(monkeypatch, **values).items():
        setattr(settings, key, value)
    csp = {**settings.CONTENT_SECURITY_POLICY}
    directives = {**csp["DIRECTIVES"]}
    directives["form-action"] = ["'self'", *settings.SSO_FORM_ACTION_ORIGINS]
    settings.CONTENT_SECURITY_POLICY = {**csp, "DIRECTIVES": directives}


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider, for the Django test client (its host is "testserver")."""
    provider = start_provider([f"http://testserver{CALLBACK_PATH}"])
    yield provider
    stop_provider(provider)


@pytest.fixture
def sso(settings, oidc_provider, monkeypatch):
    use_provider(settings, oidc_provider, monkeypatch)
    return oidc_provider
