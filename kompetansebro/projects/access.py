"""The projects a person leads or sits in a group of, read once per request (like forums.access)."""

from django.db.models import Q
from django.utils import timezone

from kompetansebro.projects.models import Project, ProjectMembership

_CACHE_ATTRIBUTE = "_kompetansebro_project_ids"


def project_ids(user) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        today = timezone.localdate()
        seated = ProjectMembership.objects.filter(person=user, starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
        cached = frozenset(seated.values_list("project_id", flat=True)) | frozenset(
            Project.objects.filter(leader=user).values_list("pk", flat=True)
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_project_access(user) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
