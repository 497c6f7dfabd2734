from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StaffImport(models.Model):
    """A staff list uploaded by a policy admin, kept between the preview and the confirmation.

    The rows are parsed once, at upload, and kept here (never sent back through the browser),
    so what is confirmed is exactly what was previewed; the plan is worked out again against
    the accounts as they are at confirmation.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(
        default=list, help_text=_("The file's rows as read: row number, fields, or the error.")
    )
    has_role_columns = models.BooleanField(default=False)
    deactivate_missing = models.BooleanField(
        _("close the accounts of people missing from this file"), default=False
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("staff import")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%d %b %Y %H:%M})"

    def get_absolute_url(self):
        return reverse("people_import_preview", kwargs={"pk": self.pk})
