"""Reads of matching results for pages and other apps."""

from django.conf import settings
from django.db.models import Q, QuerySet

from kompetansebro.matching.models import MatchDecisionKind


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
