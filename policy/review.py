"""The annual review in the portal: editing the draft in place, and the draft's sign-off.

Every change to the draft goes through a function here. Each one, inside one transaction,
locks the draft's version row (so edits to one draft happen one after another), checks the
actor may edit and the draft is still being edited, makes the change and writes an audit row
targeting the draft. Text edits carry the revision the editor started from: when somebody else
saved the same clause or item since, EditConflict is raised and nothing is overwritten.

Sign-off (four eyes, as for posts): a policy admin sends the draft for sign-off; a member of
the senior team or the policy's person responsible, who has not edited the draft, signs it off
or sends it back with comments; only a signed-off draft can be published.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from policy.models import (
    SIGN_OFF_TRANSITIONS,
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    Principle,
    Section,
    SignOffState,
)
from policy.services import PolicyError, require_policy_admin
from redbridge_portal import roles
from redbridge_portal.models import NotificationKind
from redbridge_portal.services import audit_record, notify

CLAUSE_NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){1,3}")
UP, DOWN = "up", "down"
MAX_TEXT = 5000


class NumberError(PolicyError):
    """A clause number that cannot be used (badly written, or taken)."""

    field = "number"


class EditConflict(PolicyError):
    """Someone else saved this part of the draft after the editor opened it."""

    def __init__(self, message: str, *, current):
        super().__init__(message)
        self.current = current  # the part as it is now saved


# --- Guards --------------------------------------------------------------------------------------


def _draft_for_editing(actor, version_id: int) -> PolicyVersion:
    """The draft, locked, after checking it may be edited by `actor` now."""
    require_policy_admin(actor)
    version = PolicyVersion.objects.select_for_update().get(pk=version_id)
    if not version.is_draft:
        raise PolicyError(
            _("Version %(number)s has been published and cannot be changed.")
            % {"number": version.number}
        )
    if version.sign_off_state == SignOffState.AWAITING:
        raise PolicyError(
            _(
                "The draft is waiting for sign-off, so it cannot be changed now. Take it back "
                "from sign-off first if it needs another change."
            )
        )
    if version.sign_off_state == SignOffState.SIGNED_OFF:
        raise PolicyError(
            _(
                "The draft has been signed off, so it cannot be changed now. Reopen it for "
                "changes first; it will then need signing off again."
            )
        )
    return version


def _part(model: type[Model], pk: int, version: PolicyVersion):
    """One clause, item, principle or guideline of the locked draft, locked too."""
    lookup = "clause__version" if model is ListItem else "version"
    part = model.objects.select_for_update().filter(pk=pk, **{lookup: version}).first()
    if part is None:
        raise PolicyError(_("That part of the draft no longer exists: someone removed it."))
    return part


def _check_revision(part, revision: int, what: str) -> None:
    if part.revision != revision:
        raise EditConflict(
            _(
                "Someone else saved %(what)s while you were editing it. Their wording is shown "
                "below; your text is still in the box. Check both, then save again."
            )
            % {"what": what},
            current=part,
        )


def _clean_text(text: str, *, what: str) -> str:
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise PolicyError(_("Enter the wording of %(what)s.") % {"what": what})
    if len(text) > MAX_TEXT:
        raise PolicyError(
            _("%(what)s is too long: keep it under %(max)s characters.")
            % {"what": what[:1].upper() + what[1:], "max": MAX_TEXT}
        )
    return text


def _record(actor, version: PolicyVersion, action: str, summary: str, **data) -> None:
    audit_record(
        actor=actor, action=f"policy.draft_{action}", target=version, summary=summary, data=data
    )


def _item_label(item: ListItem) -> str:
    return _("an item of clause %(number)s") % {"number": item.clause.number}


# --- Editing text --------------------------------------------------------------------------------


def _part_name(part) -> str:
    """How messages and the audit log name a part of the draft (read from the locked row)."""
    if isinstance(part, Clause):
        return _("clause %(number)s") % {"number": part.number}
    if isinstance(part, ListItem):
        return _item_label(part)
    if isinstance(part, Principle):
        return _("core principle %(number)s") % {"number": part.number}
    return _("the guideline “%(title)s”") % {"title": part.title}


def _wording_edit(actor, part, text: str, revision: int, *, action: str, limit=None):
    """Change the wording of a clause, list item or core principle: the draft and the part
    locked, a stale edit refused, and only a real change saved and recorded."""
    with transaction.atomic():
        version = _draft_for_editing(actor, part.owning_version_id())
        part = _part(type(part), part.pk, version)
        what = _part_name(part)
        _check_revision(part, revision, what)
        text = _clean_text(text, what=what)[:limit]
        if text != part.text:
            part.text = text
            part.revision += 1
            part.save(update_fields=["text", "revision"])
            _record(actor, version, action, _("Edited %(what)s.") % {"what": what})
    return part


def clause_edit(*, actor, clause: Clause, text: str, revision: int) -> Clause:
    """Change a clause's wording. Raises EditConflict when `revision` is not the saved one."""
    return _wording_edit(actor, clause, text, revision, action="clause_edited")


def list_item_edit(*, actor, item: ListItem, text: str, revision: int) -> ListItem:
    """Change one list item's wording (at any depth)."""
    return _wording_edit(actor, item, text, revision, action="item_edited")


def principle_edit(*, actor, principle: Principle, text: str, revision: int) -> Principle:
    """Change a core principle's wording (at most 300 characters, as the model holds)."""
    return _wording_edit(actor, principle, text, revision, action="principle_edited", limit=300)


def guideline_edit(*, actor, guideline: Guideline, title: str, body: str, revision: int):
    """Change a guideline's heading and text (its link, the slug, stays as staff know it)."""
    with transaction.atomic():
        version = _draft_for_editing(actor, guideline.version_id)
        guideline = _part(Guideline, guideline.pk, version)
        what = _part_name(guideline)
        _check_revision(guideline, revision, what)
        title = _clean_text(title, what=_("the guideline's heading"))[:200]
        body = _clean_text(body, what=what)
        if (title, body) != (guideline.title, guideline.body):
            guideline.title, guideline.body = title, body
            guideline.revision += 1
            guideline.save(update_fields=["title", "body", "revision"])
            _record(
                actor, version, "guideline_edited", _("Edited the guideline %(t)s.") % {"t": title}
            )
    return guideline


def policy_draft_summary_update(*, actor, version: PolicyVersion, change_summary: str):
    """The summary of changes for staff, written at any point while the draft is edited."""
    with transaction.atomic():
        version = _draft_for_editing(actor, version.pk)
        summary = (change_summary or "").strip()
        if len(summary) > 2000:
            raise PolicyError(_("Keep the summary under 2000 characters."))
        if summary != version.change_summary:
            version.change_summary = summary
            version.save(update_fields=["change_summary"])
            _record(actor, version, "summary_edited", _("Wrote the summary of changes."))
    return version


# --- Adding, removing and moving -----------------------------------------------------------------


def clause_add(*, actor, section: Section, number: str, text: str) -> Clause:
    """Add a clause at the end of `section`. Its number must be new in this version."""
    number = (number or "").strip()
    with transaction.atomic():
        version = _draft_for_editing(actor, section.version_id)
        section = Section.objects.filter(pk=section.pk, version=version).first()
        if section is None:
            raise PolicyError(_("That section is not part of the draft."))
        if not CLAUSE_NUMBER.fullmatch(number):
            raise NumberError(_("Enter the clause's number as staff will cite it, like 6.4."))
        if Clause.objects.filter(version=version, number=number).exists():
            raise NumberError(
                _("There is already a clause %(number)s. Choose another number.")
                % {"number": number}
            )
        text = _clean_text(text, what=_("the new clause"))
        last = section.clauses.aggregate(last=Max("order"))["last"] or 0
        try:
            with transaction.atomic():
                clause = Clause.objects.create(
                    section=section, number=number, text=text, order=last + 1
                )
        except IntegrityError as error:
            raise NumberError(
                _("There is already a clause %(number)s.") % {"number": number}
            ) from error
        _record(actor, version, "clause_added", _("Added clause %(n)s.") % {"n": number})
    return clause


def clause_remove(*, actor, clause: Clause, revision: int) -> None:
    """Remove a clause and its list from the draft (the published version keeps it)."""
    with transaction.atomic():
        version = _draft_for_editing(actor, clause.version_id)
        clause = _part(Clause, clause.pk, version)
        _check_revision(clause, revision, _("clause %(number)s") % {"number": clause.number})
        number = clause.number
        clause.delete()
        _record(actor, version, "clause_removed", _("Removed clause %(n)s.") % {"n": number})


def _swap_with_neighbour(part, siblings, direction: str) -> bool:
    """Swap `part` with the sibling before (up) or after (down) it; False at either end."""
    ordered = list(siblings.select_for_update().order_by("order", "pk"))
    index = next(i for i, row in enumerate(ordered) if row.pk == part.pk)
    other_index = index - 1 if direction == UP else index + 1
    if not 0 <= other_index < len(ordered):
        return False
    ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
    # Renumber the whole list: older rows may share an order value.
    for position, row in enumerate(ordered, start=1):
        if row.order != position:
            row.order = position
            row.save(update_fields=["order"])
    return True


def clause_move(*, actor, clause: Clause, direction: str) -> bool:
    """Move a clause up or down within its section. Its number does not change (staff cite
    it); renumber it explicitly if the order of numbers matters. False when already at the
    top or bottom."""
    if direction not in (UP, DOWN):
        raise PolicyError(_("Choose to move the clause up or down."))
    with transaction.atomic():
        version = _draft_for_editing(actor, clause.version_id)
        clause = _part(Clause, clause.pk, version)
        moved = _swap_with_neighbour(
            clause, Clause.objects.filter(section=clause.section_id), direction
        )
        if moved:
            _record(
                actor,
                version,
                "clause_moved",
                _("Moved clause %(n)s %(direction)s.")
                % {"n": clause.number, "direction": direction},
            )
    return moved


def list_item_add(*, actor, clause: Clause, text: str, parent: ListItem | None = None):
    """Add an item at the end of a clause's list, or inside `parent` (any depth)."""
    with transaction.atomic():
        version = _draft_for_editing(actor, clause.version_id)
        clause = _part(Clause, clause.pk, version)
        if parent is not None:
            parent = _part(ListItem, parent.pk, version)
            if parent.clause_id != clause.pk:
                raise PolicyError(_("Choose an item of the same clause."))
        text = _clean_text(text, what=_("the new item"))
        siblings = ListItem.objects.filter(clause=clause, parent=parent)
        last = siblings.aggregate(last=Max("order"))["last"] or 0
        item = ListItem.objects.create(clause=clause, parent=parent, text=text, order=last + 1)
        _record(
            actor, version, "item_added", _("Added an item to clause %(n)s.") % {"n": clause.number}
        )
    return item


def list_item_remove(*, actor, item: ListItem, revision: int) -> None:
    """Remove an item and every item inside it."""
    with transaction.atomic():
        version = _draft_for_editing(actor, item.clause.version_id)
        item = _part(ListItem, item.pk, version)
        _check_revision(item, revision, _item_label(item))
        number = item.clause.number
        item.delete()
        _record(
            actor, version, "item_removed", _("Removed an item of clause %(n)s.") % {"n": number}
        )


def list_item_move(*, actor, item: ListItem, direction: str) -> bool:
    """Move an item up or down among the items beside it (same clause, same parent)."""
    if direction not in (UP, DOWN):
        raise PolicyError(_("Choose to move the item up or down."))
    with transaction.atomic():
        version = _draft_for_editing(actor, item.clause.version_id)
        item = _part(ListItem, item.pk, version)
        siblings = ListItem.objects.filter(clause=item.clause_id, parent=item.parent_id)
        moved = _swap_with_neighbour(item, siblings, direction)
        if moved:
            _record(
                actor,
                version,
                "item_moved",
                _("Moved an item of clause %(n)s %(direction)s.")
                % {"n": item.clause.number, "direction": direction},
            )
    return moved


def clause_renumber(*, actor, clause: Clause, number: str, revision: int) -> Clause:
    """Give a clause a new number. Staff cite clauses by number, so the page asking for this
    shows what cites the old number first (`policy.selectors.clause_citations`)."""
    number = (number or "").strip()
    with transaction.atomic():
        version = _draft_for_editing(actor, clause.version_id)
        clause = _part(Clause, clause.pk, version)
        old = clause.number
        _check_revision(clause, revision, _("clause %(number)s") % {"number": old})
        if not CLAUSE_NUMBER.fullmatch(number):
            raise NumberError(_("Enter the new number as staff will cite it, like 6.4."))
        if number == old:
            raise NumberError(_("The new number is the same as the old one."))
        if Clause.objects.filter(version=version, number=number).exists():
            raise NumberError(
                _("There is already a clause %(number)s. Choose another number.")
                % {"number": number}
            )
        clause.number = number
        clause.revision += 1
        clause.save(update_fields=["number", "revision"])
        _record(
            actor,
            version,
            "clause_renumbered",
            _("Renumbered clause %(old)s as %(new)s.") % {"old": old, "new": number},
            old=old,
            new=number,
        )
    return clause


# --- Sign-off ------------------------------------------------------------------------------------


def _set_sign_off_state(
    version: PolicyVersion, new_state: str, *, actor, action: str, summary: str, **changes
) -> None:
    """The one place a draft's sign-off state changes, along SIGN_OFF_TRANSITIONS: saves the
    state with `changes` (the fields that go with it) and records `action` in the audit log."""
    if new_state not in SIGN_OFF_TRANSITIONS[version.sign_off_state]:
        move = {
            SignOffState.EDITING: _("taken back for changes"),
            SignOffState.AWAITING: _("sent for sign-off"),
            SignOffState.SIGNED_OFF: _("signed off"),
        }[new_state]
        raise PolicyError(
            _("The draft is %(state)s, so it cannot be %(move)s.")
            % {"state": version.get_sign_off_state_display().lower(), "move": move}
        )
    version.sign_off_state = new_state
    for field, value in changes.items():
        setattr(version, field, value)
    version.save(update_fields=["sign_off_state", *changes])
    audit_record(actor=actor, action=action, target=version, summary=summary)


def _locked_draft(version: PolicyVersion) -> PolicyVersion:
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise PolicyError(
            _("Version %(number)s has already been published.") % {"number": version.number}
        )
    return version


def policy_draft_send_for_sign_off(*, actor, version: PolicyVersion) -> PolicyVersion:
    """A policy admin sends the draft for sign-off: it stops being editable, records them as
    the person who prepared it, and tells those who may sign it off."""
    require_policy_admin(actor)
    with transaction.atomic():
        version = _locked_draft(version)
        if not version.change_summary.strip():
            raise PolicyError(
                _("Write the summary of changes for staff before sending the draft for sign-off.")
            )
        _set_sign_off_state(
            version,
            SignOffState.AWAITING,
            actor=actor,
            action="policy.draft_sent_for_sign_off",
            summary=_("Sent draft version %(n)s for sign-off.") % {"n": version.number},
            prepared_by=actor,
            submitted_at=timezone.now(),
            sign_off_comments="",
        )
        signers = [
            person
            for person in roles.policy_sign_off_candidates(version)
            if roles.may_sign_off_policy(person, version)
        ]
        _tell_about_sign_off(
            signers,
            subject=_("Please sign off version %(n)s of the Social Media Policy")
            % {"n": version.number},
            message=_(
                "%(who)s has finished the annual review of the Social Media Policy and asks you "
                "to check the changes and sign off version %(n)s, or send it back with comments."
            )
            % {"who": actor, "n": version.number},
            key=f"policy-sign-off-{version.pk}-{version.submitted_at.isoformat()}",
        )
    return version


def _tell_about_sign_off(recipients, *, subject: str, message: str, key: str | None = None) -> None:
    """Notify about the draft's sign-off, linking to the sign-off page."""
    notify(
        recipients=recipients,
        kind=NotificationKind.POLICY_REVIEW,
        subject=subject,
        message=message,
        url=reverse("policy:review_sign_off"),
        key=key,
    )


def _tell_preparer(version: PolicyVersion, *, subject: str, message: str) -> None:
    """The policy admin who sent the draft for sign-off hears what became of it."""
    _tell_about_sign_off(
        [version.prepared_by] if version.prepared_by else [], subject=subject, message=message
    )


def _require_signer(actor, version: PolicyVersion) -> None:
    if roles.may_sign_off_policy(actor, version):
        return
    if roles.edited_policy_draft(actor, version):
        raise PolicyError(_("You prepared or edited this draft, so someone else must sign it off."))
    raise PolicyError(
        _("Only a member of the senior team or the policy's person responsible can sign it off.")
    )


def policy_draft_sign_off(*, actor, version: PolicyVersion) -> PolicyVersion:
    """Approve a draft waiting for sign-off; it can then be published. Never by whoever
    prepared or edited it (the database refuses a preparer who signs too)."""
    with transaction.atomic():
        version = _locked_draft(version)
        _require_signer(actor, version)
        _set_sign_off_state(
            version,
            SignOffState.SIGNED_OFF,
            actor=actor,
            action="policy.draft_signed_off",
            summary=_("Signed off draft version %(n)s.") % {"n": version.number},
            signed_off_by=actor,
            signed_off_at=timezone.now(),
        )
        _tell_preparer(
            version,
            subject=_("Version %(n)s of the policy is signed off") % {"n": version.number},
            message=_("%(who)s signed off version %(n)s. You can publish it now.")
            % {"who": actor, "n": version.number},
        )
    return version


def policy_draft_send_back(*, actor, version: PolicyVersion, comments: str) -> PolicyVersion:
    """Return a draft waiting for sign-off to the policy admins, with what to change."""
    comments = (comments or "").strip()
    with transaction.atomic():
        version = _locked_draft(version)
        _require_signer(actor, version)
        if not comments:
            raise PolicyError(_("Say what should change before sending the draft back."))
        _set_sign_off_state(
            version,
            SignOffState.EDITING,
            actor=actor,
            action="policy.draft_sent_back",
            summary=comments[:500],
            sign_off_comments=comments[:4000],
        )
        _tell_preparer(
            version,
            subject=_("Version %(n)s of the policy was sent back") % {"n": version.number},
            message=_("%(who)s sent version %(n)s back with comments: %(comments)s")
            % {"who": actor, "n": version.number, "comments": comments},
        )
    return version


def policy_draft_reopen(*, actor, version: PolicyVersion) -> PolicyVersion:
    """A policy admin takes the draft back to change it, from waiting for sign-off or from
    signed off; any sign-off is cleared, so it must be signed off again."""
    require_policy_admin(actor)
    with transaction.atomic():
        version = _locked_draft(version)
        _set_sign_off_state(
            version,
            SignOffState.EDITING,
            actor=actor,
            action="policy.draft_reopened",
            summary=_("Reopened draft version %(n)s for changes.") % {"n": version.number},
            signed_off_by=None,
            signed_off_at=None,
        )
    return version
