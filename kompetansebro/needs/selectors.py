"""Reads of competence needs for pages, exports and the API. The filters here match needs/rules.py exactly."""

from django.db.models import Prefetch, Q, QuerySet

from kompetansebro.core.expressions import InSubquery
from kompetansebro.needs.models import CompetenceNeed, NeedStatusChange, Visibility
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_platform_admin

_NOTHING = Q(pk__in=[])


def _identity_condition(user) -> Q | None:
    """Q for the needs whose identity the person sees (sees_need_identity); None means all of them."""
    if is_platform_admin(user):
        return None
    profile = access_profile(user)
    condition = _NOTHING
    if profile.member_org_ids:
        condition |= Q(organisation_id__in=profile.member_org_ids) | Q(
            registered_on_behalf_by_id__in=profile.member_org_ids
        )
    if profile.region_municipality_ids:
        region_sees = ~Q(visibility=Visibility.ORGANISATION)
        if profile.region_ids:
            region_sees |= Q(registered_by_region_id__in=profile.region_ids)
        condition |= Q(municipality_id__in=profile.region_municipality_ids) & region_sees
    return condition


def needs_with_identity_visible_to(user) -> QuerySet[CompetenceNeed]:
    """The needs the person sees in full (needs.view_need_identity), not only as anonymised public needs."""
    condition = _identity_condition(user)
    needs = CompetenceNeed.objects.all()
    return needs if condition is None else needs.filter(condition)


def needs_visible_to(user) -> QuerySet[CompetenceNeed]:
    """The needs the person may see (needs.view_need): anonymous visitors only the public ones."""
    condition = _identity_condition(user)
    needs = CompetenceNeed.objects.all()
    if condition is None:
        return needs
    return needs.filter(condition | Q(visibility=Visibility.PUBLIC_ANONYMISED))


def need_search(*, user, filters: dict) -> QuerySet[CompetenceNeed]:
    """The needs the person may see, filtered by the cleaned_data of needs.forms.NeedFilterForm
    (missing keys mean no filter), newest first, ready for a list page or an export."""
    needs = needs_visible_to(user).select_related(
        "organisation", "registered_on_behalf_by", "field", "municipality", "contact_person"
    )
    query = (filters.get("q") or "").strip()
    if query:
        # Not EXISTS(tag) in the OR: PostgreSQL could then only scan every need. In this shape it ORs the trigram
        # indexes of title and description (needs migration 0004) with the ids of the tagged needs (InSubquery),
        # or, for a word in most needs, walks the newest-first index; SQLite scans the needs as before.
        tagged = CompetenceNeed.tags.through.objects.filter(tag__name__icontains=query).values("competenceneed_id")
        text = Q(title__icontains=query) | Q(description__icontains=query)
        identity = _identity_condition(user)
        if identity is not None:
            # Needs seen only because they are public are found by their public text, not by the internal one:
            # a search for "sagbruk" must not point out the anonymised need that mentions the sawmill.
            text = (identity & text) | Q(public_title__icontains=query) | Q(public_description__icontains=query)
        needs = needs.filter(text | Q(InSubquery("pk", tagged.order_by())))
    if statuses := filters.get("status"):
        needs = needs.filter(status__in=list(statuses))
    if field := filters.get("field"):
        needs = needs.filter(field__code=getattr(field, "code", field))
    if level := filters.get("level"):
        needs = needs.filter(level=level)
    if municipality := filters.get("municipality"):
        needs = needs.filter(municipality__number=municipality)
    if region := filters.get("region"):
        needs = needs.filter(municipality__regions__code=region)
    if organisation := filters.get("organisation"):
        # Only among needs whose organisation the person may know: filtering anonymised public needs by
        # organisation would reveal whose they are.
        needs = needs.filter(organisation_id=getattr(organisation, "pk", organisation))
        identity = _identity_condition(user)
        if identity is not None:
            needs = needs.filter(identity)
    if urgency := filters.get("urgency"):
        needs = needs.filter(urgency=urgency)
    if filters.get("combined_work_education"):
        needs = needs.filter(combined_work_education=True)
    return needs.order_by("-created_at", "-id")


def need_for_page(pk: int) -> CompetenceNeed | None:
    """One need with everything its page shows, in a fixed number of queries."""
    return (
        CompetenceNeed.objects.select_related(
            "organisation",
            "registered_on_behalf_by",
            "registered_by_region",
            "field",
            "municipality__county",
            "contact_person",
            "created_by",
        )
        .prefetch_related(
            "tags",
            Prefetch("status_changes", queryset=NeedStatusChange.objects.select_related("changed_by")),
        )
        .filter(pk=pk)
        .first()
    )
