from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Who has an account: single sign-on with the school's own accounts, the people pages
    policy admins use, and importing staff from the school's management information system."""

    name = "people"
    verbose_name = _("People")
