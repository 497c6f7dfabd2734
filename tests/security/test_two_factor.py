"""Two-factor sign-in for the people who can approve public posts or change the policy."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from redbridge_portal import roles
from redbridge_portal.models import AuditEvent
from tests import fresh_process
from tests.factories import StaffFactory, UserFactory
from tests.security.conftest import current_code, give_two_factor, sign_in

pytestmark = pytest.mark.django_db

QUEUE = "/posts/queue/"


def test_the_roles_that_need_a_second_factor(staff_user, senior_user, policy_admin):
    assert not roles.needs_two_factor(staff_user)
    assert roles.needs_two_factor(senior_user)
    assert roles.needs_two_factor(policy_admin)
    assert roles.needs_two_factor(StaffFactory(is_staff=True))  # can open the admin site
    assert not roles.needs_two_factor(UserFactory(roles=[]))


def test_senior_team_member_without_a_second_factor_cannot_reach_the_queue(
    two_factor_required, client, senior_user
):
    sign_in(client, senior_user)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_setup')}?next=%2Fposts%2Fqueue%2F"
    # Nor anything else, and not by POST either.
    assert client.get(reverse("home")).status_code == 302
    assert client.post("/posts/1/decide/", {"decision": "approve"}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_a_senior_with_a_device_is_asked_for_the_code_and_then_gets_in(
    two_factor_required, client, senior_user
):
    device = give_two_factor(senior_user)
    sign_in(client, senior_user)
    response = client.get(QUEUE)
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fposts%2Fqueue%2F"
    page = client.get(response["Location"])
    assert "Enter the code from your phone" in page.content.decode()
    key_before = client.session.session_key
    response = client.post(
        reverse("two_factor_verify"), {"token": current_code(device), "next": QUEUE}
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert client.session.session_key != key_before  # a new key once fully signed in
    assert client.get(QUEUE).status_code == 200
    assert AuditEvent.objects.filter(action="login.two_factor_verified", actor=senior_user).exists()


def test_a_wrong_code_is_refused_with_a_message_and_recorded(
    two_factor_required, client, senior_user
):
    give_two_factor(senior_user)
    sign_in(client, senior_user)
    response = client.post(reverse("two_factor_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(QUEUE).status_code == 302
    assert AuditEvent.objects.filter(action="login.two_factor_failed", actor=senior_user).exists()


def test_repeated_wrong_codes_slow_down_guessing(two_factor_required, client, senior_user):
    device = give_two_factor(senior_user)
    sign_in(client, senior_user)
    for _ in range(3):
        client.post(reverse("two_factor_verify"), {"token": "000000"})
    # Even the right code is refused straight after several wrong ones.
    response = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert response.status_code == 200
    assert client.get(QUEUE).status_code == 302


def test_a_code_cannot_be_used_twice(two_factor_required, client, senior_user):
    device = give_two_factor(senior_user)
    code = current_code(device)
    sign_in(client, senior_user)
    client.post(reverse("two_factor_verify"), {"token": code})
    client.post(reverse("logout"))
    sign_in(client, senior_user)
    response = client.post(reverse("two_factor_verify"), {"token": code})
    assert response.status_code == 200
    assert client.get(QUEUE).status_code == 302


def test_a_backup_code_works_once(two_factor_required, client, policy_admin):
    give_two_factor(policy_admin, backup_codes=["abcd2345ef"])
    sign_in(client, policy_admin)
    response = client.post(reverse("two_factor_verify"), {"token": " ABCD 2345EF "})
    assert response.status_code == 302
    assert client.get(reverse("audit_log")).status_code == 200
    assert not StaticToken.objects.filter(token="abcd2345ef").exists()
    client.post(reverse("logout"))
    sign_in(client, policy_admin)
    response = client.post(reverse("two_factor_verify"), {"token": "abcd2345ef"})
    assert response.status_code == 200


def test_setting_up_from_the_profile(two_factor_required, client, senior_user):
    sign_in(client, senior_user)
    profile = client.get(reverse("account_profile"))
    assert profile.status_code == 200  # set-up starts from the profile
    assert "Set up two-factor sign-in" in profile.content.decode()
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/png;base64,' in html
    assert page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=senior_user, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"token": "123456"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=senior_user, confirmed=True).exists()

    # After a wrong code the app's codes are refused for a few seconds (throttling).
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        response = client.post(
            reverse("two_factor_setup"), {"token": current_code(device), "next": QUEUE}
        )
    assert response["Location"] == reverse("two_factor_backup_codes")
    codes_page = client.get(reverse("two_factor_backup_codes")).content.decode()
    codes = list(StaticToken.objects.filter(device__user=senior_user))
    assert len(codes) == 10
    assert all(code.token in codes_page for code in codes)
    assert f'href="{QUEUE}"' in codes_page
    # Shown once only.
    assert codes[0].token not in client.get(reverse("two_factor_backup_codes")).content.decode()
    assert client.get(QUEUE).status_code == 200
    assert AuditEvent.objects.filter(action="account.two_factor_enabled").count() == 1


def test_someone_with_only_the_password_cannot_replace_the_app(
    two_factor_required, client, senior_user
):
    give_two_factor(senior_user)
    sign_in(client, senior_user)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_setup"), {"token": "123456"})
    assert TOTPDevice.objects.filter(user=senior_user).count() == 1


def test_new_backup_codes_replace_the_old_ones(client, policy_admin):
    device = give_two_factor(policy_admin, backup_codes=["oldcode111"])
    sign_in(client, policy_admin)
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    response = client.post(reverse("two_factor_backup_codes"))
    assert response.status_code == 302
    assert not StaticToken.objects.filter(token="oldcode111").exists()
    assert StaticToken.objects.filter(device__user=policy_admin).count() == 10


def test_staff_are_not_asked_for_a_second_factor(two_factor_required, client, staff_user):
    sign_in(client, staff_user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("two_factor_setup")).status_code == 403


def test_with_the_setting_off_seniors_get_in_with_a_password(settings, client, senior_user):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in(client, senior_user)
    assert client.get(QUEUE).status_code == 200


def test_a_policy_admin_can_reset_a_lost_phone(client, policy_admin, senior_user):
    give_two_factor(senior_user)
    client.force_login(policy_admin)
    response = client.post(reverse("person_two_factor_reset", args=[senior_user.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=senior_user).exists()
    assert AuditEvent.objects.filter(action="account.two_factor_reset").count() == 1


@pytest.mark.parametrize(("debug", "expected"), [("false", True), ("true", False)])
def test_the_setting_is_on_in_production_by_default(debug, expected):
    env = fresh_process.environment(
        without={"DEBUG", "TWO_FACTOR_REQUIRED", "PYTEST_VERSION"}, DEBUG=debug, SECRET_KEY="x" * 50
    )
    result = fresh_process.run_python(
        [
            "-c",
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.TWO_FACTOR_REQUIRED))",
        ],
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is expected
