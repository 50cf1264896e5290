"""Start-page items: open grant rounds where my organisation may submit a priority list and has not; planned
payments, due within a month or undated, in the rounds I manage (as the scheme owner's admin or the
region's secretariat)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.grants.eligibility import eligible_pairs
from kompetansebro.grants.models import GrantRound, Payment, PaymentStatus, PriorityList, RoundStatus
from kompetansebro.organisations.access import access_profile

PAYMENTS_AHEAD = datetime.timedelta(days=31)


@register_work_source
def payments_to_approve(user, today):
    profile = access_profile(user)
    if not profile.admin_org_ids and not profile.secretariat_region_ids:
        return []
    payments = (
        Payment.objects.filter(status=PaymentStatus.PLANNED)
        .filter(Q(due_on__isnull=True) | Q(due_on__lte=today + PAYMENTS_AHEAD))
        .filter(
            Q(allocation__round__scheme__owner_id__in=profile.admin_org_ids)
            | Q(allocation__round__region_id__in=profile.secretariat_region_ids)
        )
        .select_related("allocation__round", "allocation__recipient")
    )
    return [
        WorkItem(
            kind=_("Payment to approve"),
            title=f"{payment.allocation.recipient.name}: {payment.allocation.purpose}",
            url=reverse("grants:payment_edit", args=[payment.allocation.round_id, payment.pk]),
            deadline=payment.due_on,
            context=payment.allocation.round.name,
        )
        for payment in payments
    ]


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    if not profile.member_org_ids:
        return []
    rounds = list(GrantRound.objects.filter(status=RoundStatus.OPEN).select_related("scheme"))
    # A department is eligible with its parent organisation; the list a person submits is the parent's.
    pairs = [
        (grant_round, organisation)
        for grant_round, organisation in eligible_pairs(profile.member_org_ids, rounds)
        if organisation.parent_id not in profile.member_org_ids
    ]
    if not pairs:
        return []
    submitted = set(
        PriorityList.objects.filter(
            round__in=[grant_round for grant_round, _organisation in pairs],
            submitter_id__in=profile.member_org_ids,
            submitted_at__isnull=False,
        ).values_list("round_id", "submitter_id")
    )
    return [
        WorkItem(
            kind=_("Priority list to submit"),
            title=f"{grant_round.scheme.name}: {grant_round.name}",
            url=reverse("grants:round", args=[grant_round.pk]),
            deadline=grant_round.priority_deadline,
            context=organisation.name,
        )
        for grant_round, organisation in pairs
        if (grant_round.pk, organisation.pk) not in submitted
    ]
