"""The main navigation: a few menus grouped by job, each showing only what the role may use."""

import html5lib
import pytest
from django.urls import reverse

from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

pytestmark = pytest.mark.django_db

NS = {"h": "http://www.w3.org/1999/xhtml"}


def _menus(client):
    """{menu label: [link labels]} of the main navigation, the person's menu under "person"."""
    response = client.get(reverse("policy:personal_use"))
    assert response.status_code == 200
    tree = html5lib.parse(response.content.decode())
    nav = tree.find(".//h:nav[@aria-label='Main']", NS)
    menus = {}
    for item in nav.iterfind(".//h:li[@class='nav-item dropdown']", NS):
        toggle = item.find("h:button", NS)
        label = "person" if toggle.get("id") == "nav-person" else "".join(toggle.itertext())
        label = label.replace("(current section)", "").strip()
        entries = [*item.iterfind(".//h:a", NS), *item.iterfind(".//h:form/h:button", NS)]
        menus[label] = [" ".join("".join(e.itertext()).split()) for e in entries]
    return menus


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (StaffFactory, ["Policy", "Posts", "person"]),
        (SeniorTeamFactory, ["Policy", "Posts", "Senior team", "person"]),
        (PolicyAdminFactory, ["Policy", "Posts", "Administration", "person"]),
    ],
)
def test_each_role_has_a_few_menus_grouped_by_job(client, factory, expected):
    client.force_login(factory())
    menus = _menus(client)
    assert list(menus) == expected
    assert len(menus) <= 6
    assert menus["person"] == [
        "Notifications",
        "Email settings",
        "Your account",
        "Change password",
        "Sign out",
    ]


@pytest.mark.parametrize(
    ("factory", "menu", "links"),
    [
        (StaffFactory, "Policy", ["Read the policy", "Personal use", "Ask a question"]),
        (
            StaffFactory,
            "Posts",
            ["My posts", "Write a post", "Campaigns", "Published log", "Raise a concern"],
        ),
        (SeniorTeamFactory, "Senior team", ["Senior-team queue", "Concerns", "Content calendar"]),
        # The senior team deal with concerns rather than raise them.
        (SeniorTeamFactory, "Posts", ["My posts", "Write a post", "Campaigns", "Published log"]),
        (
            PolicyAdminFactory,
            "Administration",
            ["School closures", "Audit log", "People", "Social media accounts"],
        ),
        (
            PolicyAdminFactory,
            "Policy",
            [
                "Read the policy",
                "Personal use",
                "Ask a question",
                "Policy review",
                "Pre-screen lists",
                "Acknowledgements",
            ],
        ),
    ],
)
def test_each_menu_holds_only_what_the_role_may_use(client, factory, menu, links):
    client.force_login(factory())
    assert _menus(client)[menu] == links


def test_the_menu_holding_the_page_is_marked_current(client):
    client.force_login(StaffFactory())
    html = client.get(reverse("policy:personal_use")).content.decode()
    assert 'id="nav-policy" data-bs-toggle="dropdown" aria-expanded="false">Policy<span' in html
    assert f'href="{reverse("policy:personal_use")}" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1


def test_signed_out_visitors_get_no_menus(client):
    html = client.get(reverse("login")).content.decode()
    assert 'id="nav-person"' not in html
