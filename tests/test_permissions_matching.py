"""Every matching view × every persona × the need's visibility: allowed, forbidden (403), sent to log in,
or not found (404: a need the person may not see is never revealed).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
"""

import pytest
from django.urls import get_resolver, reverse

from kompetansebro.matching import engine_cache
from kompetansebro.needs.models import Visibility
from tests.conftest import PERSONAS
from tests.factories import NeedFactory, OfferingFactory
from tests.test_permissions import outcome


@pytest.fixture(autouse=True)
def _fresh_engine():
    engine_cache.reset()
    yield
    engine_cache.reset()


def holtalen_need(world, visibility):
    return NeedFactory(organisation=world.holtalen, visibility=visibility)


def garden_need(world):
    return NeedFactory(
        organisation=world.company, registered_on_behalf_by=world.garden, visibility=Visibility.ORGANISATION
    )


def offering(world, status="open"):
    return OfferingFactory(provider=world.ntnu, status=status)


def decision_url(name, need_of, offering_of=offering):
    return lambda w: reverse(name, args=[need_of(w).pk, offering_of(w).pk])


PUBLIC, REGION, ORGANISATION = "public", "region", "organisation"
ACCEPT, REJECT = "matching:accept", "matching:reject"

# (url name, method, function building the URL from the world, expectations by persona)
MATRIX = [
    (ACCEPT, "post", decision_url(ACCEPT, lambda w: holtalen_need(w, PUBLIC)), "L F F O O F O F O"),
    (ACCEPT, "post", decision_url(ACCEPT, lambda w: holtalen_need(w, REGION)), "L N N O O N O F O"),
    (ACCEPT, "post", decision_url(ACCEPT, lambda w: holtalen_need(w, ORGANISATION)), "L N N O O N N N O"),
    (ACCEPT, "post", decision_url(ACCEPT, garden_need), "L N F N N N N N O"),
    # a planned offering is seen by its provider, secretariats and platform admins only
    (
        ACCEPT,
        "post",
        decision_url(ACCEPT, lambda w: holtalen_need(w, REGION), lambda w: offering(w, "planned")),
        "L N N N N N O F O",
    ),
    (ACCEPT, "get", decision_url(ACCEPT, lambda w: holtalen_need(w, REGION)), "status 405"),
    (REJECT, "post", decision_url(REJECT, lambda w: holtalen_need(w, PUBLIC)), "L F F O O F O F O"),
    (REJECT, "post", decision_url(REJECT, lambda w: holtalen_need(w, REGION)), "L N N O O N O F O"),
    (REJECT, "post", decision_url(REJECT, lambda w: holtalen_need(w, ORGANISATION)), "L N N O O N N N O"),
    (REJECT, "post", decision_url(REJECT, garden_need), "L N F N N N N N O"),
    ("matching:provider", "get", lambda w: reverse("matching:provider", args=[w.ntnu.pk]), "L F F F F O F F O"),
    ("matching:provider", "get", lambda w: reverse("matching:provider", args=[w.holtalen.pk]), "L N N N N N N N N"),
]

CASES = [
    pytest.param(
        method,
        url_of,
        persona,
        expected if expected.startswith("status") else expected.split()[index],
        id=f"{name}-{row}-{persona}",
    )
    for row, (name, method, url_of, expected) in enumerate(MATRIX)
    for index, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_matching_permission_matrix(world, client_for, method, url_of, persona, expected):
    url = url_of(world)
    client = client_for(persona)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {key: "Passer ikke" for key in _reason_keys(url)})
    if expected == "status 405":
        # a GET is not an action: refused before anything else is looked at
        assert response.status_code == 405
        return
    assert outcome(response) == expected


def _reason_keys(url: str) -> list[str]:
    offering_pk = url.rstrip("/").split("/")[-2]
    return [f"reject-{offering_pk}-reason"]


def test_the_need_page_shows_decision_forms_only_to_those_who_may_decide(world, client_for):
    need = holtalen_need(world, PUBLIC)
    offering(world)
    shows_forms = {}
    for persona in PERSONAS:
        html = client_for(persona).get(need.get_absolute_url()).content.decode()
        assert 'id="need-matches"' in html or persona == "anonymous"
        shows_forms[persona] = "/passer/" in html
    assert [persona for persona, shown in shows_forms.items() if shown] == [
        "holtalen_contact",
        "holtalen_admin",
        "secretariat_sor",
        "platform_admin",
    ]


def test_matrix_covers_every_view():
    """A new matching URL without a row in the matrix fails here, so nobody forgets its permissions."""
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace == "matching":
            names |= {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
