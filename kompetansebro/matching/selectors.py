"""Reads of matching results for pages and other apps."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kompetansebro.geography.models import Region, RegionKind
from kompetansebro.matching.documents import MATCHABLE_NEED_STATUSES
from kompetansebro.matching.models import MatchDecision, MatchDecisionKind, MatchState, MatchSuggestion
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.offerings.models import Offering


def good_match_score() -> float:
    """The score from which a suggestion counts as a good match (docs/matching.md explains the value)."""
    return settings.MATCHING_GOOD_SCORE


def needs_without_good_match(needs: QuerySet) -> QuerySet:
    """The needs in `needs` that no offering fits: none accepted, and no suggestion scored as a good match.

    A need whose suggestions have not been computed yet counts as without a match until they are."""
    return needs.exclude(match_decisions__decision=MatchDecisionKind.ACCEPTED).filter(
        Q(match_state__isnull=True)
        | Q(match_state__best_score__isnull=True)
        | Q(match_state__best_score__lt=good_match_score())
    )


# --- pages ------------------------------------------------------------------------------------------------
@dataclass
class SuggestionRow:
    suggestion: MatchSuggestion
    offering: Offering
    reasons: list[str]
    quality: str
    decision: MatchDecision | None


def score_words(score: float) -> str:
    """The score as people read it, against the good-match score."""
    good = good_match_score()
    if score >= good:
        return _("good match")
    if score >= good / 2:
        return _("partial match")
    return _("weak match")


def need_matches_for_page(*, user, need, state: MatchState | None, language: str) -> dict:
    """The suggested offerings the person may see (best first, reasons in `language`) and the decisions
    taken for the need. Two queries, however many suggestions and decisions there are."""
    from kompetansebro.matching.services import reason_from_json

    decisions = list(
        MatchDecision.objects.filter(need=need)
        .select_related("offering__provider", "decided_by")
        .order_by("-decided_at", "-pk")
    )
    by_offering = {decision.offering_id: decision for decision in decisions}
    rejected = {d.offering_id for d in decisions if d.decision == MatchDecisionKind.REJECTED}
    rows = []
    suggestions = MatchSuggestion.objects.filter(need=need).select_related("offering__provider").order_by("rank")
    for suggestion in suggestions:
        offering = suggestion.offering
        if offering.pk in rejected or not user.has_perm("offerings.view_offering", offering):
            continue
        rows.append(
            SuggestionRow(
                suggestion=suggestion,
                offering=offering,
                reasons=[reason_from_json(reason).text(language) for reason in suggestion.reasons],
                quality=score_words(suggestion.score),
                decision=by_offering.get(offering.pk),
            )
        )
    visible_decisions = [d for d in decisions if user.has_perm("offerings.view_offering", d.offering)]
    return {"rows": rows, "decisions": visible_decisions, "state": state, "good_score": good_match_score()}


@dataclass
class ProviderNeedRow:
    need: CompetenceNeed
    offerings: list[Offering]
    best_score: float
    quality: str
    shows_identity: bool


@dataclass
class RegionGroup:
    name: str
    rows: list[ProviderNeedRow]
    needs: int = 0
    persons: int = 0


def provider_matches(*, user, provider) -> list[RegionGroup]:
    """The needs the person may see whose suggestions include the provider's offerings, grouped by the
    region of the need's municipality (its inter-municipal or other region; the county where it has none),
    with the number of needs and the sum of persons. A fixed number of queries."""
    from kompetansebro.needs.rules import sees_need_identity
    from kompetansebro.needs.selectors import needs_visible_to

    regions = Region.objects.exclude(kind=RegionKind.COUNTY).order_by("name", "pk")
    rejected = MatchDecision.objects.filter(
        need_id=OuterRef("need_id"), offering_id=OuterRef("offering_id"), decision=MatchDecisionKind.REJECTED
    )
    suggestions = (
        MatchSuggestion.objects.filter(
            offering__provider=provider,
            need__in=needs_visible_to(user).filter(status__in=MATCHABLE_NEED_STATUSES),
        )
        .exclude(Exists(rejected))
        .select_related("offering", "need__organisation", "need__municipality__county")
        .prefetch_related(Prefetch("need__municipality__regions", queryset=regions, to_attr="local_regions"))
        .order_by("-score", "need_id", "rank")
    )
    by_need: dict[int, ProviderNeedRow] = {}
    for suggestion in suggestions:
        need = suggestion.need
        row = by_need.get(need.pk)
        if row is None:
            by_need[need.pk] = ProviderNeedRow(
                need=need,
                offerings=[suggestion.offering],
                best_score=suggestion.score,
                quality=score_words(suggestion.score),
                shows_identity=sees_need_identity(user, need),
            )
        else:
            row.offerings.append(suggestion.offering)
    groups: dict[str, RegionGroup] = {}
    for row in by_need.values():
        municipality = row.need.municipality
        name = municipality.local_regions[0].name if municipality.local_regions else municipality.county.name
        group = groups.setdefault(name, RegionGroup(name=name, rows=[]))
        group.rows.append(row)
        group.needs += 1
        group.persons += row.need.persons
    return sorted(groups.values(), key=lambda group: (-group.persons, group.name))
