from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.services import person_deactivate
from redbridge_portal import roles, services
from redbridge_portal.models import AuditEvent, Notification, SchoolClosure, User

# Two-factor secrets stay out of the admin site: nobody but the owner should see an
# authenticator key. A lost phone is dealt with on the person's page (People > Reset
# two-factor sign-in), which is recorded.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


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
    actions = ["deactivate_selected"]

    def has_delete_permission(self, request, obj=None):
        # Deleting an account would tear holes in the audit trail and the published log:
        # close it (untick "active") or anonymise it from the People pages instead.
        return False

    def save_model(self, request, obj, form, change):
        # The account as it was, before the form (and then save_related) change it. Kept on
        # the form: the ModelAdmin instance is shared by every request.
        form.account_before = (
            services.account_state(User.objects.get(pk=obj.pk)) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # Groups were just rewritten; read them again rather than from a stale cache.
        user = User.objects.prefetch_related("groups").get(pk=user.pk)
        services.user_account_changed(
            actor=request.user,
            user=user,
            before=getattr(form, "account_before", None),
            after=services.account_state(user),
        )

    @admin.action(description=_("Close the selected accounts (they can no longer sign in)"))
    def deactivate_selected(self, request, queryset):
        for user in queryset:
            try:
                person_deactivate(actor=request.user, person=user)
            except services.AccountError as error:
                self.message_user(
                    request,
                    _("%(person)s: %(error)s") % {"person": user, "error": error},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(person)s can no longer sign in.") % {"person": user},
                    messages.SUCCESS,
                )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the portal writes itself: visible to those allowed, never edited by hand.

    Their changes go through the services, which check the actor's right and write the audit
    row; an edit in the admin would do neither."""

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
        return roles.can_view_audit_log(request.user)

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
