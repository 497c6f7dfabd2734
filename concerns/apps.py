from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    """Concerns ("an official response may be needed") have their own app: they are raised by
    any member of staff about something seen online, handled by the senior team, and share
    nothing with approving the school's own posts."""

    name = "concerns"
    verbose_name = _("Concerns")
