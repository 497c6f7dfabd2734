from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from concerns import views as concern_views
from people import views as people_views
from redbridge_portal import views
from redbridge_portal.forms import PortalPasswordResetForm

admin.site.site_header = format_lazy(
    _("{school}: staff portal administration"), school=settings.SCHOOL_NAME
)
admin.site.site_title = _("Redbridge staff portal")
admin.site.index_title = _("Administration")

account_patterns = [
    path("login/", people_views.SignInView.as_view(), name="login"),
    path("logout/", people_views.SignOutView.as_view(), name="logout"),
    path("password/change/", people_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PortalPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/", views.ProfileView.as_view(), name="account_profile"),
    path("two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/verify/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path(
        "two-factor/backup-codes/",
        views.BackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include(account_patterns)),
    # The school account's sign-in (allauth's provider handshake and its callback only).
    path("accounts/", include("people.sso_urls")),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path(
        "notifications/settings/",
        views.EmailPreferencesView.as_view(),
        name="notification_settings",
    ),
    path("school-calendar/", views.SchoolCalendarView.as_view(), name="school_calendar"),
    path(
        "school-calendar/<int:pk>/remove/",
        views.school_closure_remove,
        name="school_closure_remove",
    ),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("audit/export.csv", views.AuditLogCsvView.as_view(), name="audit_log_csv"),
    path("people/", include("people.urls")),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("policy/", include("policy.urls")),
    path("posts/", include("approvals.urls")),
    path("concerns/", include("concerns.urls")),
    # Concerns were once under /posts/concerns/: bookmarks and emailed links still work.
    re_path(r"^posts/concerns/(?P<rest>.*)$", concern_views.moved_from_posts),
    # One way in: the admin's own sign-in page sends people to the portal's (lockout and
    # two-factor rules apply there).
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

# Error pages: a refused access is recorded in the audit log (the others are Django's views
# with the portal's templates 400.html, 404.html and 500.html).
handler403 = "redbridge_portal.views.permission_denied"
handler500 = "redbridge_portal.views.server_error"
