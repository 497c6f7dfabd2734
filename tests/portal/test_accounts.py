import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, StaffFactory, change_password

pytestmark = pytest.mark.django_db


def test_staff_sign_in_with_their_school_email_in_any_case(client):
    user = StaffFactory(email="sam.patel@redbridge.example")
    response = client.post(
        reverse("login"),
        {"username": "Sam.Patel@Redbridge.example", "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_redisplays_the_form_with_a_clear_message(client):
    StaffFactory(email="sam.patel@redbridge.example")
    response = client.post(
        reverse("login"), {"username": "sam.patel@redbridge.example", "password": "nope"}
    )
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_sign_in_gives_a_new_session_key(client):
    StaffFactory(email="sam.patel@redbridge.example")
    client.get(reverse("login"))
    session = client.session
    session["probe"] = "before"
    session.save()
    before = session.session_key
    client.post(
        reverse("login"), {"username": "sam.patel@redbridge.example", "password": TEST_PASSWORD}
    )
    assert client.session.session_key != before


def test_sign_out_ends_the_session(client):
    client.force_login(StaffFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_emails_a_link_that_works(client):
    user = StaffFactory(email="jo@redbridge.example")
    client.post(reverse("password_reset"), {"email": "jo@redbridge.example"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-much-better-passphrase", "new_password2": "a-much-better-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-much-better-passphrase")


def test_password_change_refuses_a_common_password(client):
    user = StaffFactory()
    client.force_login(user)
    response = change_password(client, "password123")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
