"""Editing a draft version in the admin: the version with its sections, core principles and
guidelines as inlines; a section with its clauses; a clause with its (nested) list items.

Only policy admins may use these pages, and only a draft can be changed: published and
superseded versions open read-only (the models refuse changes to them too). New versions come
from "Start annual review", never from the admin's add form.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from policy.models import (
    Acknowledgement,
    Clause,
    Guideline,
    ListItem,
    PolicyVersion,
    Principle,
    Section,
    SignOffState,
)
from redbridge_portal import roles
from redbridge_portal.admin import ReadOnlyAdmin


def _version_of(obj) -> PolicyVersion | None:
    if obj is None:
        return None
    if isinstance(obj, PolicyVersion):
        return obj
    if isinstance(obj, ListItem):
        return obj.clause.version
    return obj.version


class PolicyPermissionsMixin:
    """Policy admins may view everything and change drafts; nobody may change the rest."""

    def _manager(self, request) -> bool:
        return roles.can_manage_policy(request.user)

    def _editable(self, request, obj) -> bool:
        # Not while the draft waits for sign-off or has been signed off: what was checked is
        # what gets published.
        version = _version_of(obj)
        return self._manager(request) and (
            version is None or (version.is_draft and version.sign_off_state == SignOffState.EDITING)
        )

    def has_module_permission(self, request):
        return self._manager(request)

    def has_view_permission(self, request, obj=None):
        return self._manager(request)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


class NewRevisionMixin:
    """An emergency edit here counts as a new revision of what it changes, so that an editor
    with the same clause open in the portal is told of the conflict instead of overwriting it."""

    def save_model(self, request, obj, form, change):
        if change and form.has_changed() and hasattr(obj, "revision"):
            obj.revision += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed() and hasattr(instance, "revision"):
                instance.revision += 1
        super().save_formset(request, form, formset, change)


class VersionPartAdmin(NewRevisionMixin, PolicyPermissionsMixin, admin.ModelAdmin):
    """A section or clause: reached, and added, from its version's (or section's) page, where
    it belongs; not listed on the admin index and with no add form of its own. It stays in
    its version, which is shown but never changed here."""

    list_filter = ("version",)
    readonly_fields = ("version",)

    def get_model_perms(self, request):
        return {}

    def has_add_permission(self, request, obj=None):
        return False


# --- Inlines -----------------------------------------------------------------------------------


class SectionInline(PolicyPermissionsMixin, admin.TabularInline):
    model = Section
    fields = ("order", "number", "title")
    extra = 0
    show_change_link = True
    verbose_name_plural = _("sections (open a section to edit its clauses)")


class PrincipleInline(PolicyPermissionsMixin, admin.TabularInline):
    model = Principle
    fields = ("number", "text")
    extra = 0


class GuidelineInline(PolicyPermissionsMixin, admin.StackedInline):
    model = Guideline
    fields = ("order", "title", "slug", "body")
    extra = 0


class ClauseInline(PolicyPermissionsMixin, admin.StackedInline):
    model = Clause
    fields = ("order", "number", "text")
    extra = 0
    show_change_link = True
    verbose_name_plural = _("clauses (open a clause to edit its list)")


class ListItemInline(PolicyPermissionsMixin, admin.TabularInline):
    model = ListItem
    fk_name = "clause"
    fields = ("order", "parent", "text")
    extra = 1
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
    }

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # An item can only sit inside another item of the same clause.
        field = formset.form.base_fields.get("parent")
        if field is not None:
            items = list(ListItem.objects.filter(clause=obj)) if obj is not None else []
            labels = _item_labels(items)
            if labels:
                # Offer the items in reading order, so the numbers in the labels count up.
                reading_order = Case(
                    *(When(pk=pk, then=Value(i)) for i, pk in enumerate(labels)),
                    output_field=IntegerField(),
                )
                field.queryset = ListItem.objects.filter(pk__in=list(labels)).order_by(
                    reading_order
                )
            else:
                field.queryset = ListItem.objects.none()
            field.label_from_instance = lambda item: labels.get(item.pk, str(item))
        return formset


def _item_labels(items: list[ListItem]) -> dict[int, str]:
    """Labels in reading order that show the nesting: "1. breach…", "1.2. giving away…"."""
    children: dict[int | None, list[ListItem]] = {}
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        children.setdefault(item.parent_id, []).append(item)
    labels: dict[int, str] = {}

    def walk(parent_id, prefix):
        for position, item in enumerate(children.get(parent_id, []), start=1):
            number = f"{prefix}{position}."
            labels[item.pk] = f"{number} {Truncator(item.text).chars(60)}"
            walk(item.pk, number)

    walk(None, "")
    return labels


# --- Model admins ------------------------------------------------------------------------------


@admin.register(PolicyVersion)
class PolicyVersionAdmin(NewRevisionMixin, PolicyPermissionsMixin, admin.ModelAdmin):
    list_display = ("number", "title", "status", "last_review_date", "next_review_due")
    list_filter = ("status",)
    ordering = ("-number",)
    inlines = [SectionInline, PrincipleInline, GuidelineInline]
    readonly_fields = (
        "number",
        "status",
        "last_review_date",
        "next_review_due",
        "published_at",
        "published_by",
        "change_summary",
        "based_on",
        "preview_link",
    )
    fieldsets = (
        (
            None,
            {"fields": ("number", "status", "preview_link", "title", "school")},
        ),
        (_("Responsibility"), {"fields": ("person_responsible", "person_responsible_role")}),
        (
            _("Guidelines part"),
            {"fields": ("guidelines_title", "guidelines_introduction", "principles_introduction")},
        ),
        (
            _("Review and publication (set when published)"),
            {
                "fields": (
                    "last_review_date",
                    "next_review_due",
                    "published_at",
                    "published_by",
                    "change_summary",
                    "based_on",
                )
            },
        ),
    )

    def has_add_permission(self, request, obj=None):
        return False  # a new version is a draft copy made by "Start annual review"

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("See this version as staff will"),
            reverse("policy:review"),
            _("Back to the annual review"),
        )


@admin.register(Section)
class SectionAdmin(VersionPartAdmin):
    list_display = ("__str__", "version")
    fields = ("version", "order", "number", "title")
    inlines = [ClauseInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")


@admin.register(Clause)
class ClauseAdmin(VersionPartAdmin):
    list_display = ("number", "section", "version")
    fields = ("version", "section", "order", "number", "text")
    inlines = [ListItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version", "section")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("section")
        if field is not None and obj is not None:
            # A clause may move to another section of the same version only.
            field.queryset = Section.objects.filter(version_id=obj.version_id)
        return form


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    """Read-only: acknowledgements are given by staff themselves."""

    list_display = ("user", "version", "acknowledged_at")
    list_filter = ("version",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user", "version")

    def has_module_permission(self, request):
        return roles.can_view_acknowledgements(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.can_view_acknowledgements(request.user)
