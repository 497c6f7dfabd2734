"""The shared core's pages, one module per subject, re-exported here for the URLconf and the
settings that name a view (CSRF_FAILURE_VIEW, handler403, handler500)."""

from redbridge_portal.views.audit import (  # noqa: F401
    AuditLogCsvView,
    AuditLogView,
)
from redbridge_portal.views.calendar import (  # noqa: F401
    SchoolCalendarView,
    school_closure_remove,
)
from redbridge_portal.views.errors import (  # noqa: F401
    admin_login,
    csrf_failure,
    permission_denied,
    server_error,
)
from redbridge_portal.views.health import (  # noqa: F401
    healthz,
)
from redbridge_portal.views.home import (  # noqa: F401
    AccessibilityStatementView,
    HomeView,
)
from redbridge_portal.views.notifications import (  # noqa: F401
    EmailPreferencesView,
    NotificationListView,
    notification_open,
    notifications_mark_read,
)
from redbridge_portal.views.two_factor import (  # noqa: F401
    BackupCodesView,
    ProfileView,
    TwoFactorSetupView,
    TwoFactorVerifyView,
)
