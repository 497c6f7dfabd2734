"""Concerns have their own home (/concerns/): old addresses under /posts/concerns/ still lead
there, and a person's concerns are part of their personal data."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from concerns import selectors
from concerns import services as concerns
from redbridge_portal import services as portal_services


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_old_addresses_lead_to_the_same_page(staff_user):
    concern, _created = concerns.concern_raise(
        actor=staff_user, description="A parent posted a photo.", urgency="today"
    )
    client = client_for(staff_user)
    for old, new in [
        ("/posts/concerns/", reverse("concerns:list")),
        ("/posts/concerns/new/?from=email", reverse("concerns:create") + "?from=email"),
        (f"/posts/concerns/{concern.pk}/", concern.get_absolute_url()),
    ]:
        response = client.get(old)
        assert response.status_code == 308 and response["Location"] == new
        assert client.get(new).status_code == 200
    # A form posted to an old address keeps its method on the way.
    moved = client.post(f"/posts/concerns/{concern.pk}/take/")
    assert moved.status_code == 308
    assert moved["Location"] == reverse("concerns:take", args=[concern.pk])


def test_a_persons_concerns_are_in_their_personal_data(staff_user, senior_user, policy_admin):
    raised, _created = concerns.concern_raise(
        actor=staff_user, description="Someone shared a pupil's photo.", urgency="urgent"
    )
    concerns.concern_take(actor=senior_user, concern=raised)
    concerns.concern_add_action(actor=senior_user, concern=raised, body="Asked for removal.")
    reporter = selectors.personal_data(staff_user)
    assert [c["id"] for c in reporter["concerns_raised"]] == [raised.pk]
    assert reporter["concerns_raised"][0]["description"] == "Someone shared a pupil's photo."
    assert reporter["concerns_dealt_with"] == []
    handler = selectors.personal_data(senior_user)
    assert [c["id"] for c in handler["concerns_dealt_with"]] == [raised.pk]
    assert handler["concern_actions_recorded"][0]["what_was_done"] == "Asked for removal."
    export = portal_services.personal_data_export(actor=policy_admin, user=staff_user)
    assert "concerns" in export and export["concerns"]["concerns_raised"]
