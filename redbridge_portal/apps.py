from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package doubles as the app for what every part shares: staff accounts and
    their roles. Keeping it here avoids a third top-level app for one model."""

    name = "redbridge_portal"
    label = "redbridge_portal"
    verbose_name = _("Staff accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from redbridge_portal import (
            auth_audit,  # noqa: F401  (connects the sign-in audit)
            checks,  # noqa: F401  (registers the system checks)
        )

        # The role groups are created by a data migration; a database flush (as transactional
        # tests do) empties them, and Django re-creates permissions after it through
        # post_migrate, so the groups are synced there too.
        post_migrate.connect(_sync_role_groups, dispatch_uid="redbridge_sync_role_groups")
        _connect_stamps()


def _connect_stamps():
    """Change redbridge_portal.stamps when what they stand for is saved or deleted."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from redbridge_portal import stamps
    from redbridge_portal.models import AuditEvent, Notification, SentReminder, User

    not_shown = {AuditEvent, SentReminder}  # kept for the record; no cached page shows them
    receivers = {User: stamps.people_changed, Group: stamps.people_changed}
    receivers[Notification] = stamps.notifications_changed
    for label in ("otp_totp", "otp_static"):
        for model in apps.get_app_config(label).get_models():
            receivers[model] = stamps.devices_changed
    for label in ("redbridge_portal", "policy", "approvals"):
        for model in apps.get_app_config(label).get_models():
            if model not in receivers and model not in not_shown:
                receivers[model] = stamps.content_changed
    for model, receiver in receivers.items():
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"stamps-{model._meta.label}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            stamps.memberships_changed, sender=through, dispatch_uid=f"stamps-{through}"
        )


def _sync_role_groups(sender, app_config=None, using="default", **kwargs):
    from django.apps import apps as global_apps

    from redbridge_portal.roles import sync_role_groups

    if app_config is not None and app_config.label == "redbridge_portal":
        sync_role_groups(kwargs.get("apps") or global_apps)
