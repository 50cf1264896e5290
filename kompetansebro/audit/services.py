"""Writing the history. Services call `log_action` inside their transaction, so a change and its
record are saved together or not at all."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kompetansebro.audit.models import AuditEntry


def _plain(value):
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
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


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The current values of `fields` as people read them (see display_value)."""
    return {name: display_value(instance, name) for name in fields}


def diff(before: dict, after: dict, *, model: type[models.Model] | None = None) -> dict:
    """{field: {"label": …, "old": …, "new": …}} for each field whose value changed."""
    changes = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old != new:
            label = str(model._meta.get_field(name).verbose_name) if model else name
            changes[name] = {"label": label, "old": old, "new": new}
    return changes


def log_action(
    *, actor, action: str, target: models.Model, changes: dict | None = None, data: dict | None = None
) -> AuditEntry:
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
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
