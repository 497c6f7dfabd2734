import pytest
from django_celery_beat.models import PeriodicTask

from redbridge_portal.celery import app

pytestmark = pytest.mark.django_db


def test_the_default_schedule_is_in_the_database_and_names_real_tasks():
    app.loader.import_default_modules()
    scheduled = {task.name: task for task in PeriodicTask.objects.all()}
    assert set(scheduled) >= {
        "Send waiting notification emails",
        "Remind about posts waiting for a decision",
        "Daily summary for the senior team",
        "Annual policy review reminders",
    }
    for periodic in scheduled.values():
        assert periodic.enabled
        assert periodic.task in app.tasks, f"{periodic.name}: no task {periodic.task}"
    assert scheduled["Remind about posts waiting for a decision"].interval.every == 15
    digest = scheduled["Daily summary for the senior team"].crontab
    assert (digest.hour, digest.minute, digest.day_of_week) == ("7", "30", "1-5")
    assert str(digest.timezone) == "Europe/London"
