"""Optimistic locking: an edit is saved only if nobody else saved the object since the form was opened."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import display_value


class ConcurrentEditError(Exception):
    """Raised when the object changed after the editor loaded it; carries the current state."""

    def __init__(self, current):
        super().__init__("The object was changed by someone else.")
        self.current = current


CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing. Compare their version with yours below; "
    "save again to keep your values."
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


def conflict_differences(form, current) -> list[dict]:
    """The fields where the version saved by someone else differs from what this editor submitted."""
    differences = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        saved = display_value(current, name)
        yours = display_value(form.instance, name, value=form.cleaned_data[name])
        if saved != yours:
            differences.append({"label": field.label, "saved": saved, "yours": yours})
    return differences


def save_form_versioned(form, save) -> dict:
    """Run `save(expected_version)` for a valid form. On a conflict, put the message on the form, take
    over the stored version (so a second save keeps this editor's values) and return the context the
    `core/_conflict.html` template shows; otherwise return an empty dict."""
    try:
        save(form.cleaned_data.get("version") or 0)
    except ConcurrentEditError as error:
        form.add_error(None, CONFLICT_MESSAGE)
        form.data = form.data.copy()
        form.data["version"] = error.current.version
        return {"conflict": error.current, "conflict_differences": conflict_differences(form, error.current)}
    return {}
