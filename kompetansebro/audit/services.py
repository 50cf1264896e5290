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


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The current values of `fields`, with foreign keys as their display text and choices as labels."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = list(getattr(instance, name).all()) if instance.pk else []
        elif field.choices:
            value = getattr(instance, f"get_{name}_display")() if getattr(instance, name) else ""
        else:
            value = getattr(instance, name)
        result[name] = _plain(value)
    return result


def diff(before: dict, after: dict, *, model: type[models.Model] | None = None) -> dict:
    """{field: {"label": …, "old": …, "new": …}} for each field whose value changed."""
    changes = {}
    for name in after:
        old, new = before.get(name), after[name]
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
