"""Signing in through the test provider without a browser: the Django test client plays the
portal's side, a `requests` session plays the person's browser at the provider (its own login
page, posted as a person would). Every step is the real protocol."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import requests

from people import sso_config
from tests.factories import TEST_PASSWORD

LOGIN_PATH = f"/accounts/oidc/{sso_config.OIDC_PROVIDER_ID}/login/"


def sign_in_at_provider(client, email: str, *, password: str = TEST_PASSWORD, mfa=False):
    """Start at the portal's SSO button, sign in on the provider's page, and return the
    portal's response to the provider's redirect back (the callback)."""
    start = client.post(LOGIN_PATH)
    assert start.status_code == 302, start
    location = start["Location"]
    browser = requests.Session()
    for _ in range(20):
        parts = urlsplit(location)
        if parts.hostname == "testserver":
            return client.get(f"{parts.path}?{parts.query}")
        response = browser.get(location, allow_redirects=False, timeout=10)
        if response.is_redirect:
            location = urljoin(location, response.headers["Location"])
            continue
        assert response.status_code == 200, response.text
        action = re.search(r'<form method="post" action="([^"]+)"', response.text)
        assert action, response.text
        form = {"email": email, "password": password}
        if mfa:
            form["mfa"] = "yes"
        posted = browser.post(
            urljoin(location, action.group(1)), data=form, allow_redirects=False, timeout=10
        )
        assert posted.is_redirect, posted.text
        location = urljoin(location, posted.headers["Location"])
    raise AssertionError("The provider never sent the browser back to the portal.")
