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

        from redbridge_portal import auth_audit  # noqa: F401  (connects the sign-in audit)

        # The role groups are created by a data migration; a database flush (as transactional
        # tests do) empties them, and Django re-creates permissions after it through
        # post_migrate, so the groups are synced there too.
        post_migrate.connect(_sync_role_groups, dispatch_uid="redbridge_sync_role_groups")


def _sync_role_groups(sender, app_config=None, using="default", **kwargs):
    from django.apps import apps as global_apps

    from redbridge_portal.roles import sync_role_groups

    if app_config is not None and app_config.label == "redbridge_portal":
        sync_role_groups(kwargs.get("apps") or global_apps)
