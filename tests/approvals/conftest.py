import pytest
from django.core.cache import cache

from policy.services import policy_load_from_file
from tests.approvals.factories import AccountFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The policy app caches the version in force; no test may see another test's version."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def policy_v1(db):
    version, _created = policy_load_from_file()
    cache.clear()
    return version


@pytest.fixture
def account(db):
    return AccountFactory(name="X", handle="@RedbridgeCS", text_limit=280)
