"""Two policy admins pressing "Start annual review" at the same moment get one draft."""

import threading

import pytest
from django.db import connection, connections

from policy import services
from policy.models import PolicyVersion
from tests.factories import PolicyAdminFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent connections"
    ),
]


def test_two_reviews_started_at_once_make_one_draft():
    services.policy_load_from_file()
    admins = [PolicyAdminFactory(), PolicyAdminFactory()]
    barrier = threading.Barrier(len(admins))
    outcomes = []

    def start(admin):
        try:
            barrier.wait()
            outcomes.append(services.policy_review_start(actor=admin).number)
        except services.PolicyError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == 2
    assert 2 in outcomes
    assert any("already being reviewed" in str(o) for o in outcomes)
    assert PolicyVersion.objects.drafts().count() == 1
