"""The concern reminder task moved with concerns: beat's stored schedule names the new task."""

from django.db import migrations

OLD, NEW = "approvals.tasks.send_concern_reminders", "concerns.tasks.send_concern_reminders"


def rename(apps, old, new):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=old).update(task=new)


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0001_initial"),
        ("approvals", "0005_concern_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: rename(apps, OLD, NEW),
            lambda apps, schema_editor: rename(apps, NEW, OLD),
        )
    ]
