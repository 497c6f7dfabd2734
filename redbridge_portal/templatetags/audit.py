from django import template

from redbridge_portal.audit_words import action_in_words

register = template.Library()


@register.filter
def in_words(action: str) -> str:
    """`{{ event.action|in_words }}`: "Signed in" for login.succeeded."""
    return action_in_words(action)
