from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import models

from kompetansebro.audit.models import AuditEntry


def history_for(target: models.Model, *, page: int | str = 1, per_page: int = 50):
    """One page of the object's history, newest first, with the actor loaded in the same query."""
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            object_id=str(target.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    return Paginator(entries, per_page).get_page(page)


def fields_changed_since(target: models.Model, version: int) -> set[str] | None:
    """The fields of a versioned object changed after `version`, from its history (log_action records the
    version each entry made). None when the history does not tell: a version in between left no entry (a
    save that changed nothing, or one from before versions were recorded)."""
    if not 0 < version <= target.version:
        return None
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        data__object_version__gt=version,
    ).values_list("data", "changes")
    versions, fields = set(), set()
    for data, changes in entries:
        versions.add(data["object_version"])
        fields.update(changes)
    return fields if versions == set(range(version + 1, target.version + 1)) else None
