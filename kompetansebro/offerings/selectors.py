"""Reads of education offerings for pages, exports and the API."""

from collections import Counter
from operator import itemgetter

from django.db import connections
from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast

from kompetansebro.competences.models import CompetenceField, DeliveryMode
from kompetansebro.geography.models import Municipality, RegionKind
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.rules import provider_ids_user_may_edit
from kompetansebro.offerings.search import offering_text_filter
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation
from kompetansebro.organisations.predicates import is_platform_admin

DELIVERY_FLAGS = {
    DeliveryMode.CAMPUS: "delivery_campus",
    DeliveryMode.GATHERINGS: "delivery_gatherings",
    DeliveryMode.ONLINE: "delivery_online",
    DeliveryMode.DECENTRALISED: "delivery_decentralised",
    DeliveryMode.WORKPLACE: "delivery_workplace",
}
STATUS_CURRENT = ""  # the default: everything except closed offerings
STATUS_ALL = "all"
FACETS = ("level", "delivery", "field", "provider", "continuous_admission")
SMALL_RESULT = 2000  # a searched result this small is read again by its ids (see catalogue)


def delivery_labels(offering: Offering) -> list[str]:
    """How the offering is delivered, as people read it, in the order of DeliveryMode."""
    return [str(mode.label) for mode, flag in DELIVERY_FLAGS.items() if getattr(offering, flag)]


def offerings_visible_to(user) -> QuerySet[Offering]:
    """Public offerings (open, running, closed), and the planned ones the person may see: those of
    their own providers; all of them for region secretariats and platform admins (see rules.py)."""
    offerings = Offering.objects.all()
    profile = access_profile(user)
    if is_platform_admin(user) or profile.secretariat_region_ids:
        return offerings
    public = ~Q(status=OfferingStatus.PLANNED)
    if profile.member_org_ids:
        return offerings.filter(public | Q(provider_id__in=profile.member_org_ids))
    return offerings.filter(public)


def offerings_kept_by(user) -> QuerySet[Offering]:
    """The offerings of the providers `user` may edit ("our offerings"), planned and closed included."""
    offerings = Offering.objects.select_related("provider", "field").order_by("status_rank", "title", "pk")
    ids = provider_ids_user_may_edit(user)
    return offerings if ids is None else offerings.filter(provider_id__in=ids)


def near_municipality_ids(number: str) -> list[int] | None:
    """The municipalities from which a person living in municipality `number` can reach a gathering
    without moving: the municipalities sharing an inter-municipal political council
    (Region kind interkommunalt_politisk_rad) with it, or, where it belongs to none, its county.
    None for an unknown number."""
    municipality = Municipality.objects.filter(number=number).values("pk", "county_id").first()
    if municipality is None:
        return None
    ids = set(
        Municipality.objects.filter(
            regions__kind=RegionKind.INTER_MUNICIPAL_COUNCIL, regions__municipalities=municipality["pk"]
        ).values_list("pk", flat=True)
    )
    if not ids:
        ids = set(Municipality.objects.filter(county_id=municipality["county_id"]).values_list("pk", flat=True))
    return sorted(ids | {municipality["pk"]})


def near_condition(municipality_ids: list[int]) -> Q:
    """Offerings a person in those municipalities can take without moving: delivered online, in the
    workplace or decentralised; with a gathering place in one of them; or on campus at a provider
    located in one of them (within commuting distance)."""
    # IN (subquery), not a correlated EXISTS or a join: the database reads the gathering places and providers
    # near once (PostgreSQL hashes them) instead of probing or joining for every offering.
    gathering_near = Offering.gathering_locations.through.objects.filter(municipality_id__in=municipality_ids)
    providers_near = Organisation.objects.filter(municipality_id__in=municipality_ids)  # not a join with every one
    return (
        Q(delivery_online=True)
        | Q(delivery_workplace=True)
        | Q(delivery_decentralised=True)
        | Q(pk__in=gathering_near.values("offering_id"))
        | Q(delivery_campus=True, provider_id__in=providers_near.values("pk"))
    )


def _search(user, filters: dict, near_ids: list[int] | None) -> QuerySet[Offering]:
    offerings = offerings_visible_to(user)
    if query := (filters.get("q") or "").strip():
        offerings = offering_text_filter(offerings, query)
    if levels := filters.get("level"):
        offerings = offerings.filter(level__in=levels)
    if modes := filters.get("delivery"):
        condition = Q()
        for mode in modes:
            if mode in DELIVERY_FLAGS:
                condition |= Q(**{DELIVERY_FLAGS[mode]: True})
        offerings = offerings.filter(condition)
    if fields := filters.get("field"):
        offerings = offerings.filter(field__code__in=[fields] if isinstance(fields, str) else fields)
    if provider := filters.get("provider"):
        offerings = offerings.filter(provider_id=getattr(provider, "pk", provider))
    if filters.get("continuous_admission"):
        offerings = offerings.filter(continuous_admission=True)
    status = filters.get("status") or STATUS_CURRENT
    if status == STATUS_CURRENT:
        offerings = offerings.exclude(status=OfferingStatus.CLOSED)
    elif status != STATUS_ALL:
        offerings = offerings.filter(status=status)
    if filters.get("municipality"):
        offerings = offerings.filter(near_condition(near_ids or []))
    return offerings


def offering_search(*, user, filters: dict) -> QuerySet[Offering]:
    """The offerings `user` may see that match `filters` (OfferingFilterForm.cleaned_data, or a dict
    with the same keys; missing keys do not filter):

    * q: every word must match the title, description, tags, field, provider or gathering places
      (Norwegian stemming and compound parts, see search.py);
    * level, delivery, field (codes): any of the chosen values (OR within a group, AND between groups);
    * provider (id), continuous_admission (True: only continuous admission);
    * status: "" (default) everything except closed offerings, "all" everything, or one status;
    * municipality (number), "near me": offerings a person living there can take without moving —
      online, in the workplace, decentralised, with a gathering place in that municipality or another
      municipality of the same inter-municipal political council (else the same county), or on campus
      at a provider located there (see near_municipality_ids and near_condition).

    Ordered open first, then running, planned and closed; then by next start and title."""
    near_ids = near_municipality_ids(filters["municipality"]) if filters.get("municipality") else None
    return _ordered(_search(user, filters, near_ids))


def _ordered(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    return (
        offerings.select_related("provider", "field")
        .prefetch_related("gathering_locations", "tags")
        .order_by("status_rank", F("start_date").asc(nulls_last=True), "title", "pk")
    )


def catalogue_facets(queryset: QuerySet[Offering], *, unfiltered: dict | None = None) -> dict:
    """Counts for the facets of a result, in five aggregate queries whatever its size:
    {"level": {code: n}, "delivery": {mode: n}, "field": {code: n}, "provider": {id: n},
    "continuous_admission": n}.

    `unfiltered` may give, per facet name, the result without that facet's own filter: a group of
    checkboxes is an OR, so the count beside an unticked box should say what ticking it would add."""
    unfiltered = unfiltered or {}

    def base(name):
        return unfiltered.get(name, queryset).prefetch_related(None).select_related(None).order_by()

    delivery = base("delivery").aggregate(
        **{mode: Count("pk", filter=Q(**{flag: True})) for mode, flag in DELIVERY_FLAGS.items()}
    )
    return {
        "level": dict(base("level").values_list("level").annotate(n=Count("pk"))),
        "delivery": {str(mode): count for mode, count in delivery.items()},
        "field": dict(base("field").values_list("field__code").annotate(n=Count("pk"))),
        "provider": dict(base("provider").values_list("provider_id").annotate(n=Count("pk"))),
        "continuous_admission": base("continuous_admission").filter(continuous_admission=True).count(),
    }


def catalogue(*, user, filters: dict) -> tuple[QuerySet[Offering], dict]:
    """The catalogue's result and its facet counts (see catalogue_facets) with a fixed number of
    queries: the near-me municipalities are looked up once, and the facets are counted here from one
    narrow query of the result without its facet filters (one scan instead of five, each of which
    repeated the text search and the near-me condition). The facets also hold "total", the size of the
    result, so that the pager need not count it again."""
    near_ids = near_municipality_ids(filters["municipality"]) if filters.get("municipality") else None
    result = _search(user, filters, near_ids)
    unfaceted = _search(user, {**filters, "level": None, "delivery": None, "field": None, "provider": None}, near_ids)
    # One narrow row per offering: level, field, provider and the delivery flags and continuous admission as
    # the bits of one number. Read with a plain cursor: Django's per-value converters cost more than the
    # counting.
    flags = [*DELIVERY_FLAGS.values(), "continuous_admission"]
    bits = sum(Cast(F(flag), IntegerField()) * (1 << index) for index, flag in enumerate(flags))
    columns = unfaceted.order_by().annotate(bits=bits).values_list("level", "field_id", "provider_id", "bits", "pk")
    sql, params = columns.query.sql_with_params()
    with connections[columns.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    field_codes = dict(CompetenceField.objects.values_list("pk", "code"))

    def chosen(name) -> set[str]:
        value = filters.get(name) or []
        return {value} if isinstance(value, str) else {str(item) for item in value}

    levels = chosen("level")
    fields = {pk for pk, code in field_codes.items() if code in chosen("field")} if chosen("field") else None
    wanted = chosen("delivery")
    delivery_mask = sum(1 << index for index, mode in enumerate(DELIVERY_FLAGS) if mode in wanted)
    continuous_bit = 1 << len(DELIVERY_FLAGS)
    provider = filters.get("provider")
    provider = str(getattr(provider, "pk", provider)) if provider else None
    level_counts, field_counts, provider_counts, delivery_counts = Counter(), Counter(), Counter(), Counter()
    matched_ids: list[int] = []  # the result's ids
    total = continuous = 0
    if not levels and fields is None and not delivery_mask and provider is None and rows:
        # No facet filter (the catalogue as it opens): every row counts everywhere; Counter does it in C.
        level_counts, field_counts = Counter(map(itemgetter(0), rows)), Counter(map(itemgetter(1), rows))
        provider_counts, delivery_counts = Counter(map(itemgetter(2), rows)), Counter(map(itemgetter(3), rows))
        total = len(rows)
        matched_ids = list(map(itemgetter(4), rows))
        continuous = sum(count for row_bits, count in delivery_counts.items() if row_bits & continuous_bit)
        rows = []
    for level, field_id, provider_id, row_bits, pk in rows:
        level_ok = not levels or level in levels
        field_ok = fields is None or field_id in fields
        delivery_ok = not delivery_mask or row_bits & delivery_mask
        provider_ok = provider is None or str(provider_id) == provider
        # Each group counts the result without its own filter (see catalogue_facets).
        if field_ok and delivery_ok and provider_ok:
            level_counts[level] += 1
        if level_ok and delivery_ok and provider_ok:
            field_counts[field_id] += 1
        if level_ok and field_ok and provider_ok:
            delivery_counts[row_bits] += 1
        if level_ok and field_ok and delivery_ok:
            provider_counts[provider_id] += 1
            if provider_ok:
                total += 1
                matched_ids.append(pk)
                continuous += bool(row_bits & continuous_bit)
    facets = {
        "level": dict(level_counts),
        "delivery": {
            str(mode): sum(count for row_bits, count in delivery_counts.items() if row_bits & (1 << index))
            for index, mode in enumerate(DELIVERY_FLAGS)
        },
        "field": {field_codes[field_id]: count for field_id, count in field_counts.items()},
        "provider": dict(provider_counts),
        "continuous_admission": continuous,
        "total": total,
    }
    if (filters.get("q") or near_ids) and len(matched_ids) <= SMALL_RESULT:
        # The rows counted are the result: a small one is read again by its ids rather than by repeating the
        # text search and the near-me condition (a scan of every offering on SQLite).
        result = Offering.objects.filter(pk__in=matched_ids)
    return _ordered(result), facets


def page_of(offerings: QuerySet[Offering], start: int, size: int) -> list[Offering]:
    """One page of an ordered result in two steps: the ids in order (a narrow sort of the whole result),
    then those offerings with their provider, field, places and tags. Sorting whole rows joined with
    provider and field cost several times as much."""
    ids = list(offerings.prefetch_related(None).select_related(None).values_list("pk", flat=True)[start : start + size])
    by_id = {offering.pk: offering for offering in offerings.order_by().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids]


def newest_offerings(user, *, limit: int = 5) -> list[Offering]:
    """The offerings published last (open for applications or running) that the person sees; one query."""
    return list(
        offerings_visible_to(user)
        .filter(status__in=[OfferingStatus.OPEN, OfferingStatus.RUNNING])
        .select_related("provider")
        .order_by("-created_at", "-pk")[:limit]
    )
