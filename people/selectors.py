"""Reads for the people pages and the personal-data export."""

from allauth.socialaccount.models import SocialAccount


def personal_data(user) -> dict:
    """The school accounts linked to this person for single sign-on (for a subject access
    request: redbridge_portal.selectors.personal_data_export gathers each app's)."""
    return {
        "school_accounts": [
            {
                "provider": account.provider,
                "account_id": account.uid,
                "linked_at": account.date_joined.isoformat(),
                "last_sign_in": account.last_login.isoformat() if account.last_login else None,
                "details_from_the_provider": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ]
    }
