"""Concerns now live in their own app (concerns.0001_initial takes over the same tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0005_concern_reminder_schedule"),
        ("concerns", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ConcernAction"),
                migrations.DeleteModel(name="Concern"),
            ],
            database_operations=[],
        ),
    ]
