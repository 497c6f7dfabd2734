"""`{% no_accounts_notice %}`: on the post form when the school has no account in use yet,
says so plainly and who can add one (a link for those who can), instead of an empty list."""

from django import template

from redbridge_portal import roles

register = template.Library()


@register.inclusion_tag("approvals/includes/no_accounts.html", takes_context=True)
def no_accounts_notice(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "can_add": roles.can_manage_social_accounts(user),
        "policy_admins": list(roles.policy_admins().order_by("last_name", "first_name")[:5]),
    }
