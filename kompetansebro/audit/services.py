"""Writing the history. Services call `log_action` inside their transaction, so a change and its
record are saved together or not at all."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from kompetansebro.audit.models import AuditEntry


def neutral_text(value) -> str:
    """str(value) with translation off, the same for every editor: a name built from a choice label (a budget
    line without a description) keeps the English msgid, which the history translates when it is shown."""
    with translation.override(None):
        return str(value)


def _plain(value):
    """A JSON-safe form of a field value, in no one's language."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, models.Model):
        return neutral_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(neutral_text(item) for item in value)
    return value


_UNSET = object()


def display_value(instance: models.Model, name: str, value=_UNSET):
    """A field's value as people read it: foreign keys by name, choices by label, lists sorted.
    Pass `value` to format a value that is not (yet) on the instance, e.g. a submitted form value."""
    field = instance._meta.get_field(name)
    if value is _UNSET:
        if field.many_to_many:
            value = list(getattr(instance, name).all()) if instance.pk else []
        else:
            value = getattr(instance, name)
    if field.choices and not field.many_to_many:
        value = str(dict(field.flatchoices).get(value, value)) if value not in (None, "") else ""
    return _plain(value)


def raw_value(instance: models.Model, name: str):
    """A field's value as the history stores it, the same whoever edits: choices by their stored value,
    foreign keys and many-to-many by name, dates in ISO, decimals as text (see docs/data-formats.md)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return _plain(list(getattr(instance, name).all()) if instance.pk else [])
    return _plain(getattr(instance, name))


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The current raw values of `fields` (see raw_value); translated only when shown (audit.display)."""
    return {name: raw_value(instance, name) for name in fields}


def model_label(model: type[models.Model]) -> str:
    """ "app_label.model_name", how a change names the model its field belongs to."""
    return model._meta.label_lower


def diff(before: dict, after: dict, *, model: type[models.Model] | None = None) -> dict:
    """{field: {"old": …, "new": …, "model": "app.model"}} for each field whose raw value changed; the model lets
    the history find the field's verbose name and choices when it is shown."""
    changes = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = {"old": old, "new": new}
            if model is not None:
                changes[name]["model"] = model_label(model)
    return changes


def log_action(
    *, actor, action: str, target: models.Model, changes: dict | None = None, data: dict | None = None
) -> AuditEntry:
    """Record a change. For a versioned target the version the change made is kept with it, so the API can
    tell which fields changed since a version (audit.selectors.fields_changed_since)."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    version = getattr(target, "version", None)
    if isinstance(version, int):
        data = {**(data or {}), "object_version": version}
    return AuditEntry.objects.create(
        actor=actor_user,
        actor_name=actor_user.get_full_name() if actor_user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        changes=changes or {},
        data=data or {},
    )
