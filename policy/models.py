"""The Social Media Policy as structured content.

A policy has versions. A version holds sections, each holding numbered clauses whose rules are
list items nested to any depth; the guidelines part of a version holds the core principles and
the guidelines. Only a draft can be changed: once published, a version and everything inside it
are frozen, and the model layer (save, delete, and the querysets' bulk operations) refuses any
change, whatever path the change comes from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from policy.search_indexes import SEARCH_CONFIG  # noqa: F401 (re-exported)
from redbridge_portal.models import ImmutableRecord
from redbridge_portal.records import form_token_field, optional_foreign_key


class PolicyVersionLocked(ImmutableRecord):
    """A published or superseded version (or something inside it) was about to change.

    Unlike the append-only records, a version is frozen only once it leaves the draft state, so
    its guard asks the database for the status; what it raises is the same kind of refusal."""


class PolicyVersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


# The only moves a version's status may make. The services make them; the model layer allows
# a saved non-draft version to change nothing but its status, and only along this map.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    PolicyVersionStatus.DRAFT: frozenset({PolicyVersionStatus.PUBLISHED}),
    PolicyVersionStatus.PUBLISHED: frozenset({PolicyVersionStatus.SUPERSEDED}),
    PolicyVersionStatus.SUPERSEDED: frozenset(),
}
LOCKED_STATUSES = (PolicyVersionStatus.PUBLISHED, PolicyVersionStatus.SUPERSEDED)


class SignOffState(models.TextChoices):
    """Where a draft stands in the four-eyes check before publishing."""

    EDITING = "editing", _("Being edited")
    AWAITING = "awaiting", _("Waiting for sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    NOT_RECORDED = "not_recorded", _("Published before sign-off was recorded")


# The moves a draft's sign-off state may make (policy.review makes them). Sending back and
# reopening both return to editing; a signed-off draft that changes must be signed off again.
SIGN_OFF_TRANSITIONS: dict[str, frozenset[str]] = {
    SignOffState.EDITING: frozenset({SignOffState.AWAITING}),
    SignOffState.AWAITING: frozenset({SignOffState.EDITING, SignOffState.SIGNED_OFF}),
    SignOffState.SIGNED_OFF: frozenset({SignOffState.EDITING}),
    SignOffState.NOT_RECORDED: frozenset(),
}


def _locked_message():
    return _(
        "This version of the policy has been published and cannot be changed. "
        "Start the annual review to make a new draft."
    )


class LockGuardedQuerySet(models.QuerySet):
    """The bulk operations that would go round the models' save() and delete() refuse rows
    of a published or superseded version too."""

    # The lookup from these rows to their version's status.
    status_lookup = "status"

    def _refuse_if_locked(self, queryset=None):
        queryset = self if queryset is None else queryset
        if queryset.filter(**{f"{self.status_lookup}__in": LOCKED_STATUSES}).exists():
            raise PolicyVersionLocked(_locked_message())

    def update(self, **kwargs):
        self._refuse_if_locked()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_locked()
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse_if_locked(self.model.objects.filter(pk__in=[obj.pk for obj in objs]))
        return super().bulk_update(objs, fields, batch_size=batch_size)


class PolicyVersionQuerySet(LockGuardedQuerySet):
    def published(self):
        return self.filter(status=PolicyVersionStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=PolicyVersionStatus.DRAFT)

    def readable(self):
        """Versions every member of staff may read (drafts are for policy admins)."""
        return self.filter(status__in=LOCKED_STATUSES)


class PolicyVersion(models.Model):
    """One version of the school's Social Media Policy."""

    number = models.PositiveIntegerField(
        _("version number"), unique=True, help_text=_("1 for the first version, then 2, 3, …")
    )
    status = models.CharField(
        max_length=16, choices=PolicyVersionStatus.choices, default=PolicyVersionStatus.DRAFT
    )
    title = models.CharField(max_length=200, default="Social Media Policy")
    school = models.CharField(max_length=200)
    person_responsible = models.CharField(_("person responsible"), max_length=200)
    person_responsible_role = models.CharField(_("their role"), max_length=200)
    last_review_date = models.DateField(
        _("last review"), null=True, blank=True, help_text=_("Set when the version is published.")
    )
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Set when the version is published, from the review period."),
    )
    guidelines_title = models.CharField(
        _("guidelines heading"), max_length=200, default="Social Media Guidelines"
    )
    guidelines_introduction = models.TextField(
        _("guidelines introduction"),
        blank=True,
        help_text=_("The paragraph that opens the guidelines part."),
    )
    principles_introduction = models.TextField(
        _("core principles introduction"),
        blank=True,
        help_text=_("The sentence that introduces the core principles."),
    )
    change_summary = models.TextField(
        _("summary of changes"),
        blank=True,
        help_text=_("A few sentences for staff: what changed in this version and why."),
    )
    based_on = optional_foreign_key(
        "self", verbose_name=_("copied from"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = optional_foreign_key(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the version loaded from the school's policy file."),
    )

    sign_off_state = models.CharField(
        _("sign-off"),
        max_length=16,
        choices=SignOffState.choices,
        default=SignOffState.EDITING,
    )
    prepared_by = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The policy admin who sent the draft for sign-off."),
    )
    submitted_at = models.DateTimeField(_("sent for sign-off at"), null=True, blank=True)
    signed_off_by = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    sign_off_comments = models.TextField(
        _("comments when sent back"),
        blank=True,
        help_text=_("What the person signing off asked to change."),
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-number"]
        permissions = [
            ("manage_policy", _("Can run the annual review and publish versions of the policy")),
            ("view_acknowledgements", _("Can see who has acknowledged the policy")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=PolicyVersionStatus.DRAFT),
                name="policy_one_draft_at_a_time",
                violation_error_message=_("There is already a draft version of the policy."),
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=PolicyVersionStatus.PUBLISHED),
                name="policy_one_published_version",
            ),
            models.CheckConstraint(
                condition=Q(status=PolicyVersionStatus.DRAFT)
                | Q(
                    published_at__isnull=False,
                    last_review_date__isnull=False,
                    next_review_due__isnull=False,
                ),
                name="policy_published_has_dates",
            ),
            # Four eyes: whoever prepared the draft never signs it off.
            models.CheckConstraint(
                condition=~Q(signed_off_by=F("prepared_by")),
                name="policy_not_signed_off_by_its_preparer",
                violation_error_message=_("Someone else must sign off the draft."),
            ),
            models.CheckConstraint(
                condition=~Q(sign_off_state=SignOffState.SIGNED_OFF)
                | Q(signed_off_by__isnull=False, prepared_by__isnull=False),
                name="policy_signed_off_has_both_people",
            ),
            # A version is published only once signed off (versions published before sign-off
            # was recorded, and the school's file, say so).
            models.CheckConstraint(
                condition=Q(status=PolicyVersionStatus.DRAFT)
                | Q(sign_off_state__in=[SignOffState.SIGNED_OFF, SignOffState.NOT_RECORDED]),
                name="policy_published_was_signed_off",
            ),
        ]

    def __str__(self):
        return _("%(title)s, version %(number)s (%(status)s)") % {
            "title": self.title,
            "number": self.number,
            "status": self.get_status_display().lower(),
        }

    def save(self, *args, **kwargs):
        # A data-integrity guard, not business logic: the wording staff acknowledged must never
        # change under them. A saved non-draft version may only move its status along the map.
        if self.pk and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in LOCKED_STATUSES:
                update_fields = kwargs.get("update_fields")
                if not (
                    update_fields is not None
                    and set(update_fields) <= {"status"}
                    and self.status in STATUS_TRANSITIONS[stored]
                ):
                    raise PolicyVersionLocked(_locked_message())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("policy:version", kwargs={"version": self.number})

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk, status__in=LOCKED_STATUSES).exists():
            raise PolicyVersionLocked(_locked_message())
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == PolicyVersionStatus.DRAFT

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.next_review_due and self.next_review_due < today)


class VersionContentQuerySet(LockGuardedQuerySet):
    """Rows inside a version reach its status through the model's `version_path`; adding
    rows in bulk checks the version too."""

    @property
    def status_lookup(self) -> str:
        return f"{self.model.version_path}__status"

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.owning_version_id() for obj in objs}
        if PolicyVersion.objects.filter(pk__in=version_ids, status__in=LOCKED_STATUSES).exists():
            raise PolicyVersionLocked(_locked_message())
        return super().bulk_create(objs, *args, **kwargs)


class VersionContent(models.Model):
    """Something inside a version: it may be changed only while the version is a draft."""

    # The lookup from this model to its PolicyVersion, for the queryset guard.
    version_path = "version"

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_unlocked(stored=not self._state.adding)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_unlocked(stored=True)
        return super().delete(*args, **kwargs)

    def owning_version_id(self) -> int | None:
        return self.version_id

    def _check_unlocked(self, *, stored: bool) -> None:
        ids = {self.owning_version_id()}
        if stored and self.pk:
            # Moving a row out of a published version is a change to that version too.
            previous = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list(self.version_path, flat=True)
                .first()
            )
            ids.add(previous)
        ids.discard(None)
        if ids and PolicyVersion.objects.filter(pk__in=ids, status__in=LOCKED_STATUSES).exists():
            raise PolicyVersionLocked(_locked_message())


class EditedContent(VersionContent):
    """A part of a version edited in place in the portal (policy.review): `revision` counts
    its saved changes, so an editor working from an older one is told instead of overwriting."""

    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Goes up at each saved change, so two editors never overwrite each other."),
    )

    class Meta:
        abstract = True


class Section(VersionContent):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=10, help_text=_("As shown in the contents, e.g. 4."))
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first."))

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="policy_section_number_unique_in_version"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


class Clause(EditedContent):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    # Copied from the section on save: clause numbers are unique within a version, and
    # permalinks and search look clauses up by version without a join.
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="clauses", editable=False
    )
    number = models.CharField(
        max_length=20, help_text=_("As cited by staff, e.g. 4.4. Keep it unchanged if you can.")
    )
    text = models.TextField()
    order = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first."))

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["version", "section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="policy_clause_number_unique_in_version"
            )
        ]

    def __str__(self):
        return _("Clause %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        if self.section_id:
            section = self.section if Clause.section.is_cached(self) else None
            if section is not None and section.pk == self.section_id:
                self.version_id = section.version_id
            else:
                self.version_id = Section.objects.values_list("version_id", flat=True).get(
                    pk=self.section_id
                )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The permalink for this version's wording (the current wording is `policy:clause`)."""
        return reverse(
            "policy:version_clause", kwargs={"version": self.version.number, "number": self.number}
        )

    def validate_unique(self, exclude=None):
        # The version comes from the section (set in save), so check the number here.
        super().validate_unique(exclude=exclude)
        if self.section_id and self.number:
            version_id = Section.objects.values_list("version_id", flat=True).get(
                pk=self.section_id
            )
            clash = Clause.objects.filter(version_id=version_id, number=self.number)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"number": _("Another clause in this version already has this number.")}
                )

    @property
    def anchor(self) -> str:
        return "clause-" + self.number.replace(".", "-")


class ListItem(EditedContent):
    """One rule in a clause's list; `parent` nests it under another item of the same clause."""

    version_path = "clause__version"

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="items")
    parent = optional_foreign_key(
        "self",
        verbose_name=_("inside item"),
        on_delete=models.CASCADE,
        related_name="children",
        help_text=_("Leave empty for an item of the clause's own list."),
    )
    text = models.TextField()
    order = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first."))

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["clause", "order", "id"]

    def __str__(self):
        return Truncator(self.text).chars(70)

    def owning_version_id(self):
        if not self.clause_id:
            return None
        if ListItem.clause.is_cached(self):
            return self.clause.version_id
        return Clause.objects.values_list("version_id", flat=True).filter(pk=self.clause_id).first()

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.clause_id != self.clause_id:
            raise ValidationError({"parent": _("Choose an item of the same clause.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An item cannot sit inside itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Principle(EditedContent):
    """One of the core principles that open the guidelines (numbered 1 to 5 in the source)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="principles")
    number = models.PositiveIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("core principle")
        verbose_name_plural = _("core principles")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="policy_principle_number_unique_in_version"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    @property
    def anchor(self) -> str:
        return f"principle-{self.number}"


class Guideline(EditedContent):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="guidelines")
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        help_text=_("Used in links to this guideline; made from the title if left empty."),
        blank=True,
    )
    body = models.TextField()
    order = models.PositiveIntegerField(default=0, help_text=_("Lower numbers come first."))

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "slug"], name="policy_guideline_slug_unique_in_version"
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            from django.utils.text import slugify

            self.slug = slugify(self.title)[:200]
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"guideline-{self.slug}"


class Acknowledgement(models.Model):
    """A member of staff confirmed they have read and understood one published version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="policy_one_acknowledgement_per_version"
            )
        ]

    def __str__(self):
        return _("%(user)s read version %(number)s") % {
            "user": self.user,
            "number": self.version.number,
        }


class ReviewCycle(models.Model):
    """One annual review (clause 8.1): opened when a version is published, due on that version's
    next review date, completed when the next version is published. The history shows whether
    each review was done on time."""

    version = models.OneToOneField(
        PolicyVersion,
        verbose_name=_("version under review"),
        on_delete=models.PROTECT,
        related_name="review_cycle",
    )
    due_on = models.DateField(_("review due"))
    completed_on = models.DateField(_("review completed"), null=True, blank=True)
    completed_by_version = models.OneToOneField(
        PolicyVersion,
        verbose_name=_("published as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completed_review_cycle",
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review cycle")
        ordering = ["-due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True, completed_by_version__isnull=True)
                | Q(completed_on__isnull=False, completed_by_version__isnull=False),
                name="review_cycle_completed_with_a_version",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(completed_on__isnull=True), name="review_cycle_open"
            )
        ]

    def __str__(self):
        return _("Review of version %(number)s, due %(due)s") % {
            "number": self.version.number,
            "due": self.due_on.strftime("%d %B %Y"),
        }

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def on_time(self) -> bool | None:
        """None while open; otherwise whether it was completed by its due date."""
        if self.completed_on is None:
            return None
        return self.completed_on <= self.due_on


# --- Pre-screening lists -------------------------------------------------------------------------


class ScreeningTerm(models.Model):
    """A word or phrase the pre-screen points out in a draft (clause 4.4): derogatory terms and
    internal matters such as "staff meeting". Maintained by the policy admins in the portal."""

    term = models.CharField(_("word or phrase"), max_length=100, unique=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watched word or phrase")
        ordering = ["term"]
        constraints = [models.CheckConstraint(condition=~Q(term=""), name="screening_term_set")]

    def __str__(self):
        return self.term


class UsualSite(models.Model):
    """A web site the school usually links to; links elsewhere are pointed out in drafts."""

    domain = models.CharField(
        _("domain"), max_length=253, unique=True, help_text=_("For example bbc.co.uk.")
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("usual site")
        ordering = ["domain"]
        constraints = [models.CheckConstraint(condition=~Q(domain=""), name="usual_site_set")]

    def __str__(self):
        return self.domain


class SearchSynonym(models.Model):
    """Words that mean the same for the policy search ("photo, image, picture"): a search for
    one finds the others. Kept by the policy admins in the portal."""

    words = models.CharField(
        _("words that mean the same"),
        max_length=300,
        unique=True,
        help_text=_("Separated by commas, for example: photo, image, picture."),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("search synonyms")
        verbose_name_plural = _("search synonyms")
        ordering = ["words"]
        constraints = [models.CheckConstraint(condition=~Q(words=""), name="search_synonym_set")]

    def __str__(self):
        return self.words


# --- Questions to the senior team and frequently asked questions ---------------------------------


class QuestionStatus(models.TextChoices):
    ASKED = "asked", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class Question(models.Model):
    """ "When in doubt, ask": a question from a member of staff to the senior team. Seen only by
    the asker and the senior team; an answer may be published, anonymised, as an FAQ."""

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="policy_questions",
    )
    text = models.TextField(_("your question"))
    status = models.CharField(
        _("status"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.ASKED
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = optional_foreign_key(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    form_token = form_token_field()

    class Meta:
        verbose_name = _("question to the senior team")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["asker", "form_token"], name="question_once_per_form"),
            models.CheckConstraint(condition=~Q(text=""), name="question_has_text"),
            models.CheckConstraint(
                condition=Q(status=QuestionStatus.ASKED)
                | (Q(answered_by__isnull=False, answered_at__isnull=False) & ~Q(answer="")),
                name="question_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="question_waiting")]

    def __str__(self):
        excerpt = " ".join(self.text.split())
        return f"Question {self.pk}: {excerpt[:59]}{'…' if len(excerpt) > 59 else ''}"

    def get_absolute_url(self):
        return reverse("policy:question_detail", kwargs={"pk": self.pk})


class FrequentlyAskedQuestion(models.Model):
    """An answered question published for everyone, reworded so nobody can be identified."""

    question = models.TextField(_("question, as everyone will read it"))
    answer = models.TextField(_("answer, as everyone will read it"))
    source = models.OneToOneField(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq",
        help_text=_("The question it came from (never shown to readers)."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("frequently asked question")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(question="") & ~Q(answer=""), name="faq_complete")
        ]

    def __str__(self):
        return self.question[:80]

    def get_absolute_url(self):
        return f"{reverse('policy:faq')}#faq-{self.pk}"
