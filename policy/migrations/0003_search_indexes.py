from django.db import migrations

from policy.search_indexes import create_search_indexes, drop_search_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0002_role_permissions"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
