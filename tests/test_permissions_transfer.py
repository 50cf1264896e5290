"""Every import/export URL × every persona (columns as in conftest.PERSONAS):
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).

Import: anyone who may register needs (contact persons and administrators, business gardens for the
companies they represent, region secretariats, platform admins) or keep offerings (members of a
provider). An uploaded file is seen and committed only by the person who uploaded it (404 for others).
Exports: everyone; each person gets the rows the list shows them.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from kompetansebro.transfer.models import ImportBatch, ImportKind
from tests.conftest import PERSONAS

ALL = "O O O O O O O O O"


def holtalen_batch(world):
    """A preview uploaded by Holtålen's administrator."""
    return ImportBatch.objects.create(
        kind=ImportKind.NEEDS, owner=world.holtalen, created_by=world.users["holtalen_admin"], file_name="behov.csv"
    )


MATRIX = [
    ("transfer:import_upload", "get", lambda w: reverse("transfer:import_upload"), "L F F O O O O F O"),
    (
        "transfer:import_preview",
        "get",
        lambda w: reverse("transfer:import_preview", args=[holtalen_batch(w).pk]),
        "L F F N O N N F N",
    ),
    (
        "transfer:import_commit",
        "post",
        lambda w: reverse("transfer:import_commit", args=[holtalen_batch(w).pk]),
        "L F F N O N N F N",
    ),
    ("transfer:export", "get", lambda w: reverse("transfer:export", args=["behov", "xlsx"]), ALL),
    ("transfer:export", "get", lambda w: reverse("transfer:export", args=["behov", "csv"]) + "?level=kurs", ALL),
    ("transfer:export", "get", lambda w: reverse("transfer:export", args=["tilbud", "xlsx"]), ALL),
    ("transfer:export", "get", lambda w: reverse("transfer:export", args=["tilbud", "csv"]) + "?q=sveis", ALL),
    ("transfer:export", "get", lambda w: reverse("transfer:export", args=["organisasjoner", "xlsx"]), ALL),
    ("transfer:export", "get", lambda w: reverse("transfer:export", args=["organisasjoner", "csv"]), ALL),
]

CASES = [
    pytest.param(method, url_of, persona, expected.split()[index], id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, expected) in enumerate(MATRIX)
    for index, persona in enumerate(PERSONAS)
]


def outcome(response) -> str:
    if response.status_code == 403:
        return "F"
    if response.status_code == 404:
        return "N"
    if response.status_code in (301, 302) and "logg-inn" in response["Location"]:
        return "L"
    if response.status_code >= 400:
        return f"status {response.status_code}"
    return "O"


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    url = url_of(world)
    response = client_for(persona).get(url) if method == "get" else client_for(persona).post(url)
    assert outcome(response) == expected


def test_upload_is_refused_without_the_permission(world, client_for):
    """A POST is checked like a GET: an observer cannot create a preview."""
    file = SimpleUploadedFile("behov.csv", b"ekstern_id;tittel\n1;a\n")
    response = client_for("county_observer").post(
        reverse("transfer:import_upload"), {"kind": "needs", "owner": world.holtalen.pk, "file": file}
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_matrix_covers_every_view():
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace == "transfer":
            names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names and names - covered == set()
