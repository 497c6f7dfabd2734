"""The senior-team queue's filter lists every account and campaign, read afresh for each page:
a new campaign or account can be chosen at once, a removed one cannot, and names are escaped.
The author is typed, not chosen (a list of 2,000 staff was unusable on a phone)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.test.html import parse_html
from django.urls import reverse

from approvals.forms import QueueFilterForm
from approvals.models import Account
from tests.approvals.factories import AccountFactory
from tests.factories import SeniorTeamFactory
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


def test_names_are_escaped(filter_data):
    html = str(QueueFilterForm()["account"])
    assert "Sport &lt;X&gt; (@Sport&amp;Co)" in html
    assert "<X>" not in html


def test_a_new_campaign_and_account_show_at_once(filter_data, senior_user):
    QueueFilterForm()
    campaign = builders.campaigns(1, proposer=filter_data[0], decider=senior_user)[0]
    account = AccountFactory(name="Brand new")
    form = QueueFilterForm()
    assert f'value="{campaign.pk}"' in str(form["campaign"])
    assert f'value="{account.pk}"' in str(form["account"])


def test_a_chosen_value_is_still_checked_against_the_database(filter_data):
    gone = AccountFactory(name="Closed")
    gone_pk = gone.pk
    assert f'value="{gone_pk}"' in str(QueueFilterForm()["account"])
    gone.delete()  # while the queue was open on someone's screen
    assert f'value="{gone_pk}"' not in str(QueueFilterForm()["account"])
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
    assert 'name="account"' in html
    assert '<select name="author"' not in html


@pytest.mark.parametrize("chosen", [None, "first", "gone"])
def test_the_campaign_list_is_what_djangos_select_shows(filter_data, chosen):
    """The campaign list is rendered without a template per option; it must say exactly what
    Django's own Select says, titles escaped and the chosen campaign selected."""
    form = QueueFilterForm()
    campaigns = list(form.fields["campaign"].queryset)
    campaigns[0].title = 'Fish & "chips" <b>'
    campaigns[0].save(update_fields=["title"])
    value = {None: None, "first": str(campaigns[0].pk), "gone": "999999"}[chosen]
    data = {"campaign": value} if value else None
    ours = QueueFilterForm(data)["campaign"].as_widget()
    form = QueueFilterForm(data)
    form.fields["campaign"].widget = forms.Select(choices=form.fields["campaign"].choices)
    assert parse_html(ours) == parse_html(form["campaign"].as_widget())
    assert "Fish &amp; &quot;chips&quot; &lt;b&gt;" in ours
    assert ("selected>Fish" in ours) == (chosen == "first")


@pytest.mark.parametrize("name", ["status", "account"])
def test_the_other_lists_are_what_djangos_select_shows(filter_data, name):
    chosen = str(Account.objects.get(name="Sport <X>").pk) if name == "account" else "published"
    for data in (None, {name: chosen}):
        ours = QueueFilterForm(data)[name].as_widget()
        form = QueueFilterForm(data)
        form.fields[name].widget = forms.Select(choices=form.fields[name].choices)
        assert parse_html(ours) == parse_html(form[name].as_widget())
