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
