"""The region overview (issue 3, part 6): needs by status, field, municipality, level and age, as tables and
server-rendered SVG charts, and the organisations in the region that have registered nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kompetansebro.competences.models import CompetenceField
from kompetansebro.mapping.selectors import region_overview
from kompetansebro.needs.models import CompetenceNeed
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def english(client):
    client.cookies["kompetansebro_language"] = "en"
    return client


def rows_of(overview, key):
    breakdown = next(b for b in overview["breakdowns"] if b.key == key)
    return {str(row["label"]): row["count"] for row in breakdown.rows}


def test_breakdowns_count_the_needs_in_the_region(world):
    NeedFactory(organisation=world.holtalen, level="fagbrev", persons=2)
    NeedFactory(organisation=world.holtalen, level="fagbrev", status="qualified")
    NeedFactory(
        organisation=world.roros, level="", field=CompetenceField.objects.exclude(code="helse-og-omsorg").first()
    )
    NeedFactory(organisation=world.oslo_company)  # outside the region
    NeedFactory(organisation=world.holtalen, visibility="organisation")  # the secretariat does not see it
    old = NeedFactory(organisation=world.roros)
    CompetenceNeed.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
    overview = region_overview(world.users["secretariat_sor"], world.region)
    assert overview["total"] == 4
    assert rows_of(overview, "status")["Registered"] == 3
    assert rows_of(overview, "status")["Qualified"] == 1
    assert rows_of(overview, "municipality") == {"Holtålen": 2, world.roros.municipality.name: 2}
    municipality = next(b for b in overview["breakdowns"] if b.key == "municipality")
    assert {row["extra"] for row in municipality.rows} == {
        world.holtalen.municipality.centrality_class,
        world.roros.municipality.centrality_class,
    }
    assert rows_of(overview, "age") == {"0–30 days": 3, "31–90 days": 0, "91–365 days": 1, "older than a year": 0}
    assert sum(rows_of(overview, "field").values()) == 4
    assert sum(rows_of(overview, "level").values()) == 4
    assert rows_of(overview, "level")["Not decided"] == 2  # the factory leaves the level open


def test_organisations_that_have_registered_nothing(world):
    NeedFactory(organisation=world.homecare)  # a department's need counts for Holtålen
    NeedFactory(organisation=world.company, registered_on_behalf_by=world.garden)
    overview = region_overview(world.users["secretariat_sor"], world.region)
    names = {organisation.name for organisation in overview["silent_organisations"]}
    assert "Røros kommune" in names
    assert "Holtålen kommune" not in names
    assert "Røros Sagbruk AS" not in names and "Rørosregionen Næringshage" not in names
    assert "Oslo Konsult AS" not in names and "NTNU Videre" not in names


def test_page_has_charts_with_text_alternatives_and_tables(world, client_for):
    NeedFactory(organisation=world.holtalen, persons=4)
    NeedFactory(organisation=world.roros)
    response = english(client_for("secretariat_sor")).get(reverse("mapping:region_overview", args=[world.region.code]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<svg") == 5
    assert content.count('role="img"') == 5
    assert '<title id="chart-status-title">Needs by status</title>' in content
    assert re.search(r"<desc id=\"chart-municipality-desc\">[^<]*Holtålen: 1 \(centrality class \d\)", content)
    assert content.count("<table") == 5
    assert "<script" not in content.split("<main", 1)[-1] and "style=" not in content
    assert "Organisations that have registered nothing" in content


@pytest.mark.parametrize("needs", [50, 80])
def test_query_count_does_not_grow_with_the_data(world, client_for, django_assert_max_num_queries, needs):
    fields = list(CompetenceField.objects.all()[:5])
    organisations = [world.holtalen, world.roros, world.company, world.garden]
    levels = ["", "fagbrev", "fagskole", "kurs"]
    for index in range(needs):
        NeedFactory(
            organisation=organisations[index % 4],
            field=fields[index % len(fields)],
            level=levels[index % 4],
            status=["registered", "qualified"][index % 2],
        )
    client = client_for("secretariat_sor")
    url = reverse("mapping:region_overview", args=[world.region.code])
    # session, user, region, access profile (3), five breakdowns, the organisations without needs
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert f"{needs} competence needs you can see" in english(client).get(url).content.decode()
