"""Start-page items: development requests my provider organisations have not answered."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.development.models import OPEN_REQUEST_STATUSES, ProviderAnswer
from kompetansebro.organisations.access import access_profile


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    if not profile.member_org_ids:
        return []
    answers = ProviderAnswer.objects.filter(
        provider_id__in=profile.member_org_ids, answered_at__isnull=True, request__status__in=OPEN_REQUEST_STATUSES
    ).select_related("request", "provider")
    return [
        WorkItem(
            kind=_("Development request to answer"),
            title=answer.request.title,
            url=reverse("development:detail", args=[answer.request_id]),
            deadline=answer.request.answer_deadline,
            context=answer.provider.name,
        )
        for answer in answers
    ]
