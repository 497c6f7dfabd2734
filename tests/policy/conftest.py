import pytest
from django.core.cache import cache

from policy.services import policy_load_from_file


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The policy caches the current version and rendered text; no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def policy_v1(db):
    version, _created = policy_load_from_file()
    return version
