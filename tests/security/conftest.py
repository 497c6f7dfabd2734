import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD
from tests.security.world import build_world


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def give_two_factor(user, *, backup_codes=("backup1111", "backup2222")) -> TOTPDevice:
    """A confirmed authenticator app and some backup codes, as after setting up."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in backup_codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def sign_in(client, user, password=TEST_PASSWORD, **extra):
    """Through the real sign-in page (axes and the audit need the request)."""
    return client.post("/accounts/login/", {"username": user.email, "password": password}, **extra)


@pytest.fixture
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


@pytest.fixture
def world(db, settings):
    """The realistic portal the access matrix and the fuzz test walk through."""
    # Two-factor sign-in is tested on its own (test_two_factor); here the roles are.
    settings.TWO_FACTOR_REQUIRED = False
    return build_world()
