import pytest

from tests.approvals.factories import AccountFactory


@pytest.fixture
def account(db):
    return AccountFactory(name="X", handle="@RedbridgeCS", text_limit=280)
