from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from redbridge_portal.models import AuditEvent, Notification, SchoolClosure, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (_("Roles"), {"fields": ("is_active", "groups", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("last_name", "first_name")
    filter_horizontal = ("groups",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the portal writes itself: visible to those allowed, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "target_label", "ip_address")
    list_filter = ("action",)
    search_fields = ("action", "target_label", "summary", "actor__email")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("redbridge_portal.view_audit_log")

    def get_actions(self, request):
        return {}  # no bulk delete


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Lets an administrator see emails that failed after all retries."""

    list_display = ("created_at", "recipient", "kind", "subject", "email_status", "email_attempts")
    list_filter = ("email_status", "kind")
    search_fields = ("subject", "recipient__email")
    list_select_related = ("recipient",)
    readonly_fields = ("email_error",)


@admin.register(SchoolClosure)
class SchoolClosureAdmin(admin.ModelAdmin):
    list_display = ("name", "first_day", "last_day")
    date_hierarchy = "first_day"
