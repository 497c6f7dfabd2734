"""The senior-team queue's filter lists every account and campaign. Its options are rendered
once and cached (they made the queue take over a second when it also listed 2,000 staff);
these tests hold that the page shows exactly what Django's own <select> would, and that the
cache follows every change to what the lists show. The author is typed, not chosen, so
changes to staff leave the cache alone."""

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


@pytest.mark.parametrize("chosen", ["", "account", "campaign"])
def test_the_filter_shows_what_a_plain_select_would(filter_data, chosen):
    data = {}
    if chosen == "account":
        data = {"account": Account.objects.order_by("pk").first().pk}
    elif chosen == "campaign":
        data = {"campaign": Campaign.objects.order_by("pk").last().pk}
    cold = QueueFilterForm(data or None)
    warm = QueueFilterForm(data or None)  # the options now come from the cache
    assert cache.get(FILTER_OPTIONS_KEY) is not None
    for form in (cold, warm):
        form.is_valid()
        for name in ("account", "campaign"):
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


def test_a_new_campaign_and_account_show_at_once(
    filter_data, senior_user, django_capture_on_commit_callbacks
):
    QueueFilterForm()  # fill the cache
    with django_capture_on_commit_callbacks(execute=True):
        campaign = builders.campaigns(1, proposer=filter_data[0], decider=senior_user)[0]
        # bulk_create sends no signal; a campaign proposed through the service saves it.
        campaign.save()
        account = AccountFactory(name="Brand new")
    form = QueueFilterForm()
    assert f'value="{campaign.pk}"' in str(form["campaign"])
    assert f'value="{account.pk}"' in str(form["account"])


def test_changes_to_staff_keep_the_cached_options(filter_data, django_capture_on_commit_callbacks):
    """Nothing the lists show comes from people, so signing in, joining the staff, a role
    change or a new name leaves the options where they are."""
    QueueFilterForm()
    with django_capture_on_commit_callbacks(execute=True):
        person = filter_data[0]
        person.save(update_fields=["last_login"])
        person.last_name = "Renamed"
        person.save()
        newcomer = StaffFactory(first_name="Zed", last_name="Newcomer", roles=[])
        roles.assign_role(newcomer, roles.STAFF)
        newcomer.delete()
    assert cache.get(FILTER_OPTIONS_KEY) is not None


def test_a_chosen_value_is_still_checked_against_the_database(filter_data):
    gone = AccountFactory(name="Closed")
    QueueFilterForm()  # the cached options now list it
    gone_pk = gone.pk
    gone.delete()  # the cache is dropped once this commits, which it never does in a test
    assert f'value="{gone_pk}"' in str(QueueFilterForm()["account"])
    form = QueueFilterForm({"account": gone_pk})
    assert not form.is_valid()
    assert "account" in form.errors


def test_the_queue_page_shows_the_filter(client, filter_data):
    senior = SeniorTeamFactory()
    client.force_login(senior)
    account = Account.objects.get(name="Main")
    response = client.get(reverse("approvals:queue"), {"account": account.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{account.pk}" selected>' in html
    assert 'name="account"' in html and 'class="prerenderedselect form-select"' in html
    assert '<select name="author"' not in html
