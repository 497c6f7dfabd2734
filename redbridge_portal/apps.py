from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package doubles as the app for what every part shares: staff accounts and
    their roles. Keeping it here avoids a third top-level app for one model."""

    name = "redbridge_portal"
    label = "redbridge_portal"
    verbose_name = _("Staff accounts")

    def ready(self):
        from redbridge_portal import auth_audit  # noqa: F401  (connects the sign-in audit)
