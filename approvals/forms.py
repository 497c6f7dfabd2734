"""Forms for posts, decisions, comments and campaigns. They validate input only; the services
decide whether the action is allowed."""

from __future__ import annotations

import html
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from approvals import selectors
from approvals.models import (
    SELF_CHECK_ITEMS,
    Account,
    Campaign,
    DecisionOutcome,
    MediaSource,
    PostStatus,
)
from approvals.platforms import PLATFORM_HOSTS, address_belongs_to, wrong_platform_message
from redbridge_portal.forms import FieldsOnlyFormMixin, sensible_date_validators

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def clause_url(number: str) -> str:
    try:
        return reverse("policy:clause", kwargs={"number": number})
    except NoReverseMatch:  # the policy pages are not mounted (never in the portal itself)
        return ""


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s (%(handle)s), up to %(limit)s characters") % {
            "name": obj.name,
            "handle": obj.handle,
            "limit": obj.text_limit,
        }


class SelfCheckMixin:
    """Five confirmations against clause 4.4, each linked to its clause."""

    def add_self_check_fields(self):
        for key, clause, label in SELF_CHECK_ITEMS:
            # The label stays plain text (it is repeated in the error summary, which must not
            # nest links); templates/approvals/includes/self_check.html adds the clause link.
            field = forms.BooleanField(label=label, required=False)
            field.clause = clause
            field.clause_url = clause_url(clause)
            self.fields[f"check_{key}"] = field

    def self_check_answers(self) -> dict[str, bool]:
        return {
            key: bool(self.cleaned_data.get(f"check_{key}")) for key, _c, _l in SELF_CHECK_ITEMS
        }

    def require_self_check(self):
        for key, _clause, _label in SELF_CHECK_ITEMS:
            if not self.cleaned_data.get(f"check_{key}"):
                self.add_error(f"check_{key}", _("Confirm this line before you send the post."))

    @property
    def self_check_fields(self):
        return [self[f"check_{key}"] for key, _c, _l in SELF_CHECK_ITEMS]


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images chosen at once. The view checks and keeps each file as it arrives (so a
    mistake elsewhere in the form never loses it); the form only offers the control."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        return []


YES, NO = "yes", "no"


class ImageCard:
    """One image chosen in the form but not yet saved with the post, and its own fields."""

    def __init__(self, form: PostForm, pending, number: int):
        self.pending = pending
        self.number = number
        self.prefix = f"image_{pending.pk}"
        self.alt_text = form[f"{self.prefix}_alt_text"]
        self.source = form[f"{self.prefix}_source"]
        self.permission_from = form[f"{self.prefix}_permission_from"]
        self.credit = form[f"{self.prefix}_credit"]
        self.shows_pupils = form[f"{self.prefix}_shows_pupils"]
        self.pupil_consent = form[f"{self.prefix}_pupil_consent"]

    @property
    def name(self) -> str:
        return self.pending.original_name or _("Image %(number)s") % {"number": self.number}


def _image_fields(prefix: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_alt_text": forms.CharField(
            label=_("Describe the image for people who cannot see it"),
            required=False,
            max_length=1000,
            help_text=_("For example “Year 8 pupils planting trees by the pond”."),
        ),
        f"{prefix}_source": forms.ChoiceField(
            label=_("Where the image came from"),
            choices=MediaSource.choices,
            required=False,
            widget=forms.RadioSelect,
        ),
        f"{prefix}_permission_from": forms.CharField(
            label=_("Who gave permission"), required=False, max_length=200
        ),
        f"{prefix}_credit": forms.CharField(
            label=_("Acknowledgement to publish with it"), required=False, max_length=300
        ),
        f"{prefix}_shows_pupils": forms.ChoiceField(
            label=_("Does it show pupils?"),
            choices=[(YES, _("Yes, pupils can be recognised")), (NO, _("No pupils"))],
            required=False,
            widget=forms.RadioSelect(attrs={"data-shows-pupils": "1"}),
        ),
        f"{prefix}_pupil_consent": forms.BooleanField(
            label=_("Every pupil who can be recognised has photo consent on file"),
            required=False,
        ),
    }


class PostForm(FieldsOnlyFormMixin, SelfCheckMixin, forms.Form):
    """Write or edit a post, add images, and save it or send it.

    Images chosen in the form are kept by the view as they arrive (`pending`); each one gets
    its own fields here (description, source, pupils and consent), so several can be added at
    once and none is lost when the form is shown again."""

    SAVE, SUBMIT = "save", "submit"

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    account = AccountChoiceField(
        label=_("Account"), queryset=Account.objects.none(), empty_label=_("Choose an account")
    )
    text = forms.CharField(
        label=_("Text of the post"),
        widget=forms.Textarea(attrs={"rows": 6, "data-count-target": "1"}),
        help_text=_(
            "The link, if any, counts towards the account's limit too. On X every web "
            "address counts as 23 characters."
        ),
    )
    link = forms.URLField(
        label=_("Link (optional)"), required=False, max_length=500, assume_scheme="https"
    )
    planned_for = forms.DateTimeField(
        label=_("Planned publication time (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    purpose = forms.CharField(
        label=_("Purpose and benefit for the school"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Clause 4.3: why the school should post this and how it helps the school."),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign (optional)"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("Not part of a campaign"),
    )
    images = MultipleImageField(
        label=_("Add images (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG, GIF or WebP pictures. You can choose several at once; you describe "
            "each one after choosing it."
        ),
        widget=MultipleImageInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp", "multiple": True}
        ),
    )
    remove_media = forms.MultipleChoiceField(
        label=_("Remove images"), required=False, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(
        choices=[(SAVE, SAVE), (SUBMIT, SUBMIT)], required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args,
        user,
        post=None,
        pending=(),
        upload_errors=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.post = post
        self.pending = list(pending)
        self.upload_errors = list(upload_errors)
        accounts = Account.objects.filter(is_active=True)
        campaigns = Campaign.objects.open_for_posts()
        self.current_media = []
        if post is not None:
            accounts = Account.objects.filter(pk=post.account_id) | accounts
            if post.campaign_id:
                campaigns = Campaign.objects.filter(pk=post.campaign_id) | campaigns
            current_media = getattr(post, "current_media", None)
            if current_media is None:
                current_media = list(post.media.filter(removed_at__isnull=True))
            self.current_media = list(current_media)
            self.fields["remove_media"].choices = [
                (str(m.pk), m.alt_text) for m in self.current_media
            ]
            del self.fields["form_token"]
        else:
            self.fields["form_token"].initial = uuid.uuid4()
            del self.fields["remove_media"]
        self.accounts = list(accounts.distinct().order_by("name"))
        self.fields["account"].queryset = accounts.distinct().order_by("name")
        self.fields["campaign"].queryset = campaigns.distinct().order_by("-starts_on", "title")
        for pending_image in self.pending:
            self.fields.update(_image_fields(f"image_{pending_image.pk}"))
        self.add_self_check_fields()

    @property
    def image_cards(self) -> list[ImageCard]:
        return [ImageCard(self, p, n) for n, p in enumerate(self.pending, start=1)]

    @property
    def must_resubmit(self) -> bool:
        return self.post is not None and self.post.status in (
            PostStatus.SUBMITTED,
            PostStatus.APPROVED,
        )

    def account_limits(self) -> dict[str, int]:
        return {str(account.pk): account.text_limit for account in self.accounts}

    def account_platforms(self) -> dict[str, str]:
        return {str(account.pk): account.platform for account in self.accounts}

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n").strip()

    def clean_purpose(self):
        return self.cleaned_data["purpose"].replace("\r\n", "\n").strip()

    def clean_planned_for(self):
        value = self.cleaned_data.get("planned_for")
        previous = self.post.planned_for if self.post else None
        if value and value != previous and value < timezone.now():
            raise ValidationError(_("The planned publication time must be in the future."))
        return value

    def clean(self):
        from approvals.platforms import image_required_message, needs_an_image
        from approvals.services import campaign_dates_message, text_limit_message

        data = super().clean()
        for message in self.upload_errors:
            self.add_error("images", message)
        account, text = data.get("account"), data.get("text")
        if account and text is not None:
            message = text_limit_message(account, text, data.get("link") or "")
            if message:
                self.add_error("text", message)
        campaign, planned_for = data.get("campaign"), data.get("planned_for")
        if campaign and planned_for:
            message = campaign_dates_message(campaign, planned_for)
            if message:
                self.add_error("planned_for", message)
        for card in self.image_cards:
            self._clean_image_card(card, data)
        if self.wants_submit:
            self.require_self_check()
            removed = set(data.get("remove_media") or [])
            kept = [m for m in self.current_media if str(m.pk) not in removed]
            if account and needs_an_image(account.platform) and not (kept or self.pending):
                self.add_error("images", image_required_message(account.name))
        return data

    def _clean_image_card(self, card: ImageCard, data) -> None:
        p = card.prefix
        alt = (data.get(f"{p}_alt_text") or "").strip()
        source = data.get(f"{p}_source")
        shows_pupils = data.get(f"{p}_shows_pupils")
        if not alt:
            self.add_error(f"{p}_alt_text", _("Describe the image for people who cannot see it."))
        if not source:
            self.add_error(f"{p}_source", _("Say where the image came from."))
        elif source == MediaSource.PERMISSION and not (data.get(f"{p}_permission_from") or ""):
            self.add_error(f"{p}_permission_from", _("Say who gave permission to use the image."))
        elif source == MediaSource.CREDITED and not (data.get(f"{p}_credit") or ""):
            self.add_error(f"{p}_credit", _("Write the acknowledgement to publish with the image."))
        if not shows_pupils:
            self.add_error(f"{p}_shows_pupils", _("Say whether the image shows pupils."))
        elif shows_pupils == YES and not data.get(f"{p}_pupil_consent"):
            self.add_error(
                f"{p}_pupil_consent",
                _("Confirm that every pupil who can be recognised has photo consent."),
            )

    def new_media(self):
        """The images to add, each with its details (after is_valid())."""
        from approvals.services import NewMedia

        data = self.cleaned_data
        items = []
        for card in self.image_cards:
            p = card.prefix
            source = data.get(f"{p}_source") or ""
            shows_pupils = data.get(f"{p}_shows_pupils") == YES
            items.append(
                NewMedia(
                    pending=card.pending,
                    alt_text=data.get(f"{p}_alt_text") or "",
                    source=source,
                    permission_from=data.get(f"{p}_permission_from") or "",
                    credit=data.get(f"{p}_credit") or "",
                    shows_pupils=shows_pupils,
                    pupil_consent_confirmed=shows_pupils and bool(data.get(f"{p}_pupil_consent")),
                )
            )
        return items

    def summary_errors(self) -> list[tuple[str, str]]:
        """The error summary: one entry per problem, each linked to its field, with the
        self-check and each image summed up in one entry rather than one per box."""
        entries: list[tuple[str, str]] = [("", str(e)) for e in self.non_field_errors()]
        groups: dict[str, int] = {}
        unticked = [name for name in self.errors if name.startswith("check_")]
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            field = self[name]
            # A group of radio buttons has no label "for" one id: lead to the first button.
            anchor = field.id_for_label or f"{field.auto_id}_0"
            if name.startswith("check_"):
                if "self_check" not in groups:
                    groups["self_check"] = len(entries)
                    entries.append(
                        (
                            anchor,
                            _(
                                "Self-check: confirm each line before you send the post "
                                "(%(count)s not confirmed)."
                            )
                            % {"count": len(unticked)},
                        )
                    )
                continue
            if name.startswith("image_"):
                key = name.split("_")[1]  # image_<pk>_<field>
                card = next(c for c in self.image_cards if str(c.pending.pk) == key)
                text = " ".join(str(e) for e in errors)
                if key in groups:
                    index = groups[key]
                    entries[index] = (entries[index][0], f"{entries[index][1]} {text}")
                else:
                    groups[key] = len(entries)
                    entries.append((anchor, f"{card.name}: {text}"))
                continue
            for error in errors:
                entries.append((anchor, f"{field.label}: {error}"))
        return entries

    @property
    def wants_submit(self) -> bool:
        return self.must_resubmit or self.data.get("action") == self.SUBMIT


class SelfCheckForm(FieldsOnlyFormMixin, SelfCheckMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_self_check_fields()

    def clean(self):
        data = super().clean()
        self.require_self_check()
        return data


class ClauseField(forms.CharField):
    """Clause numbers typed as "4.4, 6.3", checked against the policy in force."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Policy clauses this refers to (optional)"))
        kwargs.setdefault("help_text", _("Clause numbers separated by commas, e.g. 4.4, 6.3."))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        numbers = selectors.parse_clause_numbers(value)
        unknown = selectors.unknown_clause_numbers(numbers)
        if unknown:
            raise ValidationError(
                _("The policy in force has no clause %(numbers)s.")
                % {"numbers": ", ".join(unknown)}
            )
        return numbers


class DecisionForm(FieldsOnlyFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (DecisionOutcome.APPROVE, _("Approve it")),
            (DecisionOutcome.REQUEST_CHANGES, _("Ask for changes")),
            (DecisionOutcome.REJECT, _("Reject it")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for changes or reject: say what and why."),
    )
    clauses = ClauseField()
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if (
            outcome
            and outcome != DecisionOutcome.APPROVE
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say what needs to change, or why the post is rejected."))
        # The service's name for it (the field keeps the name pages already open send).
        data["revision_id"] = data.pop("revision", None)
        return data


class CommentForm(FieldsOnlyFormMixin, forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    clauses = ClauseField()

    def __init__(self, *args, **kwargs):
        # The post page also shows the decision form, which has a "clauses" field too: ids of
        # their own keep each label tied to its own field.
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)


class MarkPublishedForm(FieldsOnlyFormMixin, forms.Form):
    published_at = forms.DateTimeField(
        label=_("When it went out"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    url = forms.URLField(
        label=_("Web address of the live post"), max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["published_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if account is not None and account.platform in PLATFORM_HOSTS:
            self.fields["url"].help_text = _(
                "The address of the post on %(platform)s, e.g. https://%(host)s/…"
            ) % {
                "platform": account.get_platform_display(),
                "host": PLATFORM_HOSTS[account.platform][0],
            }

    def clean_published_at(self):
        value = self.cleaned_data["published_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(_("The time the post went out cannot be in the future."))
        return value

    def clean_url(self):
        url = self.cleaned_data["url"]
        account = self.account
        if account is not None and not address_belongs_to(account.platform, url):
            raise ValidationError(wrong_platform_message(account.get_platform_display(), url))
        return url


class CorrectPublicationForm(MarkPublishedForm):
    reason = forms.CharField(
        label=_("Why the record is being corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “The address recorded was the Facebook post, not the X one.”"),
    )


class CampaignForm(FieldsOnlyFormMixin, forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=150)
    aim = forms.CharField(
        label=_("Aim"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the campaign is for, who it is for and how it benefits the school."),
    )
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = uuid.uuid4()

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if value < timezone.localdate():
            raise ValidationError(_("The first day cannot be in the past."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day must be on or after the first day."))
        return data


class CampaignDecisionForm(FieldsOnlyFormMixin, forms.Form):
    APPROVE, DECLINE = "approve", "decline"
    outcome = forms.ChoiceField(
        label=_("Your decision"),
        choices=[(APPROVE, _("Approve the campaign")), (DECLINE, _("Decline it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the campaign is declined."))
        # What the service asks: approve, or not.
        data["approve"] = data.pop("outcome", None) == self.APPROVE
        return data


class NewDraftForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)


class FlatSelect(forms.Select):
    """forms.Select for a flat list of choices (no option groups), rendered in one join of
    escaped strings instead of two templates per option: the same markup. `options`, if given,
    is a callable returning (value, label) pairs read when the widget is rendered, for a long
    list that need not be made into model instances. Measured on the benchmark's data: the
    queue's three lists took 7 ms of CPU per page through the widget templates (40 ms with
    every campaign made an instance), under 1 ms this way."""

    def __init__(self, attrs=None, choices=(), options=None):
        super().__init__(attrs, choices)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        pairs = self.options() if self.options is not None else self.choices
        parts = []
        for option_value, label in pairs:
            option_value = str(option_value)
            selected = " selected" if option_value in chosen else ""
            # html.escape is what django.utils.html.escape runs, without its lazy-string
            # wrapper (a third of this loop's time).
            parts.append(
                f'<option value="{html.escape(option_value)}"{selected}>'
                f"{html.escape(str(label))}</option>"
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            SafeString("".join(parts)),
        )


def _narrow_by(label, model) -> forms.ModelChoiceField:
    """An optional filter offering "All" first; the form sets its queryset when it is made."""
    return forms.ModelChoiceField(
        label=label,
        queryset=model.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=FlatSelect,
    )


class AccountFilterForm(forms.Form):
    """Narrows a list of posts to one account (the published log, and the base of the others)."""

    account = _narrow_by(_("Account"), Account)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.order_by("name")


class AccountAndCampaignFilterForm(AccountFilterForm):
    """Narrows a list of posts to one account or campaign (the queue and the calendar)."""

    campaign = _narrow_by(_("Campaign"), Campaign)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.order_by("-starts_on", "title")
        self.fields["campaign"].queryset = campaigns
        # Listed from (id, title) pairs: making 500 campaigns into model instances to show
        # their titles cost more than the rest of the page. A chosen one is still checked
        # against the queryset when the form is validated.
        empty_label = self.fields["campaign"].empty_label
        self.fields["campaign"].widget.options = lambda: [
            ("", empty_label),
            *campaigns.values_list("pk", "title"),
        ]


class QueueFilterForm(AccountAndCampaignFilterForm):
    field_order = ["status", "account", "campaign", "author"]

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(s.value, s.label) for s in selectors.QUEUE_STATUSES],
        widget=FlatSelect,
    )
    # Typed rather than chosen: a list of every member of staff was 2,000 options (100 KB on
    # each queue page, and unusable on a phone). selectors.queue() does the matching.
    author = forms.CharField(
        label=_("Author"),
        required=False,
        max_length=100,
        help_text=_("Part of a name or school email address"),
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": PostStatus.SUBMITTED}
        data = self.cleaned_data
        return {
            "status": data.get("status") or PostStatus.SUBMITTED,
            "account": data.get("account"),
            "campaign": data.get("campaign"),
            "author": data.get("author") or None,
        }


class PublishedLogFilterForm(AccountFilterForm):
    """The published log is narrowed by account only."""


class CalendarForm(AccountAndCampaignFilterForm):
    """Which period of the content calendar to show: a week or a month around a date, for one
    account or campaign or all of them. Bad values fall back to this month."""

    PERIODS = [("month", _("Month")), ("week", _("Week"))]
    field_order = ["period", "date", "account", "campaign"]

    period = forms.ChoiceField(label=_("Show"), choices=PERIODS, required=False)
    date = forms.DateField(
        label=_("Around"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=sensible_date_validators(),
    )

    def choices(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "period": data.get("period") or "month",
            "date": data.get("date") or timezone.localdate(),
            "account": data.get("account"),
            "campaign": data.get("campaign"),
        }
