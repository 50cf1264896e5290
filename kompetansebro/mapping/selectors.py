"""Reads for the mapping pages, the round export and the region overview. Filters match mapping/rules.py."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import Level
from kompetansebro.geography.models import Region
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundNeed
from kompetansebro.needs.access import need_access
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.needs.selectors import needs_visible_to
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation, OrganisationKind
from kompetansebro.organisations.predicates import is_platform_admin

# Who is invited by default and counted as "registered nothing": the organisations that have needs
# (demanders). Education providers, councils, NAV etc. can still be ticked by hand.
DEMANDER_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.COMPANY, OrganisationKind.BUSINESS_GARDEN)


def rounds_visible_to(user) -> QuerySet[MappingRound]:
    rounds = MappingRound.objects.select_related("region").annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
    )
    if is_platform_admin(user):
        return rounds.order_by("-opens_on", "-id")
    condition = Q(pk__in=[])
    profile = access_profile(user)
    if profile.region_ids:
        condition |= Q(region_id__in=profile.region_ids)
    registrable = need_access(user).registrable_org_ids
    if registrable:
        invited = RoundInvitation.objects.filter(round_id=OuterRef("pk"), organisation_id__in=registrable)
        condition |= Exists(invited)
    return rounds.filter(condition).order_by("-opens_on", "-id")


def round_for_page(pk: int) -> MappingRound | None:
    return MappingRound.objects.select_related("region", "created_by").filter(pk=pk).first()


def round_invitations(mapping_round: MappingRound, *, organisation_ids=None) -> QuerySet[RoundInvitation]:
    """The invitations with the number of needs each organisation registered in the round, by name."""
    invitations = (
        RoundInvitation.objects.filter(round=mapping_round)
        .select_related("organisation__municipality")
        .annotate(
            # A correlated count, evaluated only for the invitations read (one page), not a join with every need
            # of every invited organisation.
            need_count=Coalesce(
                Subquery(
                    RoundNeed.objects.filter(round=mapping_round, need__organisation_id=OuterRef("organisation_id"))
                    .order_by()
                    .values("round")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("organisation__name", "pk")
    )
    if organisation_ids is not None:
        invitations = invitations.filter(organisation_id__in=organisation_ids)
    return invitations


def invitation_counts(mapping_round: MappingRound, *, organisation_ids=None) -> dict[str, int]:
    """{"invited": n, "answered": n, "unanswered": n}, counted by the database: a round in a large region
    invites hundreds of organisations, and only one page of them is read."""
    invitations = RoundInvitation.objects.filter(round=mapping_round)
    if organisation_ids is not None:
        invitations = invitations.filter(organisation_id__in=organisation_ids)
    counts = invitations.aggregate(invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    return {**counts, "unanswered": counts["invited"] - counts["answered"]}


def round_needs(user, mapping_round: MappingRound, *, organisation_ids=None) -> QuerySet[CompetenceNeed]:
    needs = (
        needs_visible_to(user)
        .filter(mapping_round_link__round=mapping_round)
        .select_related("organisation", "field", "municipality", "registered_on_behalf_by")
        .order_by("organisation__name", "title", "pk")
    )
    if organisation_ids is not None:
        needs = needs.filter(organisation_id__in=organisation_ids)
    return needs


def default_invitees(region: Region) -> QuerySet[Organisation]:
    return organisations_in_region(region).filter(kind__in=DEMANDER_KINDS, parent__isnull=True)


def organisations_in_region(region: Region) -> QuerySet[Organisation]:
    return (
        Organisation.objects.active()
        .filter(municipality__regions=region)
        .select_related("municipality")
        .order_by("name", "pk")
    )


def delivery_wishes(need: CompetenceNeed) -> str:
    wishes = [
        (need.wants_online, _("Online")),
        (need.wants_local_gatherings, _("Local gatherings")),
        (need.wants_workplace, _("In the workplace")),
        (need.campus_acceptable, _("Campus acceptable")),
    ]
    return ", ".join(str(label) for wanted, label in wishes if wanted)


# ---- the region overview ---------------------------------------------------------------------------

AGE_BUCKETS = [
    ("0_30", _("0–30 days"), 0, 30),
    ("31_90", _("31–90 days"), 31, 90),
    ("91_365", _("91–365 days"), 91, 365),
    ("older", _("older than a year"), 366, None),
]
BAR_WIDTH = 300


@dataclass
class Breakdown:
    key: str
    title: str
    description: str
    column: str
    rows: list[dict]  # label, count, persons, extra (e.g. centrality class), bar (width in the chart)

    @property
    def total(self) -> int:
        return sum(row["count"] for row in self.rows)

    @property
    def chart_height(self) -> int:
        return 28 * len(self.rows) + 8


def _with_bars(rows: list[dict]) -> list[dict]:
    largest = max((row["count"] for row in rows), default=0)
    for index, row in enumerate(rows):
        row["bar"] = round(BAR_WIDTH * row["count"] / largest) if largest else 0
        row["y"] = 4 + 28 * index
        row["text_y"] = row["y"] + 15
    return rows


def region_overview(user, region: Region) -> dict:
    """The needs the person sees in the region's municipalities, broken down five ways (one aggregate
    query each), and the organisations in the region that have registered nothing (one query)."""
    needs = needs_visible_to(user).filter(municipality__regions=region).order_by()
    # One query for all five breakdowns: a row per need (status, level, field, municipality, age bucket),
    # counted here. Five aggregate queries read every need of the region five times, and one GROUP BY over
    # all five columns costs as much as they do.
    today = timezone.now()
    ages = []
    for key, _label, low, high in AGE_BUCKETS:
        condition = Q(created_at__lte=today - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=today - datetime.timedelta(days=high + 1))
        ages.append(When(condition, then=Value(key)))
    name_field = "field__name_en" if translation.get_language() == "en" else "field__name_nb"
    rows = needs.annotate(age=Case(*ages, default=Value(""), output_field=CharField())).values_list(
        "status",
        "level",
        "field__sort_order",
        name_field,
        "municipality__name",
        "municipality__centrality_class",
        "age",
        "persons",
    )
    status_counts, field_counts, municipality_counts, level_counts, age_counts = ({} for _ in range(5))

    def add(counts: dict, key, persons) -> None:
        total = counts.get(key)
        if total is None:
            total = counts[key] = {"count": 0, "persons": 0}
        total["count"] += 1
        total["persons"] += persons or 0

    for status, level, sort_order, field_name, municipality, centrality, age, persons in rows:
        add(status_counts, status, persons)
        add(field_counts, (sort_order, field_name), persons)
        add(municipality_counts, (municipality, centrality), persons)
        add(level_counts, level, persons)
        add(age_counts, age, persons)
    by_status = [
        {
            "label": capfirst(status.label),
            "count": status_counts.get(status, {}).get("count", 0),
            "persons": status_counts.get(status, {}).get("persons") or 0,
        }
        for status in NeedStatus
    ]
    by_field = [
        {"label": name, "count": total["count"], "persons": total["persons"]}
        for (sort_order, name), total in sorted(
            field_counts.items(), key=lambda item: (-item[1]["count"], item[0][0], item[0][1])
        )
    ]
    by_municipality = [
        {"label": name, "count": total["count"], "persons": total["persons"], "extra": centrality}
        for (name, centrality), total in sorted(municipality_counts.items())
    ]
    by_level = [
        {
            "label": capfirst(label),
            "count": level_counts[value]["count"],
            "persons": level_counts[value]["persons"],
        }
        for value, label in [*Level.choices, ("", _("not decided"))]
        if value in level_counts
    ]
    by_age = [
        {
            "label": label,
            "count": age_counts.get(key, {}).get("count", 0),
            "persons": age_counts.get(key, {}).get("persons", 0),
        }
        for key, label, _low, _high in AGE_BUCKETS
    ]
    # Three NOT EXISTS, not one with OR: each can use an index (organisation, its parent, the garden), while
    # the OR made the database scan every need for every organisation (minutes with 50 000 needs).
    needs_of = CompetenceNeed.objects.filter(organisation_id=OuterRef("pk"))
    needs_of_departments = CompetenceNeed.objects.filter(organisation__parent_id=OuterRef("pk"))
    needs_on_behalf = CompetenceNeed.objects.filter(registered_on_behalf_by_id=OuterRef("pk"))
    silent = list(
        default_invitees(region).filter(~Exists(needs_of), ~Exists(needs_of_departments), ~Exists(needs_on_behalf))
    )
    breakdowns = [
        Breakdown(
            "status",
            str(_("Needs by status")),
            str(_("Number of needs in each status.")),
            str(_("Status")),
            _with_bars(by_status),
        ),
        Breakdown(
            "field",
            str(_("Needs by field of competence")),
            str(_("Number of needs in each field of competence.")),
            str(_("Field of competence")),
            _with_bars(by_field),
        ),
        Breakdown(
            "municipality",
            str(_("Needs by municipality")),
            str(_("Number of needs in each municipality, with its centrality class.")),
            str(_("Municipality")),
            _with_bars(by_municipality),
        ),
        Breakdown(
            "level",
            str(_("Needs by wanted level")),
            str(_("Number of needs at each wanted level.")),
            str(_("Wanted level")),
            _with_bars(by_level),
        ),
        Breakdown(
            "age",
            str(_("Needs by age")),
            str(_("Number of needs by days since they were registered.")),
            str(_("Age")),
            _with_bars(by_age),
        ),
    ]
    return {"breakdowns": breakdowns, "silent_organisations": silent, "total": sum(r["count"] for r in by_status)}
