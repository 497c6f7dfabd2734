import json

import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    answer = json.loads(response.content)
    # A Redis cache is reported too, when there is one (CACHE_URL); it never fails the check.
    answer.pop("cache", None)
    assert answer == {"database": "ok", "broker": "ok", "status": "ok"}


@pytest.mark.django_db
def test_healthz_names_an_unreachable_broker(client, monkeypatch):
    from redbridge_portal.celery import app

    unreachable = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    # Celery prefers the environment variable over its configuration, so set both.
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    monkeypatch.setitem(app.conf, "broker_url", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["broker"] == "unreachable"
    assert body["database"] == "ok"
    assert body["status"] == "unavailable: broker (Redis)"


@pytest.mark.django_db
def test_healthz_names_an_unreachable_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"
