"""Start-page items: open needs of my organisations with offerings suggested lately and none decided yet."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.needs.models import FINAL_STATUSES, CompetenceNeed
from kompetansebro.organisations.access import access_profile

RECENT = datetime.timedelta(days=14)


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    if not profile.member_org_ids:
        return []
    needs = (
        CompetenceNeed.objects.filter(
            organisation_id__in=profile.member_org_ids,
            match_suggestions__computed_at__gte=timezone.now() - RECENT,
            match_decisions__isnull=True,
        )
        .exclude(status__in=FINAL_STATUSES)
        .select_related("organisation")
        .distinct()
    )
    return [
        WorkItem(
            kind=_("New matching offerings"),
            title=need.title,
            url=reverse("needs:detail", args=[need.pk]),
            context=need.organisation.name,
        )
        for need in needs
    ]
