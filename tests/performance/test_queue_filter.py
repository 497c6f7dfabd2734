"""The senior-team queue's filter lists every account, campaign and member of staff. Its
options are rendered once and cached (they made the queue take over a second with 2,000
staff); these tests hold that the page shows exactly what Django's own <select> would, and
that the cache follows every change to what the lists show."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse

from approvals.forms import QueueFilterForm
from approvals.models import Account, Campaign
from approvals.selectors import FILTER_OPTIONS_KEY
from redbridge_portal import roles
from tests.approvals.factories import AccountFactory
from tests.factories import SeniorTeamFactory, StaffFactory
from tests.performance import builders

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def django_select(field: forms.ModelChoiceField, name: str, value) -> str:
    return forms.Select(choices=field.choices).render(name, value)


@pytest.fixture
def filter_data(db, senior_user):
    authors = builders.people(4)
    AccountFactory(name="Sport <X>", handle="@Sport&Co")
    AccountFactory(name="Main")
    builders.campaigns(3, proposer=authors[0], decider=senior_user)
    return authors


@pytest.mark.parametrize("chosen", ["", "account", "campaign", "author"])
def test_the_filter_shows_what_a_plain_select_would(filter_data, chosen):
    data = {}
    if chosen == "account":
        data = {"account": Account.objects.order_by("pk").first().pk}
    elif chosen == "campaign":
        data = {"campaign": Campaign.objects.order_by("pk").last().pk}
    elif chosen == "author":
        data = {"author": filter_data[2].pk}
    cold = QueueFilterForm(data or None)
    warm = QueueFilterForm(data or None)  # the options now come from the cache
    assert cache.get(FILTER_OPTIONS_KEY) is not None
    for form in (cold, warm):
        form.is_valid()
        for name in ("account", "campaign", "author"):
            field = form.fields[name]
            value = form[name].value()
            ours = options(str(form[name]))
            theirs = options(django_select(field, name, value))
            assert ours == theirs, name
            assert len(ours) == field.queryset.count() + 1  # and the empty choice
    if chosen:
        selected = [value for value, is_selected, _ in options(str(warm[chosen])) if is_selected]
        assert selected == [str(data[chosen])]


def test_names_are_escaped(filter_data):
    html = str(QueueFilterForm()["account"])
    assert "Sport &lt;X&gt; (@Sport&amp;Co)" in html
    assert "<X>" not in html


def test_a_new_member_of_staff_can_be_chosen_at_once(
    filter_data, django_capture_on_commit_callbacks
):
    QueueFilterForm()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = StaffFactory(first_name="Zed", last_name="Newcomer")
    assert str(newcomer.pk) in [v for v, _s, _l in options(str(QueueFilterForm()["author"]))]


def test_a_role_change_renamed_person_and_new_campaign_and_account_show_at_once(
    filter_data, senior_user, django_capture_on_commit_callbacks
):
    outsider = StaffFactory(first_name="Out", last_name="Sider", roles=[])
    assert str(outsider.pk) not in str(QueueFilterForm()["author"])
    with django_capture_on_commit_callbacks(execute=True):
        roles.assign_role(outsider, roles.STAFF)
    assert f'value="{outsider.pk}"' in str(QueueFilterForm()["author"])

    with django_capture_on_commit_callbacks(execute=True):
        outsider.last_name = "Renamed"
        outsider.save()
    assert "Out Renamed" in str(QueueFilterForm()["author"])

    with django_capture_on_commit_callbacks(execute=True):
        campaign = builders.campaigns(1, proposer=outsider, decider=senior_user)[0]
        # bulk_create sends no signal; a campaign proposed through the service saves it.
        campaign.save()
        account = AccountFactory(name="Brand new")
    form = QueueFilterForm()
    assert f'value="{campaign.pk}"' in str(form["campaign"])
    assert f'value="{account.pk}"' in str(form["account"])


def test_signing_in_keeps_the_cached_options(filter_data):
    QueueFilterForm()
    person = filter_data[0]
    person.save(update_fields=["last_login"])
    assert cache.get(FILTER_OPTIONS_KEY) is not None


def test_a_chosen_value_is_still_checked_against_the_database(filter_data):
    QueueFilterForm()  # fill the cache
    gone = StaffFactory()
    form = QueueFilterForm({"author": gone.pk + 1000})
    assert not form.is_valid()
    assert "author" in form.errors


def test_the_queue_page_shows_the_filter(client, filter_data):
    senior = SeniorTeamFactory()
    client.force_login(senior)
    response = client.get(reverse("approvals:queue"), {"author": filter_data[1].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{filter_data[1].pk}" selected>' in html
    assert 'name="author"' in html and 'class="select form-select"' in html
