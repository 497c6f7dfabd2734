from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION redbridge_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON redbridge_portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION redbridge_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON redbridge_portal_auditevent;
DROP FUNCTION IF EXISTS redbridge_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    # PostgreSQL (production) refuses UPDATE and DELETE on audit rows even from raw SQL.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("redbridge_portal", "0003_audit_notifications")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
