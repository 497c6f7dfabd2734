"""Helpers for declaring the portal's records (model fields shared by every app)."""

from django.db import models


def optional_foreign_key(to, **options) -> models.ForeignKey:
    """A link to another record that may be missing: empty in the database and in forms (a
    decision not yet taken, a person since removed)."""
    return models.ForeignKey(to, null=True, blank=True, **options)


def form_token_field(help_text: str = "") -> models.UUIDField:
    """The token of the form that created the record, unique with its author in the model's
    constraints, so a form sent twice (a double click) creates one record."""
    return models.UUIDField(null=True, blank=True, editable=False, help_text=help_text)
