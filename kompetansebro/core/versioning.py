"""Optimistic locking: an edit is saved only if nobody else saved the object since the form was opened."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Raised when the object changed after the editor loaded it; carries the current state."""

    def __init__(self, current):
        super().__init__("The object was changed by someone else.")
        self.current = current


CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing. Their version is shown below; "
    "check it and make your changes again."
)


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(instance: VersionedModel, *, expected_version: int, update_fields: list[str]) -> None:
    """Save changed fields if the stored version is still `expected_version`; bump the version."""
    with transaction.atomic():
        current = type(instance).objects.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            raise ConcurrentEditError(current)
        instance.version = expected_version + 1
        instance.save(update_fields=[*update_fields, "version"])
