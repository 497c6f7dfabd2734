"""Field declarations that the portal's records share across apps."""

from django.db import models


def optional_foreign_key(to, **options) -> models.ForeignKey:
    """A link to another record that may be missing (a decision not yet taken, a post started
    from scratch): null in the database and optional in forms."""
    return models.ForeignKey(to, null=True, blank=True, **options)


def form_token_field(help_text: str = "") -> models.UUIDField:
    """The token of the form that created the record, unique with its author in the model's
    constraints, so a form sent twice (a double click) creates one record."""
    return models.UUIDField(null=True, blank=True, editable=False, help_text=help_text)
