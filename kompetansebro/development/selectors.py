"""Reads for the gap analysis and the development request pages. The filters here match development/rules.py."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import Level
from kompetansebro.development.models import (
    OPEN_REQUEST_STATUSES,
    DevelopmentRequest,
    ProviderAnswer,
    RequestNeed,
    RequestStatus,
)
from kompetansebro.geography.models import Region
from kompetansebro.matching.selectors import needs_without_good_match
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.needs.selectors import needs_visible_to
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_platform_admin

# Needs still waiting for education: from registered up to an offer being adapted (seed 000's life cycle).
OPEN_NEED_STATUSES = (
    NeedStatus.REGISTERED,
    NeedStatus.QUALIFIED,
    NeedStatus.PRESENTED,
    NeedStatus.IN_DIALOGUE,
    NeedStatus.BEING_ADAPTED,
)
CHART_WIDTH = 300
NO_LEVEL = "-"  # the level filter's value for needs without a wanted level
ACTIVE_REQUEST_STATUSES = (RequestStatus.DRAFT, *OPEN_REQUEST_STATUSES)


# ---- the gap analysis -------------------------------------------------------------------------------------


def gap_needs(user, region: Region, filters: dict | None = None) -> QuerySet[CompetenceNeed]:
    """Open needs the person sees in the region's municipalities that no offering fits (the matching app
    decides what a good match is). `filters` are the cleaned_data of GapFilterForm plus, for one group,
    `municipality` (a number); missing keys mean no filter."""
    filters = filters or {}
    needs = needs_visible_to(user).filter(municipality__regions=region, status__in=OPEN_NEED_STATUSES)
    if field := filters.get("field"):
        needs = needs.filter(field__code=getattr(field, "code", field))
    level = filters.get("level")
    if level == NO_LEVEL:
        needs = needs.filter(level="")
    elif level:
        needs = needs.filter(level=level)
    if centrality := filters.get("centrality"):
        needs = needs.filter(municipality__centrality_class=int(centrality))
    if municipality := filters.get("municipality"):
        needs = needs.filter(municipality__number=municipality)
    return needs_without_good_match(needs).order_by()


@dataclass
class GapGroup:
    field_code: str
    field_name: str
    level: str
    municipality_number: str
    municipality_name: str
    centrality_class: int
    count: int
    persons: int
    requested: int  # needs already in a development request that is not closed

    @property
    def level_label(self) -> str:
        return capfirst(str(dict(Level.choices).get(self.level, ""))) if self.level else str(_("not decided"))

    def query(self) -> dict:
        """The GET parameters that pick this group's needs (the create page's preselection)."""
        return {
            "field": self.field_code,
            "level": self.level or NO_LEVEL,
            "municipality": self.municipality_number,
        }


def gap_groups(needs: QuerySet[CompetenceNeed]) -> list[GapGroup]:
    """The needs grouped by field of competence, level and municipality, most persons first (one query)."""
    name_field = "field__name_en" if translation.get_language() == "en" else "field__name_nb"
    in_request = RequestNeed.objects.filter(need_id=OuterRef("pk"), request__status__in=ACTIVE_REQUEST_STATUSES)
    rows = (
        needs.annotate(in_request=Exists(in_request))
        .values(
            "field__code",
            name_field,
            "field__sort_order",
            "level",
            "municipality__number",
            "municipality__name",
            "municipality__centrality_class",
        )
        .annotate(
            count=Count("pk"),
            persons=Sum("persons"),
            requested=Count("pk", filter=Q(in_request=True)),
        )
        .order_by("-persons", "field__sort_order", "level", "municipality__name")
    )
    return [
        GapGroup(
            field_code=row["field__code"],
            field_name=row[name_field],
            level=row["level"],
            municipality_number=row["municipality__number"],
            municipality_name=row["municipality__name"],
            centrality_class=row["municipality__centrality_class"],
            count=row["count"],
            persons=row["persons"] or 0,
            requested=row["requested"],
        )
        for row in rows
    ]


@dataclass
class GapChart:
    key: str
    title: str
    description: str
    rows: list[dict]  # label, persons, count, extra, bar, y, text_y

    @property
    def chart_height(self) -> int:
        return 28 * len(self.rows) + 8


def _chart_rows(totals: dict) -> list[dict]:
    rows = sorted(
        (
            {"label": label, "persons": values[0], "count": values[1], "extra": values[2]}
            for label, values in totals.items()
        ),
        key=lambda row: (-row["persons"], row["label"]),
    )
    largest = max((row["persons"] for row in rows), default=0)
    for index, row in enumerate(rows):
        row["bar"] = round(CHART_WIDTH * row["persons"] / largest) if largest else 0
        row["y"] = 4 + 28 * index
        row["text_y"] = row["y"] + 15
    return rows


def gap_charts(groups: list[GapGroup]) -> list[GapChart]:
    """Persons without a fitting offering by field and by municipality, summed from the groups (no query)."""
    by_field: dict[str, list] = {}
    by_municipality: dict[str, list] = {}
    for group in groups:
        field = by_field.setdefault(group.field_name, [0, 0, None])
        field[0] += group.persons
        field[1] += group.count
        place = by_municipality.setdefault(group.municipality_name, [0, 0, group.centrality_class])
        place[0] += group.persons
        place[1] += group.count
    return [
        GapChart(
            "field",
            str(_("Persons without a fitting offering, by field of competence")),
            str(_("Number of persons in needs without a good match, for each field of competence.")),
            _chart_rows(by_field),
        ),
        GapChart(
            "municipality",
            str(_("Persons without a fitting offering, by municipality")),
            str(
                _("Number of persons in needs without a good match, for each municipality, with its centrality class.")
            ),
            _chart_rows(by_municipality),
        ),
    ]


# ---- development requests ---------------------------------------------------------------------------------


def requests_visible_to(user) -> QuerySet[DevelopmentRequest]:
    """The requests the person may see (development.view_request), newest first, with the counts a list shows."""
    requests = DevelopmentRequest.objects.select_related("region")
    if not is_platform_admin(user):
        profile = access_profile(user)
        condition = Q(pk__in=[])
        if profile.region_ids:
            condition |= Q(region_id__in=profile.region_ids)
        if profile.member_org_ids:
            addressed = ProviderAnswer.objects.filter(request_id=OuterRef("pk"), provider_id__in=profile.member_org_ids)
            condition |= Exists(addressed) & ~Q(status=RequestStatus.DRAFT)
        requests = requests.filter(condition)
    need_totals = RequestNeed.objects.filter(request_id=OuterRef("pk")).order_by().values("request_id")
    answer_totals = ProviderAnswer.objects.filter(request_id=OuterRef("pk")).order_by().values("request_id")
    return requests.annotate(
        need_count=Coalesce(Subquery(need_totals.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()),
        persons=Coalesce(
            Subquery(need_totals.annotate(n=Sum("need__persons")).values("n")), 0, output_field=IntegerField()
        ),
        provider_count=Coalesce(
            Subquery(answer_totals.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
        ),
        answered_count=Coalesce(
            Subquery(answer_totals.filter(~Q(kind="")).annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
    ).order_by("-created_at", "-id")


def request_for_page(pk: int) -> DevelopmentRequest | None:
    return DevelopmentRequest.objects.select_related("region", "created_by").filter(pk=pk).first()


def request_needs(request: DevelopmentRequest) -> list[CompetenceNeed]:
    return list(
        CompetenceNeed.objects.filter(development_links__request=request)
        .select_related("organisation", "field", "municipality")
        .order_by("municipality__name", "title", "pk")
    )


def request_answers(request: DevelopmentRequest) -> list[ProviderAnswer]:
    return list(
        ProviderAnswer.objects.filter(request=request)
        .select_related("provider", "answered_by", "existing_offering", "linked_offering", "linked_by")
        .order_by("provider__name", "pk")
    )


def requests_of_need(user, need: CompetenceNeed) -> list[DevelopmentRequest]:
    """The development requests the need is part of that the person may see, with the answers (two queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    answers = ProviderAnswer.objects.select_related("provider", "linked_offering").order_by("provider__name", "pk")
    return list(
        requests_visible_to(user).filter(need_links__need=need).prefetch_related(Prefetch("answers", queryset=answers))
    )
