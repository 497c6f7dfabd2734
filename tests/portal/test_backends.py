"""PortalModelBackend answers permissions exactly as Django's ModelBackend does, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from redbridge_portal.backends import PortalModelBackend
from redbridge_portal.models import User
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("factory", [StaffFactory, SeniorTeamFactory, PolicyAdminFactory])
def test_the_same_permissions_as_model_backend(factory):
    user = factory()
    user.user_permissions.add(Permission.objects.get(codename="view_audit_log"))
    ours = PortalModelBackend().get_all_permissions(_fresh(user))
    assert ours == ModelBackend().get_all_permissions(_fresh(user))
    assert "redbridge_portal.view_audit_log" in ours


def test_own_and_group_permissions_in_one_query(django_assert_num_queries):
    user = _fresh(SeniorTeamFactory())
    with django_assert_num_queries(1):
        assert user.has_perms(["approvals.decide_post", "approvals.add_post"])
        assert not user.has_perm("policy.manage_policy")


def test_a_superuser_has_every_permission_and_an_inactive_user_none():
    superuser = UserFactory(is_superuser=True)
    assert PortalModelBackend().get_all_permissions(
        _fresh(superuser)
    ) == ModelBackend().get_all_permissions(_fresh(superuser))
    inactive = PolicyAdminFactory(is_active=False)
    assert PortalModelBackend().get_all_permissions(_fresh(inactive)) == set()


def test_read_afresh_for_each_user_object():
    """Kept on the user object one request loads, so the next request sees a removed role."""
    user = SeniorTeamFactory()
    assert _fresh(user).has_perm("approvals.decide_post")
    user.groups.clear()
    assert not _fresh(user).has_perm("approvals.decide_post")
