"""Every page except the sign-in pages asks an anonymous visitor to sign in first. The test walks
the URLconf, so a page added later is covered without anyone remembering to add it here."""

import pytest

from tests.urlwalk import all_routes

PUBLIC_ROUTES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accessibility",
    "healthz",
    "admin:login",
    "admin/login/",
}
# Signing in with the school account starts and ends here: open to anyone, and 404 unless the
# deployment uses that provider (tests/people/test_sso.py goes through them).
SSO_ROUTES = {
    "microsoft_login",
    "microsoft_callback",
    "google_login",
    "google_callback",
    "openid_connect_login",
    "openid_connect_callback",
}

ROUTES = [route for route in all_routes() if route.name not in PUBLIC_ROUTES | SSO_ROUTES]


def test_the_walk_finds_the_pages():
    names = {route.name for route in all_routes()}
    assert {"home", "login", "password_change", "admin:index"} <= names
    assert len(ROUTES) > 10


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_anonymous_visitor_is_sent_to_sign_in(client, route):
    url = route.sample_url()
    response = client.get(url)
    assert response.status_code == 302, f"{url} answered {response.status_code}"
    location = response["Location"]
    if route.name.startswith("admin:"):
        # Some admin views send people to the admin's sign-in address, which forwards to the
        # portal's (tested below).
        assert location.startswith(("/admin/login/?next=", "/accounts/login/?next="))
    else:
        assert location.startswith("/accounts/login/?next=")


def test_the_admin_sign_in_page_forwards_to_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(PUBLIC_ROUTES - {"healthz"}))
def test_sign_in_pages_are_open(client, route):
    sample = next(r for r in all_routes() if r.name == route)
    response = client.get(sample.sample_url(), follow=True)
    assert response.status_code == 200
