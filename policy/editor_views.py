"""The review editor: the draft as staff will read it, each part editable in place, the
differences from the published version beside each changed clause, and the sign-off.

Pages are server-rendered and work without JavaScript; `static/js/policy_editor.js` adds the
live difference while typing. Each action is a small POST view calling one service in
`policy.review`; a refused action is shown as a message, and a conflict (someone else saved
the same part meanwhile) re-displays the page with both wordings, keeping what was typed.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from policy import diff, review, selectors, services
from policy.editor_forms import (
    AddClauseForm,
    AddItemForm,
    GuidelineForm,
    RenumberForm,
    SendBackForm,
    SummaryForm,
    SynonymForm,
    TextPartForm,
)
from policy.models import (
    Clause,
    Guideline,
    ListItem,
    Principle,
    SearchSynonym,
    Section,
    SignOffState,
)
from policy.review import EditConflict, PolicyError
from policy.views import PolicyManagerRequiredMixin
from redbridge_portal import roles
from redbridge_portal.actions import run_action
from redbridge_portal.mixins import ServiceFormView


def _require_manager(request) -> None:
    if not roles.can_manage_policy(request.user):
        raise PermissionDenied(_("Only policy admins can run the annual review."))


def _no_draft(request):
    messages.info(request, _("There is no draft being reviewed. Start the annual review."))
    return redirect("policy:review")


def _for_the_draft(view):
    """For policy admins (403 for anyone else) while there is a draft, which the view is
    given; without one, the annual review's page says so."""

    @wraps(view)
    def for_the_draft(request, *args, **kwargs):
        _require_manager(request)
        draft = selectors.draft_version()
        if draft is None:
            return _no_draft(request)
        return view(request, draft, *args, **kwargs)

    return for_the_draft


def _compared_with_current(draft):
    """The published version and how the draft differs from it (None before the first)."""
    current = selectors.current_version()
    if current is None:
        return None, None
    return current, diff.compare_documents(
        selectors.policy_document(current), selectors.policy_document(draft)
    )


def _part_of_draft(model, pk, draft):
    lookup = "clause__version" if model is ListItem else "version"
    part = model.objects.filter(pk=pk, **{lookup: draft}).first() if draft else None
    if part is None:
        raise Http404(_("That part of the draft does not exist (it may have been removed)."))
    return part


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _clause_url(clause) -> str:
    return reverse("policy:review_clause", kwargs={"pk": clause.pk})


def _editor_url(clause=None) -> str:
    url = reverse("policy:review_edit")
    return f"{url}#{clause.anchor}" if clause is not None else url


# --- The draft, section by section -------------------------------------------------------------


@require_GET
@_for_the_draft
def editor(request, draft):
    editing = selectors.review_editor(draft)
    return render(
        request,
        "policy/review_edit.html",
        {
            "draft": draft,
            "editing": editing,
            "editable": draft.sign_off_state == SignOffState.EDITING,
        },
    )


@require_GET
@_for_the_draft
def changes_so_far(request, draft):
    current, comparison = _compared_with_current(draft)
    return render(
        request,
        "policy/review_changes.html",
        {"draft": draft, "current": current, "comparison": comparison},
    )


# --- One clause and its list -----------------------------------------------------------------


def _clause_page(request, clause, *, problems=None, status=200):
    """The clause editor. `problems` maps a part's key ("clause", "item-12", "add", "remove")
    to (message, bound form or None, the saved part as it is now or None)."""
    draft = clause.version
    problems = problems or {}
    editing = selectors.clause_editor(draft, clause.pk)
    if editing is None:
        raise Http404(_("That clause is no longer in the draft."))
    clause = editing.clause

    def form_for(key, initial):
        problem = problems.get(key)
        if problem and problem[1] is not None:
            return problem[1]
        return TextPartForm(initial=initial, prefix=key)

    clause_form = form_for("clause", {"text": clause.text, "revision": clause.revision})
    rows = []
    numbers = {item.pk: position for position, (item, _depth) in enumerate(editing.items, 1)}
    for item, depth in editing.items:
        key = f"item-{item.pk}"
        rows.append(
            {
                "item": item,
                "number": numbers[item.pk],
                "parent_number": numbers.get(item.parent_id),
                "depth": min(depth, 4),
                "key": key,
                "form": form_for(key, {"text": item.text, "revision": item.revision}),
                "problem": problems.get(key),
            }
        )
    add_problem = problems.get("add")
    add_form = (
        add_problem[1] if add_problem and add_problem[1] is not None else None
    ) or AddItemForm(items=editing.items, prefix="add")
    return render(
        request,
        "policy/review_clause.html",
        {
            "draft": draft,
            "clause": clause,
            "change": editing.change,
            "clause_form": clause_form,
            "clause_problem": problems.get("clause"),
            "remove_problem": problems.get("remove"),
            "rows": rows,
            "add_form": add_form,
            "editable": draft.sign_off_state == SignOffState.EDITING,
        },
        status=status,
    )


@require_GET
@_for_the_draft
def clause_editor(request, draft, pk):
    return _clause_page(request, _part_of_draft(Clause, pk, draft))


@require_POST
def clause_save(request, pk):
    _require_manager(request)
    clause = _part_of_draft(Clause, pk, selectors.draft_version())
    form = TextPartForm(request.POST, prefix="clause")
    if not form.is_valid():
        return _clause_page(request, clause, problems={"clause": ("", form, None)}, status=400)
    try:
        review.clause_edit(
            actor=request.user,
            clause=clause,
            text=form.cleaned_data["text"],
            revision=form.cleaned_data["revision"],
        )
    except EditConflict as conflict:
        return _conflict(request, clause, "clause", form, conflict)
    except PolicyError as error:
        messages.error(request, str(error))
        return redirect(_clause_url(clause))
    messages.success(request, _("Clause %(n)s was saved.") % {"n": clause.number})
    return redirect(_clause_url(clause))


def _conflict(request, clause, key, form, conflict):
    """Show both wordings; the form keeps what was typed, with the new revision so that
    saving again (after checking) overwrites knowingly."""
    data = request.POST.copy()
    data[f"{key}-revision"] = str(conflict.current.revision)
    bound = TextPartForm(data, prefix=key)
    bound.is_valid()
    return _clause_page(
        request, clause, problems={key: (str(conflict), bound, conflict.current)}, status=409
    )


@require_POST
def item_action(request, pk):
    """Save, move up, move down or remove one list item. Moving first saves what was typed,
    so no wording is lost."""
    _require_manager(request)
    item = _part_of_draft(ListItem, pk, selectors.draft_version())
    clause = item.clause
    key = f"item-{item.pk}"
    action = request.POST.get("action", "save")
    if action not in ("save", review.UP, review.DOWN, "remove"):
        messages.error(request, _("Choose what to do with the item."))
        return redirect(_clause_url(clause))
    form = TextPartForm(request.POST, prefix=key)
    if not form.is_valid():
        return _clause_page(request, clause, problems={key: ("", form, None)}, status=400)
    text, revision = form.cleaned_data["text"], form.cleaned_data["revision"]
    try:
        if action == "remove":
            review.list_item_remove(actor=request.user, item=item, revision=revision)
            messages.success(request, _("The item was removed."))
            return redirect(_clause_url(clause))
        review.list_item_edit(actor=request.user, item=item, text=text, revision=revision)
        if action in (review.UP, review.DOWN):
            if not review.list_item_move(actor=request.user, item=item, direction=action):
                messages.info(
                    request,
                    _("The item is already at the %(end)s of its list.")
                    % {"end": _("top") if action == review.UP else _("bottom")},
                )
            else:
                messages.success(request, _("The item was moved."))
        else:
            messages.success(request, _("The item was saved."))
    except EditConflict as conflict:
        return _conflict(request, clause, key, form, conflict)
    except PolicyError as error:
        messages.error(request, str(error))
    return redirect(f"{_clause_url(clause)}#{key}")


@require_POST
def item_add(request, pk):
    _require_manager(request)
    clause = _part_of_draft(Clause, pk, selectors.draft_version())
    editing = selectors.clause_editor(clause.version, clause.pk)
    form = AddItemForm(request.POST, items=editing.items, prefix="add")
    if not form.is_valid():
        return _clause_page(request, clause, problems={"add": ("", form, None)}, status=400)
    parent_pk = form.cleaned_data["parent"]
    parent = ListItem.objects.filter(pk=parent_pk, clause=clause).first() if parent_pk else None
    try:
        review.list_item_add(
            actor=request.user, clause=clause, text=form.cleaned_data["text"], parent=parent
        )
    except PolicyError as error:
        form.add_error(None, str(error))
        return _clause_page(request, clause, problems={"add": ("", form, None)}, status=400)
    messages.success(request, _("The item was added to clause %(n)s.") % {"n": clause.number})
    return redirect(_clause_url(clause))


@require_POST
def clause_live_diff(request, pk):
    """The word-level difference of a clause being typed, as an HTML fragment (for the
    editor's script; the page shows the saved difference without it)."""
    _require_manager(request)
    clause = _part_of_draft(Clause, pk, selectors.draft_version())
    overrides = {}
    for name, value in request.POST.items():
        if name.startswith("item-") and name.endswith("-text"):
            item_pk = _int(name[len("item-") : -len("-text")])
            if item_pk is not None:
                overrides[item_pk] = value[:5000]
    change = selectors.clause_change(
        clause.version, clause.pk, text=request.POST.get("clause-text", "")[:5000], items=overrides
    )
    html = render_to_string("policy/includes/review_clause_diff.html", {"change": change})
    return HttpResponse(html)


@require_POST
def clause_move(request, pk):
    _require_manager(request)
    clause = _part_of_draft(Clause, pk, selectors.draft_version())
    direction = request.POST.get("direction")
    try:
        moved = review.clause_move(actor=request.user, clause=clause, direction=direction)
    except PolicyError as error:
        messages.error(request, str(error))
    else:
        if moved:
            messages.success(request, _("Clause %(n)s was moved.") % {"n": clause.number})
        else:
            messages.info(
                request,
                _("Clause %(n)s is already at that end of its section.") % {"n": clause.number},
            )
    return redirect(_editor_url(clause))


@require_POST
def clause_remove(request, pk):
    _require_manager(request)
    clause = _part_of_draft(Clause, pk, selectors.draft_version())
    revision = _int(request.POST.get("revision"))
    if revision is None:
        messages.error(request, _("Open the clause again, then remove it from there."))
        return redirect(_clause_url(clause))
    try:
        review.clause_remove(actor=request.user, clause=clause, revision=revision)
    except EditConflict as conflict:
        return _clause_page(
            request,
            clause,
            problems={"remove": (str(conflict), None, conflict.current)},
            status=409,
        )
    except PolicyError as error:
        messages.error(request, str(error))
        return redirect(_clause_url(clause))
    messages.success(request, _("Clause %(n)s was removed from the draft.") % {"n": clause.number})
    return redirect(_editor_url())


class DraftFormView(PolicyManagerRequiredMixin, ServiceFormView):
    """A form page of the review editor about the draft or one part of it (`part_model`, by
    the `pk` in the address; a part of another version is not found)."""

    part_model = None

    @cached_property
    def draft(self):
        return selectors.draft_version()

    @cached_property
    def part(self):
        return _part_of_draft(self.part_model, self.kwargs["pk"], self.draft)

    def get_context_data(self, **kwargs):
        return super().get_context_data(draft=self.draft, **kwargs)


class ClauseAddView(DraftFormView):
    template_name = "policy/review_clause_add.html"
    form_class = AddClauseForm
    part_model = Section

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.part, **kwargs)

    def act(self, data):
        return review.clause_add(actor=self.request.user, section=self.part, **data)

    def done_message(self, clause):
        return _("Clause %(n)s was added.") % {"n": clause.number}

    def done_url(self, clause):
        return _clause_url(clause)


class ClauseRenumberView(DraftFormView):
    """Renumbering is deliberate: the page says what cites the clause's number first."""

    template_name = "policy/review_clause_renumber.html"
    form_class = RenumberForm
    part_model = Clause

    def get_initial(self):
        return {"revision": self.part.revision}

    def get_context_data(self, **kwargs):
        citations = selectors.clause_citations(self.draft, self.part)
        return super().get_context_data(clause=self.part, citations=citations, **kwargs)

    def act(self, data):
        numbers = {"old": self.part.number, "new": data["number"]}
        review.clause_renumber(
            actor=self.request.user,
            clause=self.part,
            number=data["number"],
            revision=data["revision"],
        )
        return numbers

    def done_message(self, numbers):
        return _("Clause %(old)s is now clause %(new)s.") % numbers

    def done_url(self, numbers):
        return _clause_url(self.part)


# --- Core principles and guidelines -----------------------------------------------------------


class DraftPartEditView(DraftFormView):
    """The wording of a core principle or a guideline. If someone else saved it since the
    page was opened, the page shows their wording (status 409) and keeps what was typed, with
    the new revision, so that saving again (after checking) overwrites knowingly."""

    template_name = "policy/review_part.html"
    current = None

    def get_context_data(self, **kwargs):
        current = self.current and self.saved_wording(self.current)
        return super().get_context_data(title=self.title(), current=current, **kwargs)

    def show_refusal(self, form, refusal):
        if not isinstance(refusal, EditConflict):
            return super().show_refusal(form, refusal)
        self.current = refusal.current
        data = self.request.POST.copy()
        data["revision"] = str(self.current.revision)
        form = self.form_class(data)
        form.is_valid()
        form.add_error(None, refusal.message)
        return self.render_to_response(self.get_context_data(form=form), status=409)

    def done_url(self, part):
        return f"{_editor_url()}#{self.part.anchor}"


class PrincipleEditView(DraftPartEditView):
    form_class = TextPartForm
    part_model = Principle

    def get_initial(self):
        return {"text": self.part.text, "revision": self.part.revision}

    def title(self):
        return _("Core principle %(n)s") % {"n": self.part.number}

    def saved_wording(self, principle):
        return principle.text

    def act(self, data):
        return review.principle_edit(actor=self.request.user, principle=self.part, **data)

    def done_message(self, principle):
        return _("Core principle %(n)s was saved.") % {"n": self.part.number}


class GuidelineEditView(DraftPartEditView):
    form_class = GuidelineForm
    part_model = Guideline

    def get_initial(self):
        guideline = self.part
        return {"title": guideline.title, "body": guideline.body, "revision": guideline.revision}

    def title(self):
        return _("Guideline: %(t)s") % {"t": self.part.title}

    def saved_wording(self, guideline):
        return f"{guideline.title}\n\n{guideline.body}"

    def act(self, data):
        return review.guideline_edit(actor=self.request.user, guideline=self.part, **data)

    def done_message(self, guideline):
        return _("The guideline was saved.")


# --- Summary and sign-off ------------------------------------------------------------------------


class SummaryEditView(DraftFormView):
    template_name = "policy/review_summary.html"
    form_class = SummaryForm
    refusal_field = "change_summary"

    def get(self, request, *args, **kwargs):
        return self.without_draft() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.without_draft() or super().post(request, *args, **kwargs)

    def without_draft(self):
        return _no_draft(self.request) if self.draft is None else None

    def get_initial(self):
        return {"change_summary": self.draft.change_summary}

    def act(self, data):
        return review.policy_draft_summary_update(
            actor=self.request.user, version=self.draft, **data
        )

    def done_message(self, version):
        return _("The summary of changes was saved.")

    def done_url(self, version):
        return reverse("policy:review")


@require_POST
@_for_the_draft
def send_for_sign_off(request, draft):
    return run_action(
        request,
        lambda: review.policy_draft_send_for_sign_off(actor=request.user, version=draft),
        success=_(
            "Version %(n)s was sent for sign-off. The senior team has been asked to check it."
        )
        % {"n": draft.number},
        then=reverse("policy:review"),
        then_done=lambda version: reverse("policy:review_sign_off"),
    )


@require_POST
@_for_the_draft
def reopen(request, draft):
    return run_action(
        request,
        lambda: review.policy_draft_reopen(actor=request.user, version=draft),
        success=_("The draft can be changed again; it will need signing off."),
        then=reverse("policy:review"),
    )


@require_http_methods(["GET", "POST"])
def sign_off(request):
    """For the senior team and the person responsible: check the changes, then sign off or
    send back. Policy admins see where the draft stands."""
    draft = selectors.draft_version()
    user = request.user
    refused = _("Only the senior team and policy admins can see the sign-off.")
    if draft is None:
        # Nothing to read: the page only says so, to those who would be asked.
        if not (roles.can_manage_policy(user) or roles.is_senior_team(user)):
            raise PermissionDenied(refused)
        return render(request, "policy/review_sign_off.html", {"draft": None})
    if not roles.may_read_policy_draft(user, draft):
        raise PermissionDenied(refused)
    may_sign = roles.may_sign_off_policy(user, draft)
    form = SendBackForm(request.POST if request.POST.get("decision") == "send_back" else None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        here = reverse("policy:review_sign_off")
        if decision == "sign_off":
            return run_action(
                request,
                lambda: review.policy_draft_sign_off(actor=user, version=draft),
                success=_("You signed off version %(n)s. A policy admin can now publish it.")
                % {"n": draft.number},
                then=here,
            )
        if decision == "send_back" and form.is_valid():
            return run_action(
                request,
                lambda: review.policy_draft_send_back(
                    actor=user, version=draft, comments=form.cleaned_data["comments"]
                ),
                success=_("The draft was sent back with your comments."),
                then=here,
            )
        if decision not in ("sign_off", "send_back"):
            messages.error(request, _("Choose to sign off the draft or send it back."))
            return redirect(here)
    current, comparison = _compared_with_current(draft)
    return render(
        request,
        "policy/review_sign_off.html",
        {
            "draft": draft,
            "current": current,
            "comparison": comparison,
            "may_sign": may_sign,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- Search words ------------------------------------------------------------------------------


class SearchSynonymsView(PolicyManagerRequiredMixin, ServiceFormView):
    """The sets of words the policy search treats as the same, kept by the policy admins."""

    template_name = "policy/search_synonyms.html"
    form_class = SynonymForm
    refusal_field = "words"

    def get_context_data(self, **kwargs):
        synonyms = SearchSynonym.objects.order_by("words")
        return super().get_context_data(synonyms=synonyms, **kwargs)

    def act(self, data):
        return services.search_synonym_add(actor=self.request.user, **data)

    def done_message(self, synonym):
        return _("The words were added. Search finds them together now.")

    def done_url(self, synonym):
        return reverse("policy:search_synonyms")


@require_POST
def search_synonym_remove(request, pk):
    _require_manager(request)
    synonym = SearchSynonym.objects.filter(pk=pk).first()
    if synonym is None:
        raise Http404(_("Those words are no longer on the list."))
    services.search_synonym_remove(actor=request.user, synonym=synonym)
    messages.success(request, _("“%(words)s” was removed.") % {"words": synonym.words})
    return redirect("policy:search_synonyms")
