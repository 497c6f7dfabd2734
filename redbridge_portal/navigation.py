"""The main navigation: a few menus grouped by the job a person came to do.

Every role sees at most four menus (the policy; posts; the senior team's work; administration)
and their own menu (notifications, email settings, their account, signing out), so the bar fits
a laptop screen whatever the role. Each link shows only when the person may use its page (the
predicates in `redbridge_portal.roles`, through `Abilities`), and knows which pages it stands for,
so the menu holding the page being shown is marked as the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from redbridge_portal.roles import Abilities


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class NavMenu:
    key: str
    label: str
    links: list[NavLink] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def _here(request) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    return match.namespace or "", match.url_name or ""


def _link(here, label, url_name, *also: str) -> NavLink:
    """A link to `url_name` that is current on that page and on the pages named in `also`
    ("name", "ns:name" or "ns:prefix*")."""
    namespace, name = here
    full = f"{namespace}:{name}" if namespace else name
    current = full == url_name
    for pattern in also:
        if pattern.endswith("*"):
            current = current or full.startswith(pattern[:-1])
        else:
            current = current or full == pattern
    return NavLink(label=str(label), url=reverse(url_name), current=current)


def main_navigation(request) -> list[NavMenu]:
    """The menus for the signed-in person making `request`, in the order they are shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    can = Abilities(user)
    here = _here(request)
    menus = []

    policy = [
        _link(
            here,
            _("Read the policy"),
            "policy:contents",
            "policy:clause",
            "policy:version",
            "policy:version_clause",
            "policy:search",
            "policy:changes",
        ),
        _link(here, _("Personal use"), "policy:personal_use"),
        _link(
            here,
            _("Questions") if can.senior_team else _("Ask a question"),
            "policy:question_list",
            "policy:question_create",
            "policy:question_detail",
            "policy:faq",
        ),
    ]
    if can.manage_policy:
        policy.append(_link(here, _("Policy review"), "policy:review", "policy:review_publish"))
        policy.append(_link(here, _("Pre-screen lists"), "policy:screening_lists"))
    if can.view_acknowledgements:
        policy.append(_link(here, _("Acknowledgements"), "policy:acknowledgements"))
    menus.append(NavMenu("policy", _("Policy"), policy))

    posts = []
    if can.submit_posts:
        posts.append(
            _link(
                here,
                _("My posts"),
                "approvals:my_posts",
                "approvals:post_detail",
                "approvals:post_edit",
                "approvals:post_mark_published",
                "approvals:post_correct_publication",
            )
        )
        posts.append(_link(here, _("Write a post"), "approvals:post_create"))
    posts.append(_link(here, _("Campaigns"), "approvals:campaign_list", "approvals:campaign*"))
    posts.append(_link(here, _("Published log"), "approvals:published_log"))
    # The senior team find these in their own menu.
    if can.view_calendar and not can.senior_team:
        posts.append(_link(here, _("Content calendar"), "approvals:calendar"))
    if can.submit_posts and not can.senior_team:
        posts.append(
            _link(
                here,
                _("Raise a concern"),
                "concerns:list",
                "concerns:create",
                "concerns:detail",
            )
        )
    menus.append(NavMenu("posts", _("Posts"), posts))

    if can.senior_team:
        # Every member of the senior team decides posts and may read the calendar.
        senior = [
            _link(here, _("Senior-team queue"), "approvals:queue"),
            _link(here, _("Concerns"), "concerns:list", "concerns:create", "concerns:detail"),
            _link(here, _("Content calendar"), "approvals:calendar"),
        ]
        menus.append(NavMenu("senior", _("Senior team"), senior))

    admin = []
    if can.manage_policy:
        admin.append(_link(here, _("School closures"), "school_calendar"))
    if can.view_audit_log:
        admin.append(_link(here, _("Audit log"), "audit_log"))
    if can.manage_personal_data:
        admin.append(_link(here, _("People"), "people", "person_detail", "person_anonymise"))
    if can.manage_social_accounts:
        admin.append(
            _link(
                here,
                _("Social media accounts"),
                "approvals:account_list",
                "approvals:account_add",
                "approvals:account_edit",
            )
        )
    if can.use_admin_site:
        admin.append(_link(here, _("Site administration"), "admin:index"))
    if admin:
        menus.append(NavMenu("admin", _("Administration"), admin))
    return menus


def person_menu(request) -> NavMenu:
    """The signed-in person's own menu (signing out is a form, added by the template)."""
    here = _here(request)
    return NavMenu(
        "person",
        _("Your account"),
        [
            _link(here, _("Notifications"), "notifications"),
            _link(here, _("Email settings"), "notification_settings"),
            _link(here, _("Your account"), "account_profile", "two_factor_setup"),
            _link(here, _("Change password"), "password_change", "password_change_done"),
        ],
    )
