from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.geography.models import Municipality, Region


def test_platform_admin_defines_a_region(world, client_for):
    client = client_for("platform_admin")
    members = list(Municipality.objects.filter(number__in=["5046", "5047"]).values_list("pk", flat=True))
    response = client.post(
        reverse("geography:region_create"),
        {
            "name": "Namdalen",
            "kind": "interkommunalt_politisk_rad",
            "county": world.county_region.county_id,
            "description": "",
            "municipalities": members,
        },
    )
    assert response.status_code == 302
    region = Region.objects.get(name="Namdalen")
    assert region.code == "namdalen"
    assert set(region.municipalities.values_list("pk", flat=True)) == set(members)
    assert AuditEntry.objects.filter(action="geography.region.created", object_id=str(region.pk)).exists()


def test_region_needs_municipalities_and_a_unique_name(world, client_for):
    client = client_for("platform_admin")
    response = client.post(
        reverse("geography:region_create"),
        {"name": "Trøndelag Sør-Interkommunalt politisk råd", "kind": "other", "municipalities": []},
    )
    assert response.status_code == 200
    assert not Region.objects.filter(kind="other").exists()


def test_reference_region_keeps_its_members(world, client_for):
    client = client_for("platform_admin")
    before = set(world.region.municipalities.values_list("pk", flat=True))
    response = client.post(
        reverse("geography:region_update", args=[world.region.code]),
        {
            "name": "Trøndelag Sør",
            "description": "Seks kommuner",
            "municipalities": [],
            "version": world.region.version,
        },
    )
    assert response.status_code == 302
    world.region.refresh_from_db()
    assert world.region.name == "Trøndelag Sør"
    assert set(world.region.municipalities.values_list("pk", flat=True)) == before


def test_reference_region_cannot_be_deleted(world, client_for):
    response = client_for("platform_admin").post(reverse("geography:region_delete", args=[world.region.code]))
    assert response.status_code == 200
    assert Region.objects.filter(pk=world.region.pk).exists()


def test_region_role_gives_access_to_the_region(world, client_for):
    client = client_for("platform_admin")
    response = client.post(
        reverse("geography:region_role_add", args=[world.region.code]),
        {"email": "ny.sekretaer@example.no", "full_name": "Ny Sekretær", "role": "secretariat"},
    )
    assert response.status_code == 302
    assert world.region.roles.filter(user__email="ny.sekretaer@example.no").exists()
    assert AuditEntry.objects.filter(
        action="organisations.region_role.created", object_id=str(world.region.pk)
    ).exists()


def test_municipality_filters(world, client):
    page = client.get(reverse("geography:municipality_list"), {"centrality": ["6"], "county": "50"}).context["page"]
    assert page.paginator.count > 0
    assert all(m.centrality_class == 6 and m.county.number == "50" for m in page.object_list)


def test_region_page_shows_rural_share(world, client):
    response = client.get(world.region.get_absolute_url())
    summary = response.context["summary"]
    assert summary["municipality_count"] == 6
    assert summary["population"] == sum(world.region.municipalities.values_list("population", flat=True))
