"""Concerns: "An official response may be needed".

Any member of staff raises a concern about something seen online; the senior team is told at
once (the notification's email goes through Celery after commit), one member takes it on,
records what was done and the outcome, and the reporter is told. Statuses change only here:
each action first calls `_move`, which locks the row and checks the actor and the move against
CONCERN_TRANSITIONS, then `_set_status` saves the change and writes the audit row in the same
transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from approvals.images import CleanImage
from concerns.models import (
    CONCERN_TRANSITIONS,
    Concern,
    ConcernAction,
    ConcernStatus,
    ConcernUrgency,
)
from redbridge_portal import roles
from redbridge_portal.actions import ActionRefused, create_once, written
from redbridge_portal.models import NotificationKind
from redbridge_portal.services import (
    audit_record,
    notify,
    reminder_send_once,
    senior_team_except,
)

# The notification kinds concerns send.
KIND_RAISED = NotificationKind.CONCERN_RAISED
KIND_UPDATED = NotificationKind.CONCERN_UPDATED
KIND_REMINDER = NotificationKind.CONCERN_REMINDER

# A concern nobody has taken on is reminded after this long (real time: harm online does not
# wait for the school day); one taken on but not resolved, after REMIND_OWNER_AFTER.
REMIND_UNTAKEN_AFTER = {
    ConcernUrgency.URGENT: timedelta(hours=1),
    ConcernUrgency.TODAY: timedelta(hours=4),
    ConcernUrgency.ROUTINE: timedelta(days=2),
}
REMIND_OWNER_AFTER = {
    ConcernUrgency.URGENT: timedelta(days=1),
    ConcernUrgency.TODAY: timedelta(days=2),
    ConcernUrgency.ROUTINE: timedelta(days=7),
}


class ConcernError(ActionRefused):
    """A refused action on a concern, with a message a user can read."""


def _summary(concern: Concern) -> str:
    text = " ".join(concern.description.split())
    return text[:140] + ("…" if len(text) > 140 else "")


def concern_raise(
    *,
    actor,
    description: str,
    urgency: str,
    link: str = "",
    screenshot: CleanImage | None = None,
    form_token: uuid.UUID | None = None,
) -> tuple[Concern, bool]:
    """Record a concern and tell the senior team now. Returns (concern, created); the same
    form sent twice returns the first concern. Raises ConcernError for bad input."""
    description = written(
        description, or_refuse=ConcernError(_("Say what you saw and why it may need a response."))
    )
    if urgency not in ConcernUrgency.values:
        raise ConcernError(_("Choose how urgent it is."))
    if not roles.is_staff_member(actor):
        raise ConcernError(_("Only members of staff can raise a concern."))

    def raise_it() -> Concern:
        concern = Concern(
            reporter=actor,
            description=description,
            urgency=urgency,
            link=link or "",
            form_token=form_token,
        )
        if screenshot is not None:
            concern.screenshot.save(screenshot.file.name, screenshot.file, save=False)
            concern.screenshot_type = screenshot.content_type
        concern.save()
        audit_record(
            actor=actor,
            action="concern.raised",
            target=concern,
            summary=_("Concern raised (%(urgency)s)") % {"urgency": concern.get_urgency_display()},
            data={"urgency": urgency},
        )
        urgent = urgency == ConcernUrgency.URGENT
        notify(
            recipients=senior_team_except(actor),
            kind=KIND_RAISED,
            subject=(
                _("Urgent concern: something online may need a school response")
                if urgent
                else _("New concern: something online may need a school response")
            ),
            message=_(
                "%(person)s raised a concern (%(urgency)s): %(summary)s\n"
                "One member of the senior team should take it on, record what is done and "
                "the outcome."
            )
            % {
                "person": actor,
                "urgency": concern.get_urgency_display().lower(),
                "summary": _summary(concern),
            },
            url=concern.get_absolute_url(),
            key=f"concern:{concern.pk}:raised",
        )
        return concern

    return create_once(
        Concern, owner_field="reporter", owner=actor, form_token=form_token, create=raise_it
    )


def _move(concern: Concern | int, *, actor, to_status: str, refused: str, allowed) -> Concern:
    """Lock the concern and check the move with `allowed(actor, concern)` (a rule from
    redbridge_portal.roles); when refused, say why (`refused`, a whole sentence with the
    concern's %(status)s, for the wrong state). The caller saves. Must be called inside
    transaction.atomic."""
    pk = concern if isinstance(concern, int) else concern.pk
    # Lock the concern's row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join that the (optional) owner needs.
    locked = (
        Concern.objects.select_for_update(of=("self",))
        .select_related("reporter", "owner")
        .get(pk=pk)
    )
    if allowed(actor, locked) and to_status in CONCERN_TRANSITIONS[locked.status]:
        return locked
    if not roles.is_senior_team(actor):
        raise ConcernError(_("Only the senior team can deal with concerns."))
    if locked.status == ConcernStatus.IN_HAND and locked.owner_id == actor.pk:
        raise ConcernError(_("You are already dealing with this concern."))
    if locked.status == ConcernStatus.IN_HAND:
        raise ConcernError(
            _("%(owner)s is dealing with this concern; take it on first.") % {"owner": locked.owner}
        )
    raise ConcernError(refused % {"status": locked.get_status_display()})


def _set_status(
    concern: Concern, to_status: str, *, actor, action: str, summary: str, **changes
) -> None:
    """Save a concern `_move` allowed into `to_status`, with `changes` (the fields that go with
    it), and record `action` in the audit log in the same transaction."""
    concern.status = to_status
    for field, value in changes.items():
        setattr(concern, field, value)
    concern.save(update_fields=["status", *changes])
    audit_record(actor=actor, action=action, target=concern, summary=summary)


def _tell_reporter(concern: Concern, *, subject: str, message: str) -> None:
    """The person who raised the concern hears of each step, with a link to it."""
    notify(
        recipients=[concern.reporter],
        kind=KIND_UPDATED,
        subject=subject,
        message=message,
        url=concern.get_absolute_url(),
    )


def concern_take(*, actor, concern: Concern | int) -> Concern:
    """A senior-team member takes ownership; the reporter is told who."""
    with transaction.atomic():
        to_status = ConcernStatus.IN_HAND
        locked = _move(
            concern,
            actor=actor,
            to_status=to_status,
            refused=_("This concern is “%(status)s”, so you cannot take it on."),
            allowed=roles.may_take_concern,
        )
        previous = locked.owner
        _set_status(
            locked,
            to_status,
            actor=actor,
            action="concern.taken",
            summary=(
                _("Taken on by %(person)s from %(previous)s")
                % {"person": actor, "previous": previous}
                if previous
                else _("Taken on by %(person)s") % {"person": actor}
            ),
            owner=actor,
            taken_at=timezone.now(),
        )
        _tell_reporter(
            locked,
            subject=_("Your concern is being dealt with"),
            message=_(
                "%(person)s from the senior team is dealing with the concern you raised. "
                "You will be told the outcome. You do not need to do anything."
            )
            % {"person": actor},
        )
    return locked


def concern_add_action(*, actor, concern: Concern | int, body: str) -> ConcernAction:
    """The owner records something done about the concern."""
    body = written(body, or_refuse=ConcernError(_("Say what was done.")))
    with transaction.atomic():
        locked = _move(
            concern,
            actor=actor,
            to_status=ConcernStatus.IN_HAND,
            refused=_("This concern is “%(status)s”, so you cannot record actions on it."),
            allowed=roles.may_work_on_concern,
        )
        entry = ConcernAction.objects.create(concern=locked, author=actor, body=body)
        audit_record(actor=actor, action="concern.action_recorded", target=locked)
    return entry


def concern_resolve(*, actor, concern: Concern | int, outcome: str) -> Concern:
    """The owner records the outcome; the reporter is told it."""
    outcome = written(outcome, or_refuse=ConcernError(_("Say what the outcome was.")))
    with transaction.atomic():
        locked = _move(
            concern,
            actor=actor,
            to_status=ConcernStatus.RESOLVED,
            refused=_("This concern is “%(status)s”, so you cannot resolve it."),
            allowed=roles.may_work_on_concern,
        )
        _set_status(
            locked,
            ConcernStatus.RESOLVED,
            actor=actor,
            action="concern.resolved",
            summary=_("Resolved"),
            outcome=outcome,
            resolved_at=timezone.now(),
        )
        _tell_reporter(
            locked,
            subject=_("The concern you raised is resolved"),
            message=_(
                "%(person)s recorded the outcome of the concern you raised: %(outcome)s\n"
                "Thank you for raising it."
            )
            % {"person": actor, "outcome": outcome[:500]},
        )
    return locked


def send_concern_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the senior team of concerns nobody has taken on, and owners of concerns open too
    long. Each reminder goes once (reminder_send_once), so running twice sends nothing new."""
    now = now or timezone.now()
    sent = {"untaken": 0, "owner": 0}
    senior = list(roles.senior_team_members())
    for concern in Concern.objects.open().select_related("reporter", "owner"):
        if concern.status == ConcernStatus.RAISED:
            # senior_team_except would query once per concern: the team is loaded once above.
            if now - concern.created_at < REMIND_UNTAKEN_AFTER[concern.urgency]:
                continue
            sent["untaken"] += reminder_send_once(
                key=f"concern:{concern.pk}:untaken",
                recipients=[p for p in senior if p.pk != concern.reporter_id],
                kind=KIND_REMINDER,
                subject=_("Overdue: nobody has taken on a concern"),
                message=_(
                    "%(person)s raised a concern (%(urgency)s) and nobody has taken it on: "
                    "%(summary)s\nPlease take it on now."
                )
                % {
                    "person": concern.reporter,
                    "urgency": concern.get_urgency_display().lower(),
                    "summary": _summary(concern),
                },
                url=concern.get_absolute_url(),
            )
        elif concern.taken_at and now - concern.taken_at >= REMIND_OWNER_AFTER[concern.urgency]:
            sent["owner"] += reminder_send_once(
                key=f"concern:{concern.pk}:owner:{concern.owner_id}",
                recipients=[concern.owner],
                kind=KIND_REMINDER,
                subject=_("A concern you took on is still open"),
                message=_(
                    "You took on %(person)s's concern on %(day)s. It is still open: "
                    "%(summary)s\nRecord the outcome when it is resolved."
                )
                % {
                    "person": concern.reporter,
                    "day": date_format(timezone.localtime(concern.taken_at), "d F"),
                    "summary": _summary(concern),
                },
                url=concern.get_absolute_url(),
            )
    return sent
