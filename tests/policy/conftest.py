import pytest

from policy import services


@pytest.fixture
def draft(policy_v1, policy_admin):
    """A draft of the next version, started by a policy admin from version 1."""
    return services.policy_review_start(actor=policy_admin)
