"""Pages for posts, the senior-team queue, campaigns and the published log.

Views are thin: they check who may open a page (403 for a missing role, 404 for someone else's
post), validate the form and call one service. A refused action comes back as ApprovalError
and is shown as a message; nothing here changes a status itself. The post and campaign pages
are `ObjectPageView`s and most of their forms `PostedFormMixin` views, as concerns and
questions are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from approvals import selectors, services
from approvals.forms import (
    CalendarForm,
    CampaignDecisionForm,
    CampaignForm,
    CommentForm,
    CorrectPublicationForm,
    DecisionForm,
    MarkPublishedForm,
    NewDraftForm,
    PostForm,
    PublishedLogFilterForm,
    QueueFilterForm,
    SelfCheckForm,
)
from approvals.images import clean_uploaded_image
from approvals.models import (
    CampaignStatus,
    DecisionOutcome,
    PendingImage,
    Post,
    PostMedia,
    PostStatus,
)
from approvals.services import ApprovalError, PostContent
from policy import prescreen
from redbridge_portal import roles
from redbridge_portal.csv_export import csv_download
from redbridge_portal.mixins import ObjectPageView, PostedFormMixin, RoleRequiredMixin


def _visible_post_or_404(request, pk) -> Post:
    post = selectors.post_for_page(request.user, pk)
    if post is None:
        raise Http404(_("No such post, or it is not yours to see."))
    return post


def _own_post(user, pk) -> Post | None:
    post = selectors.post_for_page(user, pk)
    return post if post is not None and roles.may_change_post(user, post) else None


def _own_post_or_404(request, pk) -> Post:
    post = _own_post(request.user, pk)
    if post is None:
        raise Http404(_("No such post, or it is not yours to change."))
    return post


# --- My posts ---------------------------------------------------------------------------------


class MyPostsView(TemplateView):
    template_name = "approvals/my_posts.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status") or ""
        if status not in PostStatus.values:
            status = ""
        page = selectors.paginate_capped(
            selectors.my_posts(self.request.user, status=status or None),
            self.request.GET.get("page"),
        )
        return super().get_context_data(
            page_obj=page,
            posts=page.object_list,
            status_filter=status,
            statuses=PostStatus.choices,
            query_string=urlencode({"status": status}) if status else "",
            **kwargs,
        )


# --- Writing ----------------------------------------------------------------------------------


def _content_from(form: PostForm) -> PostContent:
    data = form.cleaned_data
    return PostContent(
        account=data["account"],
        campaign=data.get("campaign"),
        text=data["text"],
        link=data.get("link") or "",
        planned_for=data.get("planned_for"),
        purpose=data["purpose"],
    )


def _form_key(value) -> uuid.UUID:
    """The key the form's chosen images are kept under: the one the form sent, or a new one."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return uuid.uuid4()


@dataclass(frozen=True)
class _PreviewImage:
    url: str
    alt_text: str | None

    def get_absolute_url(self) -> str:
        return self.url


def _chosen_account(form: PostForm, post: Post | None):
    """The account the preview is drawn for: the one chosen in the form, else the post's."""
    chosen = str(form["account"].value() or "")
    for account in form.accounts:
        if str(account.pk) == chosen:
            return account
    return post.account if post is not None else None


class PostFormMixin:
    """The post form. Images chosen in it are checked and kept the moment they arrive, under
    the form's own key, so the form shown again (after any mistake) still has them and asks
    only for their details."""

    template_name = "approvals/post_form.html"
    form_class = PostForm
    post_object: Post | None = None

    def get(self, request, *args, **kwargs):
        self.form_key = uuid.uuid4()
        self.pending, self.upload_errors = [], []
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.form_key = _form_key(request.POST.get("image_key"))
        self.upload_errors = []
        discard = [int(pk) for pk in request.POST.getlist("discard_images") if pk.isdigit()]
        if discard:
            services.pending_image_discard(actor=request.user, pending_ids=discard)
        for upload in request.FILES.getlist("images"):
            try:
                image = clean_uploaded_image(upload)
                services.pending_image_add(actor=request.user, form_key=self.form_key, image=image)
            except ValidationError as error:
                self.upload_errors.append(f"{upload.name}: {error.messages[0]}")
            except ApprovalError as error:
                self.upload_errors.append(error.message)
        self.pending = services.pending_images(actor=request.user, form_key=self.form_key)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            user=self.request.user,
            post=self.post_object,
            pending=self.pending,
            upload_errors=self.upload_errors,
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            {
                "post": self.post_object,
                "account_limits": form.account_limits(),
                "account_platforms": form.account_platforms(),
                "current_media": getattr(self.post_object, "current_media", []),
                "image_key": self.form_key,
                "preview_account": _chosen_account(form, self.post_object),
                "preview_images": [
                    *getattr(self.post_object, "current_media", []),
                    *[
                        _PreviewImage(card.pending.get_absolute_url(), card.alt_text.value())
                        for card in form.image_cards
                    ],
                ],
            }
        )
        if not form.accounts:
            # No account in use yet: say so plainly, and who can add one.
            context["no_accounts"] = {
                "can_add": roles.can_manage_social_accounts(self.request.user),
                "policy_admins": list(
                    roles.policy_admins().order_by("last_name", "first_name")[:5]
                ),
            }
        # Pre-screen what is in the form (after a failed save) or the saved post.
        if form.is_bound:
            context["findings"] = prescreen.screen_draft(
                form.data.get("text", ""), link=form.data.get("link", "")
            )
        elif self.post_object is not None:
            context["findings"] = prescreen.screen_draft(
                self.post_object.text,
                link=self.post_object.link,
                media_items=context["current_media"],
            )
        else:
            context["findings"] = []  # a new post: filled in as the author writes
        return context

    def _after_save(self, post: Post, result_sent: bool, wanted_submit: bool):
        if wanted_submit and result_sent:
            messages.success(self.request, _("Your post was sent to the senior team."))
        elif wanted_submit:
            messages.info(self.request, _("This post was already submitted; nothing new was sent."))
        else:
            messages.success(self.request, _("Your draft was saved."))
        return redirect(post.get_absolute_url())


class PostCreateView(RoleRequiredMixin, PostFormMixin, FormView):
    allowed = staticmethod(roles.can_submit_posts)
    refused = gettext_lazy("You cannot write posts for the school's accounts.")

    def form_valid(self, form):
        try:
            post, created = services.post_create(
                actor=self.request.user,
                content=_content_from(form),
                form_token=form.cleaned_data.get("form_token"),
                new_media=form.new_media(),
                submit=form.wants_submit,
                self_check=form.self_check_answers(),
            )
        except ApprovalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if not created:
            messages.info(self.request, _("This post was already saved; nothing new was created."))
            return redirect(post.get_absolute_url())
        return self._after_save(post, post.status == PostStatus.SUBMITTED, form.wants_submit)


class PostEditView(PostFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.post_object = _own_post_or_404(request, kwargs["pk"])
        if not self.post_object.is_editable:
            messages.error(
                request,
                _("This post is “%(status)s”, so it can no longer be changed.")
                % {"status": self.post_object.get_status_display()},
            )
            return redirect(self.post_object.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        post = self.post_object
        return {
            "account": post.account,
            "campaign": post.campaign,
            "text": post.text,
            "link": post.link,
            "planned_for": timezone.localtime(post.planned_for) if post.planned_for else None,
            "purpose": post.purpose,
        }

    def form_valid(self, form):
        try:
            result = services.post_update(
                actor=self.request.user,
                post=self.post_object,
                content=_content_from(form),
                new_media=form.new_media(),
                remove_media_ids=[int(pk) for pk in form.cleaned_data.get("remove_media", [])],
                submit=form.wants_submit,
                self_check=form.self_check_answers(),
            )
        except ApprovalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return self._after_save(result.post, result.revision_created, form.wants_submit)


# --- The post page and its actions -------------------------------------------------------------


class _PageAnswersPost:
    """A form sent to the page's own address (one written without an action) gets the page
    back, as it always has, rather than 405: each of the page's actions has its own address."""

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


class _SeniorTeamDecision(PostedFormMixin):
    """The senior team's decision on the page's object, sent from its `decision_form`.
    Anyone else is refused (403) before the object is looked up, as the queue refuses them
    (`allowed` and `refused` as in `RoleRequiredMixin`); the decider is told what they
    decided (`decided_messages`, by the outcome sent)."""

    allowed = None
    refused = ""
    decided_messages: dict = {}
    form_name = "decision_form"
    invalid_message = gettext_lazy("Your decision was not recorded. Check the problems listed.")

    def get_object(self):
        if not type(self).allowed(self.request.user):
            raise PermissionDenied(self.refused)
        return super().get_object()

    @property
    def success_message(self):
        # Asked only once the form is valid, so the outcome sent is one the form offers.
        return self.decided_messages[self.request.POST["outcome"]]


class PostPageView(_PageAnswersPost, ObjectPageView):
    """A post's page: its text, its history and the forms the person may use on it."""

    template_name = "approvals/post_detail.html"
    context_object_name = "post"
    find = staticmethod(selectors.post_for_page)
    not_found = gettext_lazy("No such post, or it is not yours to see.")
    form_classes = {
        "self_check_form": SelfCheckForm,
        "decision_form": DecisionForm,
        "comment_form": CommentForm,
    }

    def empty_forms(self) -> dict:
        return {
            **super().empty_forms(),
            # A decision is on the revision the decider was shown.
            "decision_form": DecisionForm(initial={"revision": self.object.current_revision_id}),
            "new_draft_form": NewDraftForm(initial={"form_token": uuid.uuid4()}),
        }

    def get_context_data(self, **kwargs):
        user, post = self.request.user, self.object
        is_author = post.author_id == user.pk
        context = super().get_context_data(
            is_author=is_author,
            timeline=selectors.post_timeline(post, full=roles.may_see_post_history(user, post)),
            current_media=post.current_media,
            can_decide=roles.may_decide(user, post) and post.status == PostStatus.SUBMITTED,
            own_post_waiting=roles.can_decide_posts(user)
            and is_author
            and post.status == PostStatus.SUBMITTED,
            can_comment=roles.may_comment(user, post),
            can_submit=roles.may_change_post(user, post)
            and post.status in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED),
            can_mark_published=post.status == PostStatus.APPROVED
            and roles.may_record_publication(user, post),
            can_correct_publication=post.status == PostStatus.PUBLISHED
            and roles.can_correct_publication(user),
            campaign_blocks_approval=bool(
                post.campaign_id and post.campaign.status != CampaignStatus.APPROVED
            ),
            **kwargs,
        )
        # Pre-screen (clause 4.4) for the author and the reviewer, beside the text.
        if is_author or roles.can_decide_posts(user):
            context["findings"] = prescreen.screen_draft(
                post.text, link=post.link, media_items=post.current_media
            )
        return context


class OwnPostPageView(PostPageView):
    """The post page for the actions only its author may take: anyone else gets 404."""

    find = staticmethod(_own_post)
    not_found = gettext_lazy("No such post, or it is not yours to change.")


def _back_to(post: Post) -> HttpResponseRedirect:
    return redirect(post.get_absolute_url())


class PostSubmitView(OwnPostPageView):
    """Send the post to the senior team. Sending an unchanged post that is already waiting (a
    second click) is not a refusal but is told apart, so this is not a `PostedFormMixin`."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        post = self.object = self.get_object()
        form = SelfCheckForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Confirm every line of the self-check before you send the post.")
            )
            return self.render_page(status=400, self_check_form=form)
        try:
            result = services.post_submit(
                actor=request.user, post=post, self_check=form.self_check_answers()
            )
        except ApprovalError as error:
            messages.error(request, error.message)
        else:
            if result.revision_created:
                messages.success(request, _("Your post was sent to the senior team."))
            else:
                messages.info(request, _("This post was already submitted; nothing new was sent."))
        return _back_to(post)


class PostWithdrawView(PostedFormMixin, OwnPostPageView):
    service = staticmethod(services.post_withdraw)
    success_message = gettext_lazy("The post was withdrawn.")


class PostDecideView(_SeniorTeamDecision, PostPageView):
    """The decider goes back to the queue for the next post."""

    allowed = staticmethod(roles.can_decide_posts)
    refused = gettext_lazy("Only the senior team can decide on posts.")
    service = staticmethod(services.post_decide)
    decided_messages = {
        DecisionOutcome.APPROVE: gettext_lazy("You approved the post. The author has been told."),
        DecisionOutcome.REQUEST_CHANGES: gettext_lazy(
            "You asked for changes. The author has been told."
        ),
        DecisionOutcome.REJECT: gettext_lazy("You rejected the post. The author has been told."),
    }

    def success_url(self, decision):
        return reverse("approvals:queue")


class PostCommentView(PostedFormMixin, PostPageView):
    """A comment; the person goes to it on the page."""

    form_name = "comment_form"
    service = staticmethod(services.post_comment)
    invalid_message = gettext_lazy("Your comment was not added. Check the problems listed.")
    success_message = gettext_lazy("Your comment was added.")

    def success_url(self, comment):
        return comment.get_absolute_url()


@require_POST
def post_new_draft_from(request, pk):
    post = _own_post_or_404(request, pk)
    form = NewDraftForm(request.POST)
    token = form.cleaned_data.get("form_token") if form.is_valid() else None
    try:
        copy, created = services.post_new_draft_from(
            actor=request.user, post=post, form_token=token
        )
    except ApprovalError as error:
        messages.error(request, error.message)
        return _back_to(post)
    if created:
        messages.success(
            request, _("A new draft was started from the post. Change it and send it.")
        )
    return redirect("approvals:post_edit", pk=copy.pk)


class _PublicationRecordView(FormView):
    """A page of its own for the record of when and where a post went out: `service` is
    called with the form's fields. A refusal is shown at the top of the form; once recorded,
    the person goes back to the post, told `success_message`."""

    service = None
    success_message = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "account": self.post_object.account}

    def get_context_data(self, **kwargs):
        return super().get_context_data(post=self.post_object, **kwargs)

    def form_valid(self, form):
        try:
            type(self).service(actor=self.request.user, post=self.post_object, **form.cleaned_data)
        except ApprovalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return _back_to(self.post_object)


class PostMarkPublishedView(_PublicationRecordView):
    template_name = "approvals/post_mark_published.html"
    form_class = MarkPublishedForm
    service = staticmethod(services.post_mark_published)
    success_message = gettext_lazy("The post is recorded as published.")

    def dispatch(self, request, *args, **kwargs):
        self.post_object = _visible_post_or_404(request, kwargs["pk"])
        post = self.post_object
        if not roles.may_record_publication(request.user, post):
            raise Http404(_("No such post, or it is not yours to change."))
        if post.status != PostStatus.APPROVED:
            messages.error(
                request,
                _("Only an approved post can be marked as published. This one is “%(status)s”.")
                % {"status": post.get_status_display()},
            )
            return _back_to(post)
        return super().dispatch(request, *args, **kwargs)


class PostCorrectPublicationView(_PublicationRecordView):
    """The senior team puts right when or where a published post went out."""

    template_name = "approvals/post_correct_publication.html"
    form_class = CorrectPublicationForm
    service = staticmethod(services.post_correct_publication)
    success_message = gettext_lazy("The publication record was corrected. The old values are kept.")

    def dispatch(self, request, *args, **kwargs):
        if not roles.can_correct_publication(request.user):
            raise PermissionDenied(_("Only the senior team can correct a publication record."))
        self.post_object = _visible_post_or_404(request, kwargs["pk"])
        if self.post_object.status != PostStatus.PUBLISHED:
            messages.error(request, _("Only a published post's record can be corrected."))
            return _back_to(self.post_object)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        post = self.post_object
        return {"published_at": timezone.localtime(post.published_at), "url": post.published_url}


def _image_response(item: PostMedia | PendingImage) -> FileResponse:
    """The stored file of a post's image, or of one waiting in a form, shown in the page."""
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404(_("The image file is missing.")) from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = f'inline; filename="{item.image.name.rsplit("/", 1)[-1]}"'
    return response


def media(request, pk):
    """An uploaded image, only for people who may see its post."""
    item = get_object_or_404(PostMedia.objects.select_related("post"), pk=pk)
    if not roles.may_see_post(request.user, item.post):
        raise Http404(_("No such image."))
    if item.removed_at is not None and not roles.may_see_post_history(request.user, item.post):
        raise Http404(_("No such image."))  # removed before it went out: part of the history
    response = _image_response(item)
    # No Cache-Control of its own: like the page it is on, a picture that may show pupils is not
    # kept by a shared computer's browser after its user signs out (NoStoreForSignedInMiddleware).
    return response


def pending_image(request, pk):
    """An image chosen in a post form and not yet saved with the post: only for the person
    who chose it."""
    item = PendingImage.objects.filter(pk=pk, uploaded_by=request.user).first()
    if item is None:
        raise Http404(_("No such image."))
    response = _image_response(item)
    response["Cache-Control"] = "private, no-store"
    return response


# --- The senior team's queue ------------------------------------------------------------------


class QueueView(RoleRequiredMixin, TemplateView):
    """The senior team's queue: others get 403 (the services check again)."""

    template_name = "approvals/queue.html"
    allowed = staticmethod(roles.can_decide_posts)
    refused = gettext_lazy("Only the senior team can use this page.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = QueueFilterForm(self.request.GET or None)
        filters = filter_form.filters()
        page = selectors.paginate_capped(selectors.queue(**filters), self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        now = timezone.now()
        context.update(
            {
                "filter_form": filter_form,
                "status": filters["status"],
                "status_label": PostStatus(filters["status"]).label,
                "page_obj": page,
                "posts": selectors.with_waiting_times(page.object_list, now=now),
                "campaigns": list(selectors.campaigns_awaiting_decision()[:50]),
                "query_string": query.urlencode(),
                "now": now,
            }
        )
        return context


# --- Campaigns --------------------------------------------------------------------------------


class CampaignListView(TemplateView):
    template_name = "approvals/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = selectors.paginate_capped(
            selectors.campaign_list().order_by("-starts_on", "title", "pk"),
            self.request.GET.get("page"),
        )
        context.update({"page_obj": page, "campaigns": page.object_list})
        return context


class CampaignCreateView(RoleRequiredMixin, FormView):
    template_name = "approvals/campaign_form.html"
    form_class = CampaignForm
    allowed = staticmethod(roles.can_propose_campaigns)
    refused = gettext_lazy("You cannot propose campaigns.")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            campaign, created = services.campaign_propose(
                actor=self.request.user,
                title=data["title"],
                aim=data["aim"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                form_token=data.get("form_token"),
            )
        except ApprovalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("Your campaign was sent to the senior team."))
        else:
            messages.info(self.request, _("This campaign was already proposed."))
        return redirect(campaign.get_absolute_url())


class CampaignPageView(_PageAnswersPost, ObjectPageView):
    template_name = "approvals/campaign_detail.html"
    context_object_name = "campaign"
    find = staticmethod(selectors.campaign_for_page)
    not_found = gettext_lazy("No such campaign.")
    form_classes = {"decision_form": CampaignDecisionForm}

    def get_context_data(self, **kwargs):
        user, campaign = self.request.user, self.object
        waiting = roles.can_decide_campaigns(user) and campaign.status == CampaignStatus.PROPOSED
        may_decide = roles.may_decide_campaign(user, campaign)
        return super().get_context_data(
            posts=list(selectors.campaign_posts(campaign, user)[:200]),
            can_decide=waiting and may_decide,
            # One of the senior team, kept from deciding only because they proposed it.
            own_campaign_waiting=waiting and not may_decide,
            **kwargs,
        )


class CampaignDecideView(_SeniorTeamDecision, CampaignPageView):
    allowed = staticmethod(roles.can_decide_campaigns)
    refused = gettext_lazy("Only the senior team can decide on campaigns.")
    service = staticmethod(services.campaign_decide)
    decided_messages = {
        CampaignDecisionForm.APPROVE: gettext_lazy("You approved the campaign."),
        CampaignDecisionForm.DECLINE: gettext_lazy("You declined the campaign."),
    }


# --- The published log ------------------------------------------------------------------------


class PublishedLogView(TemplateView):
    template_name = "approvals/published_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = PublishedLogFilterForm(self.request.GET or None)
        account = filter_form.cleaned_data.get("account") if filter_form.is_valid() else None
        page = selectors.paginate_capped(
            selectors.published_log(account=account), self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filter_form": filter_form,
                "page_obj": page,
                "posts": page.object_list,
                "query_string": query.urlencode(),
                "csv_url": f"{reverse('approvals:published_log_csv')}?{query.urlencode()}",
            }
        )
        return context


def published_log_csv(request):
    filter_form = PublishedLogFilterForm(request.GET or None)
    account = filter_form.cleaned_data.get("account") if filter_form.is_valid() else None
    posts = selectors.published_log(account=account).prefetch_related("published_by")
    header = [
        _("Post"),
        _("Account"),
        _("Went out at"),
        _("Live web address"),
        _("Author"),
        _("Revision approved"),
        _("Approved by"),
        _("Approved at"),
        _("Publication recorded by"),
        _("Campaign"),
        _("Text"),
    ]

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    def rows():
        for post in posts.iterator(chunk_size=500):
            decision = post.last_decision
            yield (
                post.pk,
                post.account.name,
                when(post.published_at),
                post.published_url,
                post.author,
                post.current_revision.number if post.current_revision else "",
                decision.decided_by if decision else "",
                when(decision.decided_at) if decision else "",
                post.published_by or "",
                post.campaign.title if post.campaign else "",
                post.text,
            )

    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return csv_download(header, rows(), filename=f"published-posts-{stamp}.csv")


# --- Content calendar -------------------------------------------------------------------------


def _calendar_period(period: str, day):
    """(first day, first day after, previous period's date, next period's date, title)."""
    import datetime

    if period == "week":
        first = day - datetime.timedelta(days=day.weekday())
        after = first + datetime.timedelta(days=7)
        title = _("Week beginning %(day)s") % {"day": first.strftime("%-d %B %Y")}
        return first, after, first - datetime.timedelta(days=7), after, title
    first = day.replace(day=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    return first, after, previous, after, first.strftime("%B %Y")


class CalendarView(RoleRequiredMixin, TemplateView):
    """Planned and published posts by day, for a month or a week, per account: what goes out
    when, and a campaign's posts at a glance. For the senior team and the staff who look after
    an account; a post links to its page only for those who may open it."""

    template_name = "approvals/calendar.html"
    allowed = staticmethod(roles.can_view_calendar)
    refused = gettext_lazy(
        "The content calendar is for the senior team and the accounts' managers."
    )

    def get_context_data(self, **kwargs):
        import datetime

        context = super().get_context_data(**kwargs)
        form = CalendarForm(self.request.GET or None)
        choice = form.choices()
        first, after, previous, following, title = _calendar_period(
            choice["period"], choice["date"]
        )
        zone = timezone.get_current_timezone()
        posts = selectors.calendar_posts(
            start=datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
            end=datetime.datetime.combine(after, datetime.time.min, tzinfo=zone),
            account=choice["account"],
            campaign=choice["campaign"],
        )
        for post in posts:
            post.may_open = roles.may_see_post(self.request.user, post)
        query = self.request.GET.copy()
        query.pop("date", None)
        query["period"] = choice["period"]
        context.update(
            form=form,
            title=title,
            period=choice["period"],
            days=selectors.calendar_days(posts),
            by_account=selectors.calendar_counts_by_account(posts),
            post_count=len(posts),
            previous_url=f"?{query.urlencode()}&date={previous.isoformat()}",
            next_url=f"?{query.urlencode()}&date={following.isoformat()}",
            campaign=choice["campaign"],
        )
        return context


# --- Pre-screening as the author writes ---------------------------------------------------------

PRESCREEN_MAX_CHARS = 70_000


@require_POST
def prescreen_draft(request):
    """The pre-screen findings for the text being written, as the HTML fragment the post form
    shows (the form's script asks for it as the author types; the server renders and escapes
    it, so no markup is built in the browser)."""
    if not roles.can_submit_posts(request.user):
        raise PermissionDenied(_("You cannot write posts."))
    text = request.POST.get("text", "")[:PRESCREEN_MAX_CHARS]
    link = request.POST.get("link", "")[:2000]
    return render(
        request,
        "approvals/includes/prescreen_findings.html",
        {"findings": prescreen.screen_draft(text, link=link)},
    )
