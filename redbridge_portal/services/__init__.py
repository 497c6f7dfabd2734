"""The services every part of the portal shares, one module per subject: the audit log,
notifications and their email outbox, school closures, accounts, two-factor sign-in and
personal data. Re-exported here, so callers import from `redbridge_portal.services`."""

from redbridge_portal.services.accounts import (  # noqa: F401
    ANONYMISED_EMAIL_DOMAIN,
    AccountError,
    account_state,
    user_account_changed,
    user_sessions_end,
)
from redbridge_portal.services.audit import (  # noqa: F401
    audit_record,
    audit_record_many,
)
from redbridge_portal.services.closures import (  # noqa: F401
    school_closure_add,
    school_closure_remove,
)
from redbridge_portal.services.notifications import (  # noqa: F401
    MAX_EMAIL_ATTEMPTS,
    EmailDeliveryError,
    email_preferences_set,
    enqueue_notification_emails,
    notification_email_send,
    notification_message_id,
    notification_sweep_outbox,
    notifications_mark_read,
    notify,
    reminder_send_once,
    senior_team_except,
)
from redbridge_portal.services.personal_data import (  # noqa: F401
    personal_data_export,
    user_anonymise,
)
from redbridge_portal.services.two_factor import (  # noqa: F401
    BACKUP_CODES_NAME,
    TOTP_DEVICE_NAME,
    two_factor_backup_codes_replace,
    two_factor_enable,
    two_factor_reset,
    two_factor_setup_device,
    two_factor_verify,
)
