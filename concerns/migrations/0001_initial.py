"""Concerns move from the approvals app to their own: the same tables, now owned here.

Only Django's record of the models moves (nothing in the database changes), and the content
types follow, so audit entries and permissions about concerns still point at them."""

import concerns.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["concern", "concernaction"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="approvals", model__in=MODELS).update(
        app_label="concerns"
    )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="concerns", model__in=MODELS).update(
        app_label="approvals"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("approvals", "0005_concern_reminder_schedule"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Concern',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('link', models.URLField(blank=True, help_text='The web address of the post or page, if you have it.', max_length=500, verbose_name='link to what you saw')),
                        ('description', models.TextField(help_text='What you saw, where, and why you think the school may need to respond.', verbose_name='what it is')),
                        ('urgency', models.CharField(choices=[('urgent', 'Urgent: someone may be at risk or harm is spreading now'), ('today', 'Today: it needs a response during the school day'), ('routine', 'Not urgent: within a few days')], max_length=20, verbose_name='how urgent is it?')),
                        ('screenshot', models.FileField(blank=True, max_length=200, upload_to=concerns.models.concern_upload_to, verbose_name='screenshot')),
                        ('screenshot_type', models.CharField(blank=True, max_length=30)),
                        ('status', models.CharField(choices=[('raised', 'Waiting for the senior team'), ('in_hand', 'Being dealt with'), ('resolved', 'Resolved')], default='raised', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='raised at')),
                        ('taken_at', models.DateTimeField(blank=True, null=True, verbose_name='taken on at')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                        ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                        ('form_token', models.UUIDField(blank=True, editable=False, null=True)),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='concerns_owned', to=settings.AUTH_USER_MODEL, verbose_name='dealt with by')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='concerns_raised', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                    ],
                    options={
                        'verbose_name': 'concern',
                        'db_table': 'approvals_concern',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ConcernAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('body', models.TextField(verbose_name='what was done')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('concern', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='concerns.concern')),
                    ],
                    options={
                        'verbose_name': 'action on a concern',
                        'db_table': 'approvals_concernaction',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='concern',
                    index=models.Index(fields=['status', 'created_at'], name='concern_open'),
                ),
                migrations.AddConstraint(
                    model_name='concern',
                    constraint=models.UniqueConstraint(fields=('reporter', 'form_token'), name='concern_once_per_form'),
                ),
                migrations.AddConstraint(
                    model_name='concern',
                    constraint=models.CheckConstraint(condition=models.Q(('description', ''), _negated=True), name='concern_has_description'),
                ),
                migrations.AddConstraint(
                    model_name='concern',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'raised'), models.Q(('owner__isnull', False), ('taken_at__isnull', False)), _connector='OR'), name='concern_taken_has_owner'),
                ),
                migrations.AddConstraint(
                    model_name='concern',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'resolved'), _negated=True), models.Q(('resolved_at__isnull', False), models.Q(('outcome', ''), _negated=True)), _connector='OR'), name='concern_resolved_has_outcome'),
                ),
                migrations.AddConstraint(
                    model_name='concernaction',
                    constraint=models.CheckConstraint(condition=models.Q(('body', ''), _negated=True), name='concern_action_not_empty'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
