import pytest
from django.apps import apps
from django.core.management import call_command

from redbridge_portal import roles
from redbridge_portal.models import User

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"redbridge_portal", "policy", "approvals", "auth"}
    }


def test_demo_data_gives_one_login_per_role_and_a_second_senior():
    call_command("load_demo_data", stdout=None)
    senior = roles.senior_team_members()
    assert senior.count() == 2
    assert roles.policy_admins().count() == 1
    assert User.objects.filter(groups__name=roles.STAFF).count() == 5
    user = User.objects.get(email="staff@redbridge.example")
    assert user.check_password("redbridge-demo")


def test_loading_demo_data_twice_changes_nothing():
    call_command("load_demo_data")
    first = row_counts()
    call_command("load_demo_data")
    assert row_counts() == first


def test_migrations_create_no_users():
    assert User.objects.count() == 0
