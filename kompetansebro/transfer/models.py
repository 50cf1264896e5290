import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.organisations.models import Organisation

BATCH_LIFETIME = timedelta(hours=24)


class ImportKind(models.TextChoices):
    NEEDS = "needs", _("competence needs")
    OFFERINGS = "offerings", _("education offerings")


def _expires():
    return timezone.now() + BATCH_LIFETIME


class ImportBatch(models.Model):
    """An uploaded file, parsed and validated, waiting for its owner to confirm the import.

    The commit step reads the rows stored here, never re-posted data. Only the person who uploaded it
    may see or commit it, and it expires after BATCH_LIFETIME (`kompetansebro clear-import-batches`
    deletes expired batches)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation or provider"),
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(default=list, help_text="[{row, external_id, data: {field: JSON value}}]")
    errors = models.JSONField(default=list, help_text="[{row, column, message}]")
    ignored_columns = models.JSONField(default=list)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_expires)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return self.file_name

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
