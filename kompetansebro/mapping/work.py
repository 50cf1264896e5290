"""Start-page items: mapping rounds my organisations have not answered; for a secretariat, who has not."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundStatus
from kompetansebro.organisations.access import access_profile


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    items = []
    if profile.member_org_ids:
        invitations = RoundInvitation.objects.filter(
            organisation_id__in=profile.member_org_ids, answered_at__isnull=True, round__status=RoundStatus.OPEN
        ).select_related("round", "organisation")
        items += [
            WorkItem(
                kind=_("Mapping round to answer"),
                title=invitation.round.title,
                url=reverse("mapping:detail", args=[invitation.round_id]),
                deadline=invitation.round.deadline,
                context=invitation.organisation.name,
            )
            for invitation in invitations
        ]
    if profile.secretariat_region_ids:
        rounds = (
            MappingRound.objects.filter(region_id__in=profile.secretariat_region_ids, status=RoundStatus.OPEN)
            .annotate(unanswered=Count("invitations", filter=Q(invitations__answered_at__isnull=True)))
            .filter(unanswered__gt=0)
            .select_related("region")
        )
        items += [
            WorkItem(
                kind=_("Not answered yet"),
                title=ngettext(
                    "%(count)d organisation has not answered %(round)s",
                    "%(count)d organisations have not answered %(round)s",
                    mapping_round.unanswered,
                )
                % {"count": mapping_round.unanswered, "round": mapping_round.title},
                url=reverse("mapping:detail", args=[mapping_round.pk]),
                deadline=mapping_round.deadline,
                context=mapping_round.region.name,
                for_others=True,
            )
            for mapping_round in rounds
        ]
    return items
