from django.db import migrations

from redbridge_portal.roles import sync_role_groups


class Migration(migrations.Migration):
    """Create the Staff, Senior team and Policy admin groups with their permissions.

    Apps that add a permission named in roles.ROLE_PERMISSIONS run sync_role_groups again in a
    migration of their own, so a fresh database and an upgraded one end the same.
    """

    dependencies = [
        ("redbridge_portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
