"""Every offerings view × every persona × an offering that is planned (not public) or open.

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404): a planned
offering is hidden from those who may not see it.
The offering belongs to NTNU Videre; ntnu_admin is one of its members.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.conftest import PERSONAS
from tests.factories import OfferingFactory
from tests.test_permissions import outcome

ALL = "O O O O O O O O O"
KEEPERS = "L F F F F O F F O"
KEEPERS_PLANNED = "L N N N N O F N O"


def offering_url(name, status):
    def url_of(world):
        offering = OfferingFactory(provider=world.ntnu, status=status)
        return reverse(name, args=[offering.pk])

    return url_of


# (url name, method, function building the URL from the world, expectations by persona)
MATRIX = [
    ("offerings:catalogue", "get", lambda w: reverse("offerings:catalogue") + "?q=helse&municipality=5026", ALL),
    ("offerings:mine", "get", lambda w: reverse("offerings:mine"), "L F F F F O F F O"),
    ("offerings:create", "get", lambda w: reverse("offerings:create"), "L F F F F O F F O"),
    ("offerings:detail", "get", offering_url("offerings:detail", "open"), ALL),
    ("offerings:detail", "get", offering_url("offerings:detail", "planned"), "N N N N N O O N O"),
    ("offerings:update", "get", offering_url("offerings:update", "open"), KEEPERS),
    ("offerings:update", "get", offering_url("offerings:update", "planned"), KEEPERS_PLANNED),
    ("offerings:status", "post", offering_url("offerings:status", "open"), KEEPERS),
    ("offerings:status", "post", offering_url("offerings:status", "planned"), KEEPERS_PLANNED),
    ("offerings:delete", "get", offering_url("offerings:delete", "open"), KEEPERS),
    ("offerings:delete", "get", offering_url("offerings:delete", "planned"), KEEPERS_PLANNED),
    ("offerings:history", "get", offering_url("offerings:history", "open"), "L F F F F O O F O"),
    ("offerings:history", "get", offering_url("offerings:history", "planned"), "L N N N N O O N O"),
]

CASES = [
    pytest.param(method, url_of, persona, expected.split()[index], id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, expected) in enumerate(MATRIX)
    for index, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    url = url_of(world)
    client = client_for(persona)
    response = client.get(url) if method == "get" else client.post(url, {"status": "running"})
    assert outcome(response) == expected


def test_matrix_covers_every_view():
    """A new offerings URL without a row in the matrix fails here."""
    _prefix, resolver = get_resolver().namespace_dict["offerings"]
    names = {f"offerings:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    assert names - {name for name, *_ in MATRIX} == set()


def test_get_on_the_status_url_is_not_allowed(world, client_for):
    offering = OfferingFactory(provider=world.ntnu)
    assert client_for("ntnu_admin").get(reverse("offerings:status", args=[offering.pk])).status_code == 405


def test_department_members_keep_their_providers_offerings_but_not_others(world, client_for):
    """Members of a provider keep its departments' offerings; a member of a department only its own."""
    from kompetansebro.organisations.models import OrganisationKind
    from tests.factories import MembershipFactory, OrganisationFactory

    department = OrganisationFactory(
        name="NTNU Videre, helse", kind=OrganisationKind.EDUCATION_PROVIDER, parent=world.ntnu, org_number=None
    )
    department_offering = OfferingFactory(provider=department, status="planned")
    parent_offering = OfferingFactory(provider=world.ntnu, status="planned")
    assert client_for("ntnu_admin").get(reverse("offerings:update", args=[department_offering.pk])).status_code == 200
    member = MembershipFactory(organisation=department).user
    client = client_for("anonymous")
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("offerings:update", args=[department_offering.pk])).status_code == 200
    assert client.get(reverse("offerings:detail", args=[parent_offering.pk])).status_code == 404
