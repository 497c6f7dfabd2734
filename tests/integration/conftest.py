from redbridge_portal.celery import app


def send_tasks_to(monkeypatch, broker_url: str) -> None:
    """Celery really sends tasks to `broker_url` (they no longer run in this process), over
    connections opened for it, until the test ends."""
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    monkeypatch.setitem(app.conf, "broker_url", broker_url)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    # A fresh producer pool, so no connection opened earlier to another broker is reused.
    # Celery has no public way to drop the project app's pools: `app.close()` also deregisters
    # the app, after which shared tasks are no longer found. monkeypatch puts them back.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
