"""`{% status_badge status label %}`: a status in words, never by colour alone (WCAG 1.4.1).

A tag, not an included template: the queue, My posts and a post's timeline show one per row,
and an include costs about 75 µs each to render."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(status, label):
    """`status` (the stored value) picks the colour class; `label` is the words shown."""
    return format_html('<span class="badge status-badge status-{}">{}</span>', status, label)
