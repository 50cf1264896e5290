"""The public catalogue: Norwegian search, facets with counts, "near me", htmx, constant query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from kompetansebro.competences.models import CompetenceField
from kompetansebro.geography.models import Municipality
from kompetansebro.offerings.models import Offering
from kompetansebro.offerings.search import offering_text_filter, search_words, stem
from kompetansebro.offerings.selectors import catalogue, catalogue_facets, near_municipality_ids, offering_search
from kompetansebro.offerings.services import offering_create
from kompetansebro.organisations.models import OrganisationKind, ProviderKind
from tests.factories import OfferingFactory, OrganisationFactory

pytestmark = pytest.mark.usefixtures("english")

CATALOGUE = reverse("offerings:catalogue")


def municipality(number):
    return Municipality.objects.get(number=number)


def field(code):
    return CompetenceField.objects.get(code=code)


def offer(actor, provider, title, **data):
    defaults = {
        "title": title,
        "description": data.pop("description", "Et tilbud for voksne som er i jobb."),
        "field": field(data.pop("field", "helse-og-omsorg")),
        "level": data.pop("level", "fagbrev"),
        "status": data.pop("status", "open"),
    }
    return offering_create(actor=actor, provider=provider, data={**defaults, **data})


@pytest.fixture
def catalogue_world(world):
    """Offerings a person in Holtålen can and cannot take without moving."""
    admin = world.users["platform_admin"]
    roros_vgs = OrganisationFactory(
        name="Røros videregående skole",
        kind=OrganisationKind.EDUCATION_PROVIDER,
        provider_kind=ProviderKind.UPPER_SECONDARY,
        municipality=municipality("5025"),
    )
    oslo_fagskole = OrganisationFactory(
        name="Fagskolen Oslo",
        kind=OrganisationKind.EDUCATION_PROVIDER,
        provider_kind=ProviderKind.VOCATIONAL_COLLEGE,
        municipality=municipality("0301"),
    )
    items = {
        "helse": offer(
            admin,
            roros_vgs,
            "Helsefagarbeider – fagbrev på nett",
            delivery_online=True,
            continuous_admission=True,
            tags="eldreomsorg, praksiskandidat",
        ),
        "ledelse": offer(
            admin,
            world.ntnu,
            "Ledelse i helse- og omsorgstjenesten",
            level="videreutdanning",
            credits=Decimal("15"),
            credit_unit="studiepoeng",
            delivery_gatherings=True,
            gathering_locations=[municipality("5001")],
            start_date=date(2027, 1, 15),
            price=Decimal("12500"),
        ),
        "tomrer": offer(
            admin,
            roros_vgs,
            "Tømrerfaget for voksne",
            field="bygg-og-anlegg",
            delivery_gatherings=True,
            gathering_locations=[municipality("5025")],
        ),
        "barnehage": offer(
            admin,
            oslo_fagskole,
            "Barnehagelærer på deltid",
            field="oppvekst-og-utdanning",
            level="bachelor",
            delivery_campus=True,
        ),
        "velferd": offer(
            admin,
            world.ntnu,
            "Velferdsteknologi i kommunene",
            level="videreutdanning",
            delivery_decentralised=True,
            status="running",
        ),
        "kokk": offer(
            admin,
            oslo_fagskole,
            "Kokk i bedrift",
            field="reiseliv-og-mat",
            delivery_workplace=True,
        ),
        "truck": offer(
            admin, roros_vgs, "Truckførerkurs", field="transport-og-logistikk", level="kurs", delivery_campus=True
        ),
        "oppdrett": offer(
            admin,
            world.ntnu,
            "Havbruk og fiskehelse",
            field="naturbruk-og-havbruk",
            delivery_gatherings=True,
            gathering_locations=[municipality("5014")],
        ),
        "planned": offer(admin, world.ntnu, "Sykepleie til eldre – planlagt", status="planned", delivery_online=True),
        "closed": offer(admin, roros_vgs, "Sveisekurs våren 2024", level="kurs", status="closed", delivery_campus=True),
    }
    return items


def titles(queryset):
    return {offering.title for offering in queryset}


def search(user, **filters):
    return titles(offering_search(user=user, filters=filters))


# --- search words -------------------------------------------------------------------------------------


def test_search_words_are_lower_case_stemmed_and_without_stop_words():
    words = search_words("Helsefagarbeider – fagbrev på nett for voksne i Holtålen").split()
    assert "på" not in words and "for" not in words and "i" not in words
    assert {"helsefagarbeider", "helsefagarbeid", "fagbrev", "nett", "holtålen"} <= set(words)


def test_stems_are_stable_across_inflections():
    assert stem("helsefagarbeidere") == stem("helsefagarbeider") == "helsefagarbeid"
    assert stem("sykepleiere") == stem("sykepleier") == stem("sykepleie")
    assert stem("tømreren") == stem("tømrer")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helsefagarbeidere nett", {"Helsefagarbeider – fagbrev på nett"}),
        ("Helsefagarbeideren", {"Helsefagarbeider – fagbrev på nett"}),
        ("fagarbeider", {"Helsefagarbeider – fagbrev på nett"}),  # the second part of a compound
        ("eldreomsorgen", {"Helsefagarbeider – fagbrev på nett"}),  # a tag, inflected
        ("tømrer", {"Tømrerfaget for voksne"}),
        ("lærer", {"Barnehagelærer på deltid"}),  # short stem, but the word itself is in the compound
        ("truck", {"Truckførerkurs"}),
        ("NTNU velferdsteknologi", {"Velferdsteknologi i kommunene"}),  # provider name and title
        ("fiskehelse Frøya", {"Havbruk og fiskehelse"}),  # gathering place
        ("helse nett", {"Helsefagarbeider – fagbrev på nett"}),  # every word must match
        ("kokk snekker", set()),
    ],
)
def test_norwegian_search(catalogue_world, world, query, expected):
    assert search(world.users["outsider"], q=query) == expected


def test_text_filter_without_words_filters_nothing(catalogue_world):
    assert offering_text_filter(Offering.objects.all(), "og i på").count() == Offering.objects.count()


def test_field_name_is_searchable(catalogue_world, world):
    assert "Tømrerfaget for voksne" in search(world.users["outsider"], q="anlegg")


# --- visibility and status ----------------------------------------------------------------------------


def test_catalogue_hides_planned_from_the_public_and_closed_by_default(catalogue_world, world):
    public = search(world.users["outsider"])
    assert "Sykepleie til eldre – planlagt" not in public
    assert "Sveisekurs våren 2024" not in public
    assert "Sveisekurs våren 2024" in search(world.users["outsider"], status="all")
    assert search(world.users["outsider"], status="planned") == set()
    assert search(world.users["ntnu_admin"], status="planned") == {"Sykepleie til eldre – planlagt"}
    assert "Sykepleie til eldre – planlagt" in search(world.users["secretariat_sor"])


# --- near me ------------------------------------------------------------------------------------------


def test_near_me_in_holtalen_means_without_moving(catalogue_world, world):
    near = search(world.users["outsider"], municipality="5026")
    assert near == {
        "Helsefagarbeider – fagbrev på nett",  # online
        "Tømrerfaget for voksne",  # gatherings in Røros, same inter-municipal council
        "Velferdsteknologi i kommunene",  # decentralised
        "Kokk i bedrift",  # in the workplace
        "Truckførerkurs",  # campus at a provider in Røros
    }


def test_near_me_region_and_county_fallback(world):
    holtalen = set(near_municipality_ids("5026"))
    assert {municipality(n).pk for n in ["5026", "5025", "5027", "5022", "5028", "5021"]} == holtalen
    # Trondheim belongs to no inter-municipal council in the reference data: the county counts.
    trondheim = set(near_municipality_ids("5001"))
    assert municipality("5014").pk in trondheim and municipality("0301").pk not in trondheim
    assert near_municipality_ids("9999") is None


def test_near_me_in_trondheim_uses_the_county(catalogue_world, world):
    near = search(world.users["outsider"], municipality="5001", delivery=["samlingsbasert"])
    assert near == {"Ledelse i helse- og omsorgstjenesten", "Havbruk og fiskehelse", "Tømrerfaget for voksne"}


# --- filters and facets -------------------------------------------------------------------------------


def test_combined_filters(catalogue_world, world):
    user = world.users["outsider"]
    assert search(user, municipality="5026", level=["fagbrev"], field=["helse-og-omsorg"]) == {
        "Helsefagarbeider – fagbrev på nett"
    }
    assert search(user, delivery=["nett", "i_bedrift"]) == {"Helsefagarbeider – fagbrev på nett", "Kokk i bedrift"}
    assert search(user, continuous_admission=True) == {"Helsefagarbeider – fagbrev på nett"}
    assert search(user, provider=world.ntnu.pk, status="running") == {"Velferdsteknologi i kommunene"}
    assert search(user, q="kurs", municipality="5026", level=["kurs"]) == {"Truckførerkurs"}


def test_facet_counts_for_the_current_result(catalogue_world, world):
    facets = catalogue_facets(offering_search(user=world.users["outsider"], filters={"municipality": "5026"}))
    assert facets["level"] == {"fagbrev": 3, "videreutdanning": 1, "kurs": 1}
    assert facets["delivery"] == {
        "campus": 1,
        "samlingsbasert": 1,
        "nett": 1,
        "desentralisert": 1,
        "i_bedrift": 1,
    }
    assert facets["field"]["helse-og-omsorg"] == 2 and facets["field"]["bygg-og-anlegg"] == 1
    assert facets["provider"][world.ntnu.pk] == 1
    assert facets["continuous_admission"] == 1


def test_ticked_group_still_counts_its_other_choices(catalogue_world, world):
    _result, facets = catalogue(user=world.users["outsider"], filters={"level": ["kurs"], "field": []})
    assert facets["level"]["fagbrev"] == 4  # what ticking "fagbrev" as well would add
    assert facets["field"] == {"transport-og-logistikk": 1}  # other groups follow the ticked level


def test_catalogue_page_shows_cards_and_facets(catalogue_world, client):
    response = client.get(CATALOGUE, {"q": "ledelse"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ledelse i helse- og omsorgstjenesten" in content
    assert "NTNU Videre" in content
    assert "15 studiepoeng" in content
    assert "kr\xa012\xa0500" in content
    assert "Trondheim" in content
    assert 'role="status"' in content
    assert 'id="count-level-' in content


def test_holtalen_person_sees_what_they_can_take_from_home(catalogue_world, client):
    response = client.get(CATALOGUE, {"municipality": "5026"})
    content = response.content.decode()
    assert "5 offerings found" in content or "5 utdanningstilbud" in content
    assert "Barnehagelærer på deltid" not in content
    assert "Holtålen" in content


def test_htmx_returns_the_results_with_count_and_facet_counts_out_of_band(catalogue_world, client):
    response = client.get(CATALOGUE, {"q": "kokk"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="result-count" role="status" hx-swap-oob="true"' in content
    assert 'id="count-continuous" hx-swap-oob="true"' in content
    assert "Kokk i bedrift" in content and "Truckførerkurs" not in content
    history = client.get(CATALOGUE, {"q": "kokk"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in history.content.decode()


def test_invalid_filters_are_ignored_not_an_error(catalogue_world, client):
    response = client.get(CATALOGUE, {"level": "doktorgrad", "municipality": "0000"})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_the_data(world, client, django_assert_max_num_queries):
    places = list(Municipality.objects.filter(number__in=["5025", "5026", "5001"]))
    for index in range(45):
        offering = OfferingFactory(
            provider=world.ntnu,
            title=f"Tilbud {index}",
            delivery_gatherings=index % 2 == 0,
            continuous_admission=index % 3 == 0,
            status="open" if index % 5 else "running",
        )
        offering.gathering_locations.set(places[: index % 3 + 1])
        offering.tags.set([])
    filters = {
        "q": "tilbud",
        "municipality": "5026",
        "level": "fagbrev",
        "delivery": ["nett", "samlingsbasert"],
        "field": "helse-og-omsorg",
        "provider": str(world.ntnu.pk),
        "page": "2",
    }
    with django_assert_max_num_queries(20):
        response = client.get(CATALOGUE, filters)
    assert response.status_code == 200
    assert "Tilbud" in response.content.decode()


@pytest.mark.parametrize(
    "filters",
    [
        {"q": "helsefagarbeider"},
        {"q": "fagbrev", "delivery": ["nett"]},
        {"municipality": "5026"},
        {"municipality": "5026", "q": "kurs", "level": ["kurs"]},
        {"q": "sveis", "status": "all"},
        {},
    ],
)
@pytest.mark.parametrize("small_result", [0, 2000])
def test_catalogue_result_is_the_search_in_its_order(
    catalogue_world, world, settings, monkeypatch, filters, small_result
):
    """A small searched result is re-read by the ids counted with the facets: same offerings, same order, same
    total as the search itself."""
    monkeypatch.setattr("kompetansebro.offerings.selectors.SMALL_RESULT", small_result)
    for persona in ("anonymous", "ntnu_admin"):
        user = world.users.get(persona) or AnonymousUser()
        result, facets = catalogue(user=user, filters=filters)
        expected = list(offering_search(user=user, filters=filters))
        assert list(result) == expected
        assert facets["total"] == len(expected)
