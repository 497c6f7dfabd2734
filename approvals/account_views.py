"""Pages for the school's social media accounts: policy admins add, change, retire and
reinstate them; anyone else signed in gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from approvals import social_accounts
from approvals.account_forms import SocialAccountForm
from approvals.models import Account
from redbridge_portal import roles
from redbridge_portal.actions import run_action


class AccountManagerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not roles.can_manage_social_accounts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_account(self):
        return get_object_or_404(Account, pk=self.kwargs["pk"])


class SocialAccountListView(AccountManagerRequiredMixin, TemplateView):
    template_name = "approvals/account_list.html"

    def get_context_data(self, **kwargs):
        accounts = list(social_accounts.social_accounts_for_page())
        return super().get_context_data(
            accounts_in_use=[a for a in accounts if a.is_active],
            retired_accounts=[a for a in accounts if not a.is_active],
            **kwargs,
        )


class SocialAccountAddView(AccountManagerRequiredMixin, FormView):
    template_name = "approvals/account_form.html"
    form_class = SocialAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": _("Add the account")}

    def form_valid(self, form):
        account = social_accounts.social_account_add(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Added %(account)s. Staff can now choose it for posts.") % {"account": account},
        )
        return redirect("approvals:account_list")


class SocialAccountEditView(AccountManagerRequiredMixin, FormView):
    template_name = "approvals/account_form.html"
    form_class = SocialAccountForm

    def dispatch(self, request, *args, **kwargs):
        if roles.can_manage_social_accounts(request.user):
            self.account = self.get_account()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.account,
            "submit_label": _("Save the changes"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def form_valid(self, form):
        try:
            account = social_accounts.social_account_update(
                actor=self.request.user, account=self.account, **form.cleaned_data
            )
        except social_accounts.AccountManagementError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(account)s.") % {"account": account})
        return redirect("approvals:account_list")


class SocialAccountInUseView(AccountManagerRequiredMixin, View):
    """POST only: retire an account, or put a retired one back in use."""

    in_use = False

    def post(self, request, pk):
        account = self.get_account()
        if self.in_use:
            return run_action(
                request,
                lambda: social_accounts.social_account_reinstate(
                    actor=request.user, account=account
                ),
                success=_("%(account)s is back in use.") % {"account": account.name},
                then=reverse("approvals:account_list"),
            )
        return run_action(
            request,
            lambda: social_accounts.social_account_retire(actor=request.user, account=account),
            success=_(
                "%(account)s is retired: staff can no longer choose it. Its posts stay in the "
                "published log."
            )
            % {"account": account.name},
            then=reverse("approvals:account_list"),
        )
