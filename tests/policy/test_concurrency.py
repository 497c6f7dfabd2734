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


def _at_once(functions):
    barrier = threading.Barrier(len(functions))
    outcomes = []

    def run(function):
        try:
            barrier.wait()
            outcomes.append(function())
        except services.PolicyError as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_reviews_started_at_once_make_one_draft():
    services.policy_load_from_file()
    admins = [PolicyAdminFactory(), PolicyAdminFactory()]
    outcomes = _at_once(
        [lambda admin=admin: services.policy_review_start(actor=admin).number for admin in admins]
    )
    assert len(outcomes) == 2
    assert 2 in outcomes
    assert any("already being reviewed" in str(o) for o in outcomes)
    assert PolicyVersion.objects.drafts().count() == 1


def test_two_admins_saving_one_clause_at_once_never_overwrite_each_other():
    from policy import review
    from policy.models import Clause

    services.policy_load_from_file()
    admins = [PolicyAdminFactory(), PolicyAdminFactory()]
    draft = services.policy_review_start(actor=admins[0])
    clause = Clause.objects.get(version=draft, number="6.3")
    outcomes = _at_once(
        [
            lambda admin=admin: review.clause_edit(
                actor=admin, clause=clause, text=f"Wording by {admin.pk}.", revision=1
            )
            for admin in admins
        ]
    )
    conflicts = [o for o in outcomes if isinstance(o, review.EditConflict)]
    saved = [o for o in outcomes if isinstance(o, Clause)]
    assert len(conflicts) == 1 and len(saved) == 1
    clause.refresh_from_db()
    assert clause.text == saved[0].text and clause.revision == 2


def test_a_reminder_round_run_twice_at_once_is_sent_once():
    import datetime

    from policy.models import PolicyVersion as Version
    from redbridge_portal.models import Notification
    from tests.factories import StaffFactory

    version, _created = services.policy_load_from_file()
    StaffFactory()
    today = datetime.date(2026, 3, 9)
    outcomes = _at_once(
        [
            lambda: services.acknowledgement_reminders_send(
                version=Version.objects.get(pk=version.pk), key="test-round", today=today
            )
            for _ in range(2)
        ]
    )
    assert sorted(outcomes, key=str) == sorted([1, None], key=str)
    assert Notification.objects.filter(key__startswith="policy-ack-reminder:").count() == 1
