"""The people pages: the list of everyone, each person's page, and what policy admins do there
(add someone, change their roles, close or reopen an account, import the staff list, export or
anonymise a person's data); and signing in and out."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import user_has_device

from people import importer, services, sso_config
from people.forms import PersonAddForm, PersonRolesForm, StaffImportConfirmForm, StaffImportForm
from people.models import StaffImport
from people.services import EXTRA_ROLES
from redbridge_portal import roles, selectors
from redbridge_portal import services as portal_services
from redbridge_portal.actions import run_action
from redbridge_portal.forms import (
    AnonymiseForm,
    LoginForm,
    PeopleSearchForm,
)
from redbridge_portal.mixins import RoleRequiredMixin
from redbridge_portal.services import AccountError


class PeopleManagerRequiredMixin(RoleRequiredMixin):
    """For policy admins; anyone else signed in gets 403 (recorded in the audit log)."""

    allowed = staticmethod(roles.can_manage_people)

    def get_person(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["pk"])


class PersonAddView(PeopleManagerRequiredMixin, FormView):
    template_name = "people/person_add.html"
    form_class = PersonAddForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "allowed_domains": settings.SSO_ALLOWED_DOMAINS}

    def form_valid(self, form):
        try:
            person = services.person_add(actor=self.request.user, **form.cleaned_data)
        except AccountError as error:
            form.add_error("email", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s has an account, and an email telling them how to sign in.")
            % {"name": person},
        )
        return redirect("person_detail", pk=person.pk)


class PersonRolesView(PeopleManagerRequiredMixin, View):
    def post(self, request, pk):
        person = self.get_person()
        form = PersonRolesForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose roles from the list."))
            return redirect("person_detail", pk=person.pk)
        return run_action(
            request,
            lambda: services.person_roles_set(
                actor=request.user, person=person, extra_roles=form.cleaned_data["extra_roles"]
            ),
            success=_("Roles saved. %(name)s has been told.") % {"name": person},
            then=reverse("person_detail", kwargs={"pk": person.pk}),
        )


class PersonActionView(PeopleManagerRequiredMixin, View):
    """A POST-only action on someone's account, calling one service as
    `service(actor=..., <person_argument>=the person)`."""

    service = None
    person_argument = "person"
    done_message = ""

    def post(self, request, pk):
        person = self.get_person()
        return run_action(
            request,
            lambda: type(self).service(actor=request.user, **{self.person_argument: person}),
            success=self.done_message % {"name": person},
            then=reverse("person_detail", kwargs={"pk": person.pk}),
        )


class PersonDeactivateView(PersonActionView):
    service = staticmethod(services.person_deactivate)
    done_message = _("%(name)s can no longer sign in, and has been signed out everywhere.")


class PersonReactivateView(PersonActionView):
    service = staticmethod(services.person_reactivate)
    done_message = _("%(name)s can sign in again.")


class StaffImportView(PeopleManagerRequiredMixin, FormView):
    """Step 1 of 2: upload the staff list. Nothing changes until the preview is confirmed."""

    template_name = "people/staff_import.html"
    form_class = StaffImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_megabytes=importer.MAX_FILE_BYTES // (1024 * 1024),
            allowed_domains=settings.SSO_ALLOWED_DOMAINS,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_FILE_BYTES:
            form.add_error(
                "file",
                _(
                    "The file is larger than %(mb)s MB. A staff list is much smaller: check it is "
                    "the right file."
                )
                % {"mb": importer.MAX_FILE_BYTES // (1024 * 1024)},
            )
            return self.form_invalid(form)
        try:
            staff_import = services.staff_import_upload(
                actor=self.request.user,
                file_name=upload.name,
                data=upload.read(),
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
        except importer.FileRefused as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return redirect(staff_import)


class StaffImportPreviewView(PeopleManagerRequiredMixin, TemplateView):
    """Step 2 of 2: what the import would do, then confirm it."""

    template_name = "people/staff_import_preview.html"

    def get_import(self):
        staff_import = get_object_or_404(StaffImport, pk=self.kwargs["pk"])
        if not roles.may_confirm_import(self.request.user, staff_import):
            raise PermissionDenied
        return staff_import

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff_import = self.get_import()
        context["staff_import"] = staff_import
        if staff_import.applied_at is None:
            plan = services.staff_import_plan(actor=self.request.user, staff_import=staff_import)
            counts = plan.counts()
            context.update(
                plan=plan,
                counts=counts,
                form=kwargs.get("form")
                or StaffImportConfirmForm(
                    initial={"expected": ",".join(str(v) for v in counts.values())}
                ),
            )
        return context

    def post(self, request, pk):
        staff_import = self.get_import()
        form = StaffImportConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Check the preview and confirm again."))
            return redirect(staff_import)
        try:
            result = services.staff_import_apply(
                actor=request.user,
                staff_import=staff_import,
                only_valid_rows=form.cleaned_data["only_valid_rows"],
                expected=form.cleaned_data["expected"],
            )
        except AccountError as error:
            messages.error(request, str(error))
            return redirect(staff_import)
        messages.success(
            request,
            _("Imported: %(new)s added, %(changed)s changed, %(to_close)s closed.") % result,
        )
        return redirect(reverse("people"))


# --- Signing in ---------------------------------------------------------------------------------

SSO_LOGIN_URL_NAMES = {
    "microsoft": ("microsoft_login", {}),
    "google": ("google_login", {}),
    "oidc": ("openid_connect_login", {"provider_id": sso_config.OIDC_PROVIDER_ID}),
}


class SignInView(auth_views.LoginView):
    """The portal's sign-in page: the school account's button first (when single sign-on is
    set up), then the password form (hidden with SSO_ONLY, except behind the break-glass link
    for superusers)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider = settings.SSO_PROVIDER
        if provider:
            name, url_kwargs = SSO_LOGIN_URL_NAMES[provider]
            context.update(
                sso_login_url=reverse(name, kwargs=url_kwargs),
                sso_button_label=settings.SSO_BUTTON_LABEL,
                sso_logout_url=settings.SSO_LOGOUT_URL if "signed-out" in self.request.GET else "",
            )
        context["show_password_form"] = (
            not settings.SSO_ONLY or "password" in self.request.GET or self.request.method == "POST"
        )
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """With SSO_ONLY, staff have no portal password to change: the page says where to go."""

    def dispatch(self, request, *args, **kwargs):
        if not roles.may_use_password(request.user):
            return render(request, "people/password_not_used.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; with single sign-on, the sign-in page it returns to offers signing
    out of the school account too (the provider's own sign-out page)."""

    def get_success_url(self):
        if settings.SSO_PROVIDER and settings.SSO_LOGOUT_URL:
            return reverse("login") + "?signed-out=1"
        return super().get_success_url()


# --- The list of people, each person's page and their personal data ---------------------------


class PeopleView(RoleRequiredMixin, TemplateView):
    allowed = staticmethod(roles.can_manage_people)
    template_name = "account/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeopleSearchForm(self.request.GET or None)
        search = form.cleaned_data["search"] if form.is_valid() else ""
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            search=search,
            page_obj=Paginator(selectors.people(search=search), 50).get_page(
                self.request.GET.get("page")
            ),
            query_string=query.urlencode(),
        )
        return context


class PersonMixin(PeopleManagerRequiredMixin):
    """A person's page and their personal data: for those who may manage personal data."""

    allowed = staticmethod(roles.can_manage_personal_data)


class PersonDetailView(PersonMixin, TemplateView):
    template_name = "account/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context.update(
            person=person,
            person_roles=roles.role_names(person),
            has_two_factor=user_has_device(person),
            recent_events=selectors.audit_events_about(person)[:20],
            is_self=person.pk == self.request.user.pk,
            roles_form=PersonRolesForm(
                initial={"extra_roles": [r for r in roles.role_names(person) if r in EXTRA_ROLES]}
            ),
        )
        return context


class PersonExportView(PersonMixin, View):
    """Download everything held about one person, as JSON (a subject access request)."""

    def post(self, request, pk):
        person = self.get_person()
        data = portal_services.personal_data_export(actor=request.user, user=person)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
        return response


class PersonAnonymiseView(PersonMixin, FormView):
    template_name = "account/person_anonymise.html"
    form_class = AnonymiseForm

    def get_context_data(self, **kwargs):
        person = self.get_person()
        return super().get_context_data(
            person=person, is_self=person.pk == self.request.user.pk, **kwargs
        )

    def form_valid(self, form):
        person = self.get_person()
        try:
            person = portal_services.user_anonymise(actor=self.request.user, user=person)
        except portal_services.AccountError as error:
            messages.error(self.request, str(error))
            return redirect("person_detail", pk=person.pk)
        messages.success(
            self.request, _("Anonymised. The account is now %(name)s.") % {"name": person}
        )
        return redirect("person_detail", pk=person.pk)


class PersonTwoFactorResetView(PersonActionView):
    allowed = staticmethod(roles.can_manage_personal_data)
    service = staticmethod(portal_services.two_factor_reset)
    person_argument = "user"
    done_message = _("%(name)s will set up two-factor sign-in again next time they sign in.")
