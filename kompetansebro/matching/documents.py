"""The bridge between the database and the engine: needs and offerings as the engine's documents."""

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
DELIVERY_FLAGS = {
    "delivery_campus": "campus",
    "delivery_gatherings": "samlingsbasert",
    "delivery_online": "nett",
    "delivery_decentralised": "desentralisert",
    "delivery_workplace": "i_bedrift",
}
NEED_DELIVERY_FLAGS = {
    "wants_online": "nett",
    "wants_local_gatherings": "samlingsbasert",
    "wants_workplace": "i_bedrift",
    "campus_acceptable": "campus",
}


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
        delivery=frozenset(mode for flag, mode in DELIVERY_FLAGS.items() if getattr(offering, flag)),
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
        delivery=frozenset(mode for flag, mode in NEED_DELIVERY_FLAGS.items() if getattr(need, flag)),
        combined_work_education=need.combined_work_education,
        wanted_start=need.wanted_start,
        municipality=need.municipality.number if need.municipality_id else None,
        persons=need.persons,
    )
