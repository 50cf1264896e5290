from django.db.models import Count, Q, QuerySet

from kompetansebro.organisations.models import Membership, Organisation, OrganisationKind, RegionRole


def organisation_search(
    *,
    query: str = "",
    kind: str = "",
    municipality_number: str = "",
    region_code: str = "",
    county_number: str = "",
    include_inactive: bool = False,
) -> QuerySet[Organisation]:
    """Organisations are public (Enhetsregisteret is too); the list only filters, never hides."""
    organisations = Organisation.objects.select_related("municipality", "parent", "represented_by")
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    query = query.strip()
    if query:
        digits = query.replace(" ", "")
        condition = Q(name__icontains=query) | Q(municipality__name__icontains=query)
        if digits.isdigit():
            condition |= Q(org_number__startswith=digits)
        organisations = organisations.filter(condition)
    if kind:
        organisations = organisations.filter(kind=kind)
    if municipality_number:
        organisations = organisations.filter(municipality__number=municipality_number)
    if region_code:
        organisations = organisations.filter(municipality__regions__code=region_code)
    if county_number:
        organisations = organisations.filter(municipality__county__number=county_number)
    return organisations.order_by("name", "pk")


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__full_name")


def organisation_departments(organisation: Organisation) -> QuerySet[Organisation]:
    return organisation.departments.select_related("municipality").order_by("name")


def organisation_represented(organisation: Organisation) -> QuerySet[Organisation]:
    return organisation.represents.select_related("municipality").order_by("name")


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation", "organisation__municipality")


def region_roles_of(user) -> QuerySet[RegionRole]:
    return (
        RegionRole.objects.filter(user=user)
        .select_related("region")
        .annotate(municipality_count=Count("region__municipalities"))
    )


def business_gardens() -> QuerySet[Organisation]:
    return Organisation.objects.active().filter(kind=OrganisationKind.BUSINESS_GARDEN).order_by("name")
