"""How every action in the portal is carried out, whichever app it belongs to.

- A service refuses an action by raising `ActionRefused` (or its app's subclass) with a message
  written for the person who tried it; views show it, never a server error.
- A form that creates something carries a one-off token: `create_once` makes sure that sending
  it twice (a double click, a retry after a timeout) creates one row, even when the two
  requests race each other, through the model's unique (owner, form_token) constraint.
- `run_action` is the view's side: call the service, show its message, go back to the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect

Row = TypeVar("Row", bound=models.Model)
Done = TypeVar("Done")


class ActionRefused(Exception):
    """A refused action. `message` is plain English for the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def written(text: str | None, *, or_refuse: ActionRefused) -> str:
    """What someone wrote, without NUL characters and the spaces around it; `or_refuse` is
    raised when nothing is left (the service's own check, whatever the form did)."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise or_refuse
    return text


def create_once(
    model: type[Row],
    *,
    owner_field: str,
    owner,
    form_token: uuid.UUID | None,
    create: Callable[[], Row],
) -> tuple[Row, bool]:
    """`create()` the row for this form unless it was already sent: (row, created).

    `create` saves a new row carrying `form_token` (and may record and notify); it runs in its
    own transaction, so when a second copy of the same form wins the race the unique
    constraint stops this one, nothing it did is kept, and the row the other made is returned.
    """

    def sent_before() -> Row | None:
        if form_token is None:
            return None
        return model.objects.filter(**{owner_field: owner, "form_token": form_token}).first()

    existing = sent_before()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = sent_before()
        if existing is None:
            raise
        return existing, False


def run_action(
    request,
    action: Callable[[], Done],
    *,
    success: str,
    then: str,
    then_done: Callable[[Done], str] | None = None,
):
    """Carry out a POSTed action: on success say `success`; if the service refuses, say why.
    Either way go to `then` (the page the action was made from), unless `then_done` names
    the page of what the action made (the new comment, the published answer)."""
    try:
        done = action()
    except ActionRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(then)
    messages.success(request, success)
    return redirect(then_done(done) if then_done else then)
