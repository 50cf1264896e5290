"""Query counts per page must not grow with the amount of data."""

import pytest
from django.urls import reverse

from kompetansebro.organisations.models import MembershipRole
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
