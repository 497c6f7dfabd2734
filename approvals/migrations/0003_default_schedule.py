"""The periodic tasks' default schedule, kept in the database by django-celery-beat so that an
administrator can see and change it in the admin (Periodic tasks). Existing rows are left as an
administrator set them."""

from django.db import migrations

# (name shown in the admin, task, schedule, description)
EVERY_MINUTES = [
    (
        "Send waiting notification emails",
        "redbridge_portal.tasks.sweep_notification_outbox",
        5,
        "Emails notifications still waiting, for example after the broker or the mail server "
        "was down.",
    ),
    (
        "Remind about posts waiting for a decision",
        "approvals.tasks.send_post_reminders",
        15,
        "Reminders, overdue escalations, urgent reminders and reminders to authors.",
    ),
]
DAILY = [
    (
        "Daily summary for the senior team",
        "approvals.tasks.send_daily_digests",
        {"minute": "30", "hour": "7", "day_of_week": "1-5"},
        "Each school-day morning, what waits for each senior-team member's decision.",
    ),
    (
        "Annual policy review reminders",
        "policy.tasks.send_review_reminders",
        {"minute": "0", "hour": "7", "day_of_week": "*"},
        "60, 30 and 7 days before the review is due, on the day, and weekly while overdue.",
    ),
]


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes, description in EVERY_MINUTES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "description": description}
        )
    for name, task, cron, description in DAILY:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            day_of_month="*", month_of_year="*", timezone="Europe/London", **cron
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description}
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    names = [row[0] for row in EVERY_MINUTES + DAILY]
    PeriodicTask.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0002_role_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
