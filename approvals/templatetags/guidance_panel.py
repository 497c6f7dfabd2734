"""`{% guidance_home_panel %}`: the home page's third panel. The home view belongs to
the portal and merges the two older panels' contexts; this one reads its own through
approvals.guidance, a selector, so the home view need not change."""

from django import template

from approvals.guidance import guidance_panel_context

register = template.Library()


@register.inclusion_tag("approvals/includes/guidance_panel.html", takes_context=True)
def guidance_home_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"guidance_hidden": True}
    return guidance_panel_context(user)
