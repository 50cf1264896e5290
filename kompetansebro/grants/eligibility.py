"""Who may receive money from a round, and so submit a priority list in it (issue 11 item 11).

An organisation is an eligible recipient of a round when the scheme's owner has invited it to the scheme, or
when it is of one of the scheme's eligible kinds and lies in the round's region (any region when the round has
none). Only active organisations. The rule lives here so that the rules module, the forms and the service
read the same definition."""

from django.db.models import Q, QuerySet

from kompetansebro.geography.models import Region
from kompetansebro.grants.models import GrantRound, GrantScheme
from kompetansebro.organisations.models import Organisation


def eligible_recipients(grant_round: GrantRound) -> QuerySet[Organisation]:
    scheme = grant_round.scheme
    condition = Q(grant_scheme_invitations=scheme)
    if scheme.eligible_kinds:
        by_kind = Q(kind__in=scheme.eligible_kinds)
        if grant_round.region_id is not None:
            by_kind &= Q(municipality__regions=grant_round.region_id)
        condition |= by_kind
    return Organisation.objects.active().filter(pk__in=Organisation.objects.filter(condition).values("pk"))


def is_eligible_recipient(grant_round: GrantRound, organisation: Organisation) -> bool:
    return eligible_recipients(grant_round).filter(pk=organisation.pk).exists()


def eligible_pairs(organisation_ids, grant_rounds) -> list[tuple[GrantRound, Organisation]]:
    """The same rule as `eligible_recipients`, for a person's organisations in many rounds at once, in three
    queries however many rounds: for the start page (core/work.py)."""
    organisations = list(Organisation.objects.active().filter(pk__in=organisation_ids))
    if not organisations or not grant_rounds:
        return []
    regions_of: dict[int, set[int]] = {}
    for region_id, municipality_id in Region.municipalities.through.objects.filter(
        municipality_id__in={organisation.municipality_id for organisation in organisations}
    ).values_list("region_id", "municipality_id"):
        regions_of.setdefault(municipality_id, set()).add(region_id)
    invited = set(
        GrantScheme.invited_organisations.through.objects.filter(
            organisation_id__in=[organisation.pk for organisation in organisations]
        ).values_list("grantscheme_id", "organisation_id")
    )
    return [
        (grant_round, organisation)
        for grant_round in grant_rounds
        for organisation in organisations
        if (grant_round.scheme_id, organisation.pk) in invited
        or (
            organisation.kind in grant_round.scheme.eligible_kinds
            and (
                grant_round.region_id is None
                or grant_round.region_id in regions_of.get(organisation.municipality_id, ())
            )
        )
    ]
