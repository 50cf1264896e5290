"""Who may receive money from a round, and so submit a priority list in it (issue 11 item 11).

An organisation is an eligible recipient of a round when the scheme's owner has invited it to the scheme, or
when it is of one of the scheme's eligible kinds and lies in the round's region (any region when the round has
none). Only active organisations. The rule lives here so that the rules module, the forms and the service
read the same definition."""

from django.db.models import Q, QuerySet

from kompetansebro.grants.models import GrantRound
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
