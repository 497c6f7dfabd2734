"""What pages and their forms share.

- `RoleRequiredMixin`: what a page requires of the person asking; the answer comes from one
  rule in redbridge_portal.roles, so a page and its service cannot disagree.
- `PersonalListsView`: a feature's list page, from the selector that answers for the person.
- `ObjectPageView` and `PostedFormMixin`: an object's page with the forms it offers, each form
  sent to its own address and handled by one service.
- `ServiceFormView`: a page whose form is handed to one service; `SendOnceFormView`, a form
  that creates one thing, however often it is sent.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from redbridge_portal.actions import ActionRefused, run_action


class RoleRequiredMixin:
    """Signed-in people for whom `allowed(user)` is false get 403 (recorded in the audit log
    by the portal's 403 handler), with `refused` as the reason if given. Set
    `allowed = staticmethod(roles.can_...)`."""

    allowed = None
    refused = ""

    def dispatch(self, request, *args, **kwargs):
        if not type(self).allowed(request.user):
            raise PermissionDenied(self.refused)
        return super().dispatch(request, *args, **kwargs)


class PersonalListsView(TemplateView):
    """A feature's list page, whose context is what one selector, `lists(user)`, finds for the
    person asking (a selector answers only with what they may see)."""

    lists = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.lists(self.request.user), **kwargs)


class ObjectPageView(TemplateView):
    """The page of the object whose `pk` is in the address, in the template as
    `context_object_name`, with the forms it offers.

    `find(user, pk)` is the feature's selector: it finds only what this person may see, so
    anyone else gets 404 and the page does not tell them that the object exists.
    `form_classes` names each form on the page as the template does; `empty_forms()` makes
    them, and a form sent with problems takes its place (see `PostedFormMixin`).
    """

    find = None
    not_found = ""
    context_object_name = ""
    form_classes: dict = {}

    def get_object(self):
        found = type(self).find(self.request.user, self.kwargs["pk"])
        if found is None:
            raise Http404(self.not_found)
        return found

    def empty_forms(self) -> dict:
        return {name: form_class() for name, form_class in self.form_classes.items()}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_page()

    def render_page(self, *, status: int = 200, **sent_forms):
        context = self.get_context_data(
            **{self.context_object_name: self.object, **self.empty_forms(), **sent_forms}
        )
        return self.render_to_response(context, status=status)


class PostedFormMixin:
    """One form of an `ObjectPageView`, sent to its own address (POST only). Put it before the
    page's class: `class ConcernResolveView(PostedFormMixin, ConcernPageView)`.

    The form is the page's form named `form_name` (none for an action that is only a button).
    A form with problems is shown again in its place on the page, with `invalid_message` and
    status 400. Otherwise the service is called as
    `service(actor=..., <context_object_name>=the object, **the form's cleaned data)`, so the
    form's fields are named as the service's arguments; `run_action` says what happened
    (`success_message`, or why the service refused) and goes back to the page, or to
    `success_url(done)` when the action made something with a page of its own.
    """

    http_method_names = ["post"]
    form_name = ""
    service = None
    invalid_message = ""
    success_message = ""
    success_url = None

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_classes.get(self.form_name, forms.Form)(request.POST)
        if not form.is_valid():
            messages.error(request, self.invalid_message)
            return self.render_page(status=400, **{self.form_name: form})
        return run_action(
            request,
            lambda: type(self).service(
                actor=request.user, **{self.context_object_name: self.object}, **form.cleaned_data
            ),
            success=self.success_message,
            then=self.object.get_absolute_url(),
            then_done=self.success_url,
        )


class ServiceFormView(FormView):
    """A page whose form is handed to one service (`act`). A form with problems, or one the
    service refuses, is shown again with status 400: the refusal's message sits by the field
    it names (its `field`, else `refusal_field`), or at the top. Otherwise the person is told
    `done_message(done)` and sent to `done_url(done)`, `done` being what the service
    returned."""

    http_method_names = ["get", "post"]
    refusal_field = None

    def act(self, data: dict):
        raise NotImplementedError

    def done_message(self, done) -> str:
        raise NotImplementedError

    def done_url(self, done) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            done = self.act(form.cleaned_data)
        except ActionRefused as refusal:
            return self.show_refusal(form, refusal)
        if message := self.done_message(done):
            messages.success(self.request, message)
        return redirect(self.done_url(done))

    def show_refusal(self, form, refusal: ActionRefused):
        form.add_error(getattr(refusal, "field", None) or self.refusal_field, refusal.message)
        return self.form_invalid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SendOnceFormView(ServiceFormView):
    """A form that creates one thing for the person sending it. It carries a one-off token
    (`form_token`), so sending it twice creates one thing (see `create_once`).

    `service(actor=..., **the form's cleaned data)` returns (the thing, created); the person
    goes to the thing's page, told `sent_message` the first time. A form with problems, or
    one the service refuses, is shown again with `not_sent_message` and status 400.
    """

    service = None
    sent_message = ""
    not_sent_message = ""

    def get_initial(self):
        return {**super().get_initial(), "form_token": uuid.uuid4()}

    def act(self, data):
        made, self.created = type(self).service(actor=self.request.user, **data)
        return made

    def done_message(self, made):
        return self.sent_message if self.created else ""

    def done_url(self, made):
        return made.get_absolute_url()

    def form_invalid(self, form):
        messages.error(self.request, self.not_sent_message)
        return super().form_invalid(form)
