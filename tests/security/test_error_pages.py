"""Error pages in plain English that say what to do next."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from redbridge_portal import views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/school-calendar/", 403, "You cannot use this page"),
    ],
    ids=["not found", "forbidden"],
)
def test_error_pages_say_what_happened_and_what_to_do_next(staff_client, path, status, title):
    response = staff_client.get(path)
    assert response.status_code == status
    page = response.content.decode()
    assert title in page
    assert "What to do next" in page


def test_page_not_found_for_someone_not_signed_in(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    # Django's server_error view renders 500.html with an empty context.
    page = render_to_string("500.html")
    assert "Sorry, something went wrong" in page
    assert "What to do next" in page


def test_bad_request_page(staff_user):
    request = RequestFactory().get("/")
    request.user = staff_user
    from django.views.defaults import bad_request

    response = bad_request(request, exception=None)
    assert response.status_code == 400
    assert "Something was wrong with that request" in response.content.decode()


def test_handler403_records_and_renders(staff_user):
    request = RequestFactory().post("/somewhere/")
    request.user = staff_user
    response = views.permission_denied(request)
    assert response.status_code == 403


def test_a_database_outage_is_a_try_again_page_not_a_server_error(staff_user, monkeypatch):
    from django.db import OperationalError, connection
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    def unreachable(*args, **kwargs):
        # What Django raises when the server cannot be reached (it wraps the driver's error).
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Try again in a minute" in page
    assert "Sorry, something went wrong" not in page


def test_other_server_errors_keep_the_general_page(staff_user, monkeypatch):
    from django.test import Client

    from redbridge_portal import views as portal_views

    def broken(self, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(portal_views.HomeView, "get_context_data", broken)
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
