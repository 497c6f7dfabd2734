from django import template

from redbridge_portal import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """`{% main_navigation as menus %}`: the signed-in person's menus for this page."""
    return navigation.main_navigation(context["request"])


@register.simple_tag(takes_context=True)
def person_menu(context):
    return navigation.person_menu(context["request"])
