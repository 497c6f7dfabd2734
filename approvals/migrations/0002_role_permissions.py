from django.db import migrations

from redbridge_portal.roles import sync_role_groups


class Migration(migrations.Migration):
    """Give the role groups the permissions declared on Post and Campaign."""

    dependencies = [
        ("approvals", "0001_initial"),
        ("redbridge_portal", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
