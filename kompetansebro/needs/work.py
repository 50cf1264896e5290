"""Start-page items: needs of my organisations whose status someone else (or the system) changed lately."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.needs.models import NeedStatusChange
from kompetansebro.organisations.access import access_profile

RECENT = datetime.timedelta(days=14)


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    if not profile.member_org_ids:
        return []
    changes = (
        NeedStatusChange.objects.filter(
            need__organisation_id__in=profile.member_org_ids, changed_at__gte=timezone.now() - RECENT
        )
        .exclude(changed_by=user)
        .select_related("need__organisation")
        .order_by("-changed_at", "-pk")
    )
    latest = {}
    for change in changes:
        latest.setdefault(change.need_id, change)
    return [
        WorkItem(
            kind=_("Need changed status"),
            title=f"{change.need.title}: {change.get_to_status_display()}",
            url=reverse("needs:detail", args=[change.need_id]),
            context=change.need.organisation.name,
        )
        for change in latest.values()
    ]
