from django.db.models import Count, QuerySet, Sum

from kompetansebro.geography.models import County, Municipality, Region


def municipality_choices() -> list[tuple[str, str]]:
    return list(Municipality.objects.order_by("name").values_list("number", "name"))


def region_choices() -> list[tuple[str, str]]:
    return list(Region.objects.order_by("kind", "name").values_list("code", "name"))


def county_choices() -> list[tuple[str, str]]:
    return list(County.objects.order_by("name").values_list("number", "name"))


def municipality_search(
    *, query: str = "", county_number: str = "", centrality_classes=(), region_code: str = ""
) -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("county")
    if query.strip():
        text = query.strip()
        municipalities = municipalities.filter(name__icontains=text) | municipalities.filter(number__startswith=text)
    if county_number:
        municipalities = municipalities.filter(county__number=county_number)
    if centrality_classes:
        municipalities = municipalities.filter(centrality_class__in=centrality_classes)
    if region_code:
        municipalities = municipalities.filter(regions__code=region_code)
    return municipalities.order_by("name")


def region_list() -> QuerySet[Region]:
    return (
        Region.objects.select_related("county")
        .annotate(municipality_count=Count("municipalities"), population=Sum("municipalities__population"))
        .order_by("kind", "name")
    )


def region_members(region: Region) -> QuerySet[Municipality]:
    return region.municipalities.select_related("county").order_by("name")


def region_summary(region: Region) -> dict:
    """Population and the share living in centrality classes 5–6 (the Kompetansepilot target, seed 001)."""
    members = list(region.municipalities.values_list("population", "centrality_class"))
    total = sum(population for population, _ in members)
    rural = sum(population for population, centrality in members if centrality >= 5)
    return {
        "municipality_count": len(members),
        "population": total,
        "rural_municipality_count": sum(1 for _, centrality in members if centrality >= 5),
        "rural_share": round(100 * rural / total) if total else 0,
    }
