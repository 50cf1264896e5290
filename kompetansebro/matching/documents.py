"""The bridge between the database and the engine: needs and offerings as the engine's documents."""

from kompetansebro.competences.models import NEED_DELIVERY_FIELDS, OFFERING_DELIVERY_FIELDS
from kompetansebro.matching.engine.engine import NeedDoc, OfferingDoc
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.offerings.models import Offering, OfferingStatus

# Offerings a need can be pointed to; closed ones are history.
MATCHABLE_OFFERING_STATUSES = [OfferingStatus.PLANNED, OfferingStatus.OPEN, OfferingStatus.RUNNING]
# Needs that still look for an offer.
MATCHABLE_NEED_STATUSES = [
    NeedStatus.REGISTERED,
    NeedStatus.QUALIFIED,
    NeedStatus.PRESENTED,
    NeedStatus.IN_DIALOGUE,
    NeedStatus.BEING_ADAPTED,
]


def matchable_offerings():
    return (
        Offering.objects.filter(status__in=MATCHABLE_OFFERING_STATUSES)
        .select_related("field", "provider")
        .prefetch_related("tags", "gathering_locations")
        .order_by("pk")
    )


def offering_document(offering: Offering) -> OfferingDoc:
    return OfferingDoc(
        id=str(offering.pk),
        title=offering.title,
        description=offering.description,
        tags=tuple(tag.name for tag in offering.tags.all()),
        provider=offering.provider.name,
        field=offering.field.code if offering.field_id else None,
        level=offering.level or None,
        delivery=frozenset(mode.value for mode, flag in OFFERING_DELIVERY_FIELDS.items() if getattr(offering, flag)),
        continuous_admission=offering.continuous_admission,
        gathering_locations=tuple(municipality.number for municipality in offering.gathering_locations.all()),
        start=offering.start_date,
    )


def need_document(need: CompetenceNeed) -> NeedDoc:
    return NeedDoc(
        id=str(need.pk),
        title=need.title,
        description=need.description,
        tags=tuple(tag.name for tag in need.tags.all()),
        field=need.field.code if need.field_id else None,
        level=need.level or None,
        delivery=frozenset(mode.value for mode, flag in NEED_DELIVERY_FIELDS.items() if getattr(need, flag)),
        combined_work_education=need.combined_work_education,
        wanted_start=need.wanted_start,
        municipality=need.municipality.number if need.municipality_id else None,
        persons=need.persons,
    )


# --- many documents at once ------------------------------------------------------------------------------
# The same documents as offering_document / need_document, read with values() instead of model instances:
# a full rebuild reads tens of thousands of rows, and building model objects would take most of the time.
_NEED_VALUES = ["pk", "title", "description", "field__code", "level", "combined_work_education", "wanted_start"]
_NEED_VALUES += ["municipality__number", "persons", *NEED_DELIVERY_FIELDS.values()]
_OFFERING_VALUES = ["pk", "title", "description", "provider__name", "field__code", "level", "continuous_admission"]
_OFFERING_VALUES += ["start_date", *OFFERING_DELIVERY_FIELDS.values()]


def _names_by_owner(through, owner: str, name: str, owner_ids) -> dict[int, list[str]]:
    """{owner id: names in the order of the related model} for a many-to-many table."""
    rows = through.objects.order_by(name, "pk").values_list(owner, name)
    if owner_ids is not None:
        rows = rows.filter(**{f"{owner}__in": owner_ids})
    names: dict[int, list[str]] = {}
    for owner_id, value in rows.iterator(chunk_size=10_000):
        names.setdefault(owner_id, []).append(value)
    return names


def offering_documents(offerings=None) -> list[OfferingDoc]:
    """Documents of `offerings` (default: every matchable offering), by primary key."""
    everything = offerings is None
    offerings = (matchable_offerings() if everything else offerings).order_by("pk")
    rows = list(offerings.values(*_OFFERING_VALUES))
    ids = None if everything or len(rows) > 2000 else [row["pk"] for row in rows]
    through_tags = Offering.tags.through
    tags = _names_by_owner(through_tags, "offering_id", "tag__name", ids)
    # gathering places in the order of Municipality.Meta.ordering (by name), as offering_document gives them
    places_rows = Offering.gathering_locations.through.objects.order_by("municipality__name", "municipality_id")
    if ids is not None:
        places_rows = places_rows.filter(offering_id__in=ids)
    places: dict[int, list[str]] = {}
    for offering_id, number in places_rows.values_list("offering_id", "municipality__number").iterator(10_000):
        places.setdefault(offering_id, []).append(number)
    return [
        OfferingDoc(
            id=str(row["pk"]),
            title=row["title"],
            description=row["description"],
            tags=tuple(tags.get(row["pk"], ())),
            provider=row["provider__name"],
            field=row["field__code"],
            level=row["level"] or None,
            delivery=frozenset(mode.value for mode, flag in OFFERING_DELIVERY_FIELDS.items() if row[flag]),
            continuous_admission=row["continuous_admission"],
            gathering_locations=tuple(places.get(row["pk"], ())),
            start=row["start_date"],
        )
        for row in rows
    ]


def need_documents(needs) -> list[NeedDoc]:
    """Documents of the needs in the queryset `needs`, by primary key."""
    rows = list(needs.order_by("pk").values(*_NEED_VALUES))
    ids = None if len(rows) > 2000 else [row["pk"] for row in rows]
    tags = _names_by_owner(CompetenceNeed.tags.through, "competenceneed_id", "tag__name", ids)
    return [
        NeedDoc(
            id=str(row["pk"]),
            title=row["title"],
            description=row["description"],
            tags=tuple(tags.get(row["pk"], ())),
            field=row["field__code"],
            level=row["level"] or None,
            delivery=frozenset(mode.value for mode, flag in NEED_DELIVERY_FIELDS.items() if row[flag]),
            combined_work_education=row["combined_work_education"],
            wanted_start=row["wanted_start"],
            municipality=row["municipality__number"],
            persons=row["persons"],
        )
        for row in rows
    ]
