"""A published version, and everything in it, cannot change: the model layer refuses."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from policy.models import (
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    PolicyVersionLocked,
    PolicyVersionStatus,
    Principle,
    Section,
)
from tests.policy.factories import build_version

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[PolicyVersionStatus.PUBLISHED, PolicyVersionStatus.SUPERSEDED])
def locked(request, db):
    return build_version(status=request.param)


def test_a_published_version_cannot_be_saved_with_changes(locked):
    locked.title = "Something else"
    with pytest.raises(PolicyVersionLocked):
        locked.save()
    locked.refresh_from_db()
    locked.next_review_due = None
    with pytest.raises(PolicyVersionLocked):
        locked.save(update_fields=["next_review_due"])


def test_a_published_version_cannot_be_deleted(locked):
    with pytest.raises(PolicyVersionLocked):
        locked.delete()
    with pytest.raises(PolicyVersionLocked):
        PolicyVersion.objects.filter(pk=locked.pk).delete()
    with pytest.raises(PolicyVersionLocked):
        PolicyVersion.objects.filter(pk=locked.pk).update(title="Changed")
    assert PolicyVersion.objects.filter(pk=locked.pk, title="Social Media Policy").exists()


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Section, "title"),
        (Clause, "text"),
        (ListItem, "text"),
        (Principle, "text"),
        (Guideline, "body"),
    ],
)
def test_nothing_inside_a_published_version_can_change(locked, model, field):
    lookup = "clause__version" if model is ListItem else "version"
    obj = model.objects.filter(**{lookup: locked}).first()
    setattr(obj, field, "Changed")
    with pytest.raises(PolicyVersionLocked):
        obj.save()
    with pytest.raises(PolicyVersionLocked):
        obj.delete()
    rows = model.objects.filter(**{lookup: locked})
    with pytest.raises(PolicyVersionLocked):
        rows.update(**{field: "Changed"})
    with pytest.raises(PolicyVersionLocked):
        rows.delete()
    with pytest.raises(PolicyVersionLocked):
        model.objects.bulk_update([obj], [field])
    assert not model.objects.filter(**{lookup: locked, field: "Changed"}).exists()


def test_nothing_can_be_added_to_a_published_version(locked):
    section = locked.sections.first()
    clause = Clause.objects.filter(version=locked).first()
    with pytest.raises(PolicyVersionLocked):
        Section.objects.create(version=locked, number="99", title="New")
    with pytest.raises(PolicyVersionLocked):
        Clause.objects.create(section=section, number="9.9", text="New")
    with pytest.raises(PolicyVersionLocked):
        ListItem.objects.create(clause=clause, text="New")
    with pytest.raises(PolicyVersionLocked):
        Principle.objects.bulk_create([Principle(version=locked, number=9, text="New")])


def test_a_clause_cannot_be_moved_out_of_a_published_version(locked):
    draft = build_version(status=PolicyVersionStatus.DRAFT)
    clause = Clause.objects.filter(version=locked).first()
    clause.section = draft.sections.first()
    with pytest.raises(PolicyVersionLocked):
        clause.save()


def test_a_draft_can_be_edited_and_deleted():
    draft = build_version(status=PolicyVersionStatus.DRAFT)
    clause = Clause.objects.filter(version=draft).first()
    clause.text = "New wording"
    clause.save()
    ListItem.objects.filter(clause=clause).update(text="Changed")
    draft.title = "Revised policy"
    draft.save()
    draft.delete()
    assert not Clause.objects.filter(pk=clause.pk).exists()


def test_only_one_draft_at_a_time_is_a_database_rule():
    build_version(status=PolicyVersionStatus.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        build_version(status=PolicyVersionStatus.DRAFT)


def test_only_one_published_version_is_a_database_rule():
    build_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        build_version()


def test_a_clause_takes_its_version_from_its_section():
    draft = build_version(status=PolicyVersionStatus.DRAFT)
    section = draft.sections.first()
    clause = Clause.objects.create(section=section, number="1.9", text="New")
    assert clause.version_id == draft.pk
    assert clause.get_absolute_url() == f"/policy/version/{draft.number}/clause/1.9/"


def test_clause_numbers_are_unique_within_a_version():
    draft = build_version(status=PolicyVersionStatus.DRAFT)
    clash = Clause(section=draft.sections.last(), number="1.1", text="Again")
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "number" in error.value.message_dict


def test_an_item_can_only_sit_inside_an_item_of_the_same_clause():
    draft = build_version(status=PolicyVersionStatus.DRAFT)
    first, second = Clause.objects.filter(version=draft)[:2]
    other_item = ListItem.objects.filter(clause=second).first()
    item = ListItem(clause=first, parent=other_item, text="Misplaced")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "parent" in error.value.message_dict


def test_an_item_cannot_sit_inside_itself():
    draft = build_version(status=PolicyVersionStatus.DRAFT, depth=2)
    top = ListItem.objects.filter(clause__version=draft, parent=None).first()
    child = top.children.first()
    top.parent = child
    with pytest.raises(ValidationError):
        top.full_clean()
