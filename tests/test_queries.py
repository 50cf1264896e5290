"""Query counts per page must not grow with the amount of data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kompetansebro.competences.models import CompetenceField
from kompetansebro.mapping import services
from kompetansebro.organisations.models import MembershipRole, Organisation
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def many_organisations(world):
    for index in range(40):
        organisation = OrganisationFactory(
            name=f"Bedrift {index} AS",
            municipality=world.holtalen.municipality,
            parent=world.holtalen if index % 3 == 0 else None,
        )
        MembershipFactory(organisation=organisation, role=MembershipRole.ADMIN)
    for _ in range(30):
        MembershipFactory(organisation=world.holtalen)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda w: reverse("organisations:list"),
        lambda w: reverse("organisations:list") + "?region=trondelag-sor",
        lambda w: w.holtalen.get_absolute_url(),
        lambda w: reverse("organisations:history", args=[w.holtalen.pk]),
        lambda w: reverse("geography:municipality_list"),
        lambda w: reverse("geography:municipality_detail", args=["5026"]),
        lambda w: reverse("geography:region_list"),
        lambda w: w.region.get_absolute_url(),
        lambda w: reverse("core:home"),
    ],
)
def test_pages_use_a_fixed_number_of_queries(
    world, client_for, many_organisations, django_assert_max_num_queries, url_of
):
    client = client_for("secretariat_sor")
    with django_assert_max_num_queries(15):
        response = client.get(url_of(world))
    assert response.status_code == 200


@pytest.fixture
def busy_round(world, many_organisations):
    """A mapping round with 40+ invited organisations, half of them with needs registered in the round."""
    invited = [world.holtalen, world.roros, world.company, *Organisation.objects.filter(name__startswith="Bedrift ")]
    mapping_round = services.round_open(
        actor=world.users["secretariat_sor"],
        region=world.region,
        title="Kartlegging før forumet",
        description="",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        organisations=invited,
    )
    field = CompetenceField.objects.get(code="helse-og-omsorg")
    for index, organisation in enumerate(invited[::2]):
        services.round_register_need(
            actor=world.users["secretariat_sor"],
            round=mapping_round,
            organisation=organisation,
            data={"title": f"Behov {index}", "description": "Fagbrev.", "field": field, "visibility": "region"},
        )
    return mapping_round


@pytest.mark.parametrize("persona", ["secretariat_sor", "platform_admin", "holtalen_contact"])
@pytest.mark.parametrize(
    "url_of",
    [
        lambda w, mapping_round: mapping_round.get_absolute_url(),
        lambda w, mapping_round: reverse("mapping:list"),
    ],
)
def test_mapping_round_pages_use_a_fixed_number_of_queries(
    world, client_for, busy_round, django_assert_max_num_queries, url_of, persona
):
    client = client_for(persona)
    with django_assert_max_num_queries(15):
        response = client.get(url_of(world, busy_round))
    assert response.status_code == 200
