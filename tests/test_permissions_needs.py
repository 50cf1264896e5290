"""Every needs view × every persona × the need's visibility: allowed, forbidden (403), sent to log in, or
not found (404: a need the person may not see is never revealed).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
"""

import pytest
from django.urls import get_resolver, reverse

from kompetansebro.needs.models import Visibility
from tests.conftest import PERSONAS
from tests.factories import NeedFactory
from tests.test_permissions import outcome

ALL = "O O O O O O O O O"


def holtalen_need(world, visibility):
    return NeedFactory(organisation=world.holtalen, visibility=visibility)


def garden_need(world):
    """Registered by the business garden for the company it represents, for the company's eyes only."""
    return NeedFactory(
        organisation=world.company, registered_on_behalf_by=world.garden, visibility=Visibility.ORGANISATION
    )


def region_registered_need(world):
    """Registered by the secretariat after a mapping meeting, for Holtålen's eyes only."""
    return NeedFactory(organisation=world.holtalen, registered_by_region=world.region, visibility="organisation")


def url(name, need_of):
    return lambda w: reverse(name, args=[need_of(w).pk])


PUBLIC, REGION, ORGANISATION = "public", "region", "organisation"

# (url name, method, function building the URL from the world, expectations by persona)
MATRIX = [
    ("needs:list", "get", lambda w: reverse("needs:list"), ALL),
    ("needs:list", "get", lambda w: reverse("needs:list") + "?q=helse&status=registered", ALL),
    ("needs:create", "get", lambda w: reverse("needs:create"), "L F F O O O O F O"),
    ("needs:detail", "get", url("needs:detail", lambda w: holtalen_need(w, PUBLIC)), ALL),
    ("needs:detail", "get", url("needs:detail", lambda w: holtalen_need(w, REGION)), "L N N O O N O O O"),
    ("needs:detail", "get", url("needs:detail", lambda w: holtalen_need(w, ORGANISATION)), "L N N O O N N N O"),
    ("needs:detail", "get", url("needs:detail", garden_need), "L N O N N N N N O"),
    ("needs:detail", "get", url("needs:detail", region_registered_need), "L N N O O N O N O"),
    ("needs:detail", "get", lambda w: reverse("needs:detail", args=[999999]), "L N N N N N N N N"),
    ("needs:update", "get", url("needs:update", lambda w: holtalen_need(w, PUBLIC)), "L F F O O F O F O"),
    ("needs:update", "get", url("needs:update", lambda w: holtalen_need(w, REGION)), "L N N O O N O F O"),
    ("needs:update", "get", url("needs:update", lambda w: holtalen_need(w, ORGANISATION)), "L N N O O N N N O"),
    ("needs:update", "get", url("needs:update", garden_need), "L N F N N N N N O"),
    ("needs:update", "get", url("needs:update", region_registered_need), "L N N O O N O N O"),
    (
        "needs:change_status",
        "post",
        url("needs:change_status", lambda w: holtalen_need(w, PUBLIC)),
        "L F F O O F O F O",
    ),
    (
        "needs:change_status",
        "post",
        url("needs:change_status", lambda w: holtalen_need(w, REGION)),
        "L N N O O N O F O",
    ),
    (
        "needs:change_status",
        "post",
        url("needs:change_status", lambda w: holtalen_need(w, ORGANISATION)),
        "L N N O O N N N O",
    ),
    ("needs:history", "get", url("needs:history", lambda w: holtalen_need(w, PUBLIC)), "L F F O O F O O O"),
    ("needs:history", "get", url("needs:history", lambda w: holtalen_need(w, REGION)), "L N N O O N O O O"),
    ("needs:history", "get", url("needs:history", lambda w: holtalen_need(w, ORGANISATION)), "L N N O O N N N O"),
    ("needs:history", "get", url("needs:history", garden_need), "L N O N N N N N O"),
]

CASES = [
    pytest.param(method, url_of, persona, expected.split()[index], id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, expected) in enumerate(MATRIX)
    for index, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_needs_permission_matrix(world, client_for, method, url_of, persona, expected):
    url = url_of(world)
    client = client_for(persona)
    response = (
        client.get(url) if method == "get" else client.post(url, {"to_status": "closed", "reason": "Dekket av NAV."})
    )
    assert outcome(response) == expected


def test_matrix_covers_every_view():
    """A new needs URL without a row in the matrix fails here, so nobody forgets its permissions."""
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace == "needs":
            names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
