import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The policy caches its published versions; no test may see another test's."""
    cache.clear()
    yield
    cache.clear()
