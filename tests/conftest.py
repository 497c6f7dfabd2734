import pytest
from django.core.cache import cache

from policy.services import policy_load_from_file
from tests.approvals.factories import AccountFactory
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory


@pytest.fixture(autouse=True)
def _test_storage(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into var/; static files are found where
    they are, without the production manifest (built by collectstatic)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing a password properly takes a third of a second; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """A published policy version's text and search results are cached; no test may see
    another test's policy."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def policy_v1(db):
    """The school's policy, loaded from its file as version 1 and published."""
    version, _created = policy_load_from_file()
    return version


@pytest.fixture
def account(db):
    """One of the school's accounts: X, with its real text limit."""
    return AccountFactory(name="X", handle="@RedbridgeCS", text_limit=280)


@pytest.fixture
def staff_user(db):
    return StaffFactory(first_name="Sam", last_name="Patel")


@pytest.fixture
def other_staff_user(db):
    return StaffFactory(first_name="Jo", last_name="Okafor")


@pytest.fixture
def senior_user(db):
    return SeniorTeamFactory(first_name="Priya", last_name="Shah")


@pytest.fixture
def second_senior_user(db):
    return SeniorTeamFactory(first_name="Tom", last_name="Bennett")


@pytest.fixture
def policy_admin(db):
    return PolicyAdminFactory(first_name="Alex", last_name="Hoyle")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def senior_client(client, senior_user):
    client.force_login(senior_user)
    return client


@pytest.fixture
def policy_admin_client(client, policy_admin):
    client.force_login(policy_admin)
    return client


@pytest.fixture(autouse=True)
def _fresh_breakers():
    """A test that stops Redis or the broker leaves no "failed moments ago" for the next."""
    from redbridge_portal.redis_guard import broker_breaker, cache_breaker

    cache_breaker.reset()
    broker_breaker.reset()
    yield
    cache_breaker.reset()
    broker_breaker.reset()
