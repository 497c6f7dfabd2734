"""Reads for the people pages and the personal-data export."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from people.models import StaffImport


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
        ],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "staff_lists_uploaded": [
            {
                "file": upload.file_name,
                "uploaded_at": upload.uploaded_at.isoformat(),
                "imported_at": upload.applied_at.isoformat() if upload.applied_at else None,
            }
            for upload in StaffImport.objects.filter(uploaded_by=user).order_by("pk")
        ],
    }
