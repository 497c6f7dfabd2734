"""Two policy admins removing each other's role at the same moment: one succeeds, the other is
refused, and the school keeps a policy admin."""

import threading

import pytest
from django.db import connection, connections

from people import services
from redbridge_portal import roles
from redbridge_portal.services import AccountError
from tests.factories import PolicyAdminFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent connections"
    ),
]


@pytest.mark.parametrize("action", ["roles", "deactivate"])
def test_two_admins_removing_each_other_leave_one_policy_admin(action):
    first, second = PolicyAdminFactory(), PolicyAdminFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(actor, person):
        try:
            barrier.wait()
            if action == "roles":
                services.person_roles_set(actor=actor, person=person, extra_roles=[])
            else:
                services.person_deactivate(actor=actor, person=person)
            outcomes.append("done")
        except AccountError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=remove, args=(first, second)),
        threading.Thread(target=remove, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes, key=len)[0] == "done"
    assert any("only policy admin" in outcome for outcome in outcomes)
    assert roles.policy_admins().count() == 1
