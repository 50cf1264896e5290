"""The `demo` command: the small Trøndelag Sør demo and a scaled-down national data set."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from stdnum.no import orgnr

from kompetansebro.accounts.models import User
from kompetansebro.audit.models import AuditEntry
from kompetansebro.demo import national, trondelag_sor
from kompetansebro.demo.orgnr import check_digit, org_numbers, stable_org_number
from kompetansebro.geography.models import Municipality, Region, RegionKind
from kompetansebro.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    RegionRole,
    RegionRoleKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Membership, RegionRole, Region, Municipality, AuditEntry)
    }


def test_check_digit_agrees_with_stdnum():
    for number in [*range(80_000_000, 80_000_500), *range(97_476_000, 97_476_300)]:
        first = f"{number:08d}"
        digit = check_digit(first)
        valid = [d for d in range(10) if orgnr.is_valid(f"{first}{d}")]
        assert valid == ([] if digit is None else [digit])


def test_generated_org_numbers_are_valid_increasing_and_skip_check_digit_ten():
    numbers = [number for number, _ in zip(org_numbers(), range(2000), strict=False)]
    assert all(orgnr.is_valid(number) for number in numbers)
    assert numbers == sorted(set(numbers))
    assert len(numbers) == 2000
    assert stable_org_number("demo/x") == stable_org_number("demo/x")
    assert orgnr.is_valid(stable_org_number("demo/x"))


def test_small_demo_loads_reference_data_and_organisations():
    output = run_demo()
    assert Municipality.objects.count() == 357
    council = Organisation.objects.get(name="Trøndelag Sør-Interkommunalt politisk råd")
    assert council.kind == OrganisationKind.REGIONAL_COUNCIL
    assert council.municipality.number == "5027"
    for number in trondelag_sor.MEMBER_MUNICIPALITIES:
        assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, parent=None, municipality__number=number)
    assert Organisation.objects.get(name="Holtålen kommune, hjemmetjenesten").parent.name == "Holtålen kommune"
    for garden in ("Rørosregionen Næringshage", "Nasjonalparken Næringshage"):
        members = Organisation.objects.filter(represented_by__name=garden, kind=OrganisationKind.COMPANY)
        assert 3 <= members.count() <= 4
        assert all(company.name.endswith(" AS") for company in members)
    assert Organisation.objects.get(name="NTNU Videre").provider_kind == "university"
    # Written through the services, so the history says who registered the organisations.
    assert AuditEntry.objects.filter(action="organisations.organisation.created").count() == len(
        trondelag_sor.ORGANISATIONS
    )
    assert "admin@kompetansebro.no" in output
    assert trondelag_sor.DEMO_PASSWORD in output


def test_small_demo_is_idempotent():
    run_demo()
    first = counts()
    output = run_demo()
    assert counts() == first
    assert "already there" in output


def test_all_org_numbers_are_valid_and_unique():
    run_demo()
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert all(orgnr.is_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers) == len(trondelag_sor.ORGANISATIONS)


def test_secretariat_and_county_observer_roles():
    run_demo()
    secretariat = User.objects.get(email="marte.oyen@trondelagsor.no")
    assert RegionRole.objects.filter(
        user=secretariat, region__code="trondelag-sor", role=RegionRoleKind.SECRETARIAT
    ).exists()
    advisor_role = RegionRole.objects.get(user__email="henrik.aune@trondelagfylke.no")
    assert advisor_role.role == RegionRoleKind.OBSERVER
    assert advisor_role.region.code.startswith("fylke-50-")
    assert advisor_role.user.memberships.get().organisation.name == "Trøndelag fylkeskommune"


def test_every_municipality_in_the_region_has_a_contact_person():
    run_demo()
    region = Region.objects.get(code="trondelag-sor")
    for municipality in region.municipalities.all():
        assert Membership.objects.filter(
            role=MembershipRole.CONTACT,
            organisation__kind=OrganisationKind.MUNICIPALITY,
            organisation__parent=None,
            organisation__municipality=municipality,
        ).exists(), municipality
    for name in ("Holtålen kommune", "Røros kommune"):
        assert Membership.objects.filter(organisation__name=name, role=MembershipRole.ADMIN).exists()


def test_demo_logins_work():
    run_demo()
    for person in trondelag_sor.PEOPLE:
        user = User.objects.get(email=person.email)
        assert user.check_password(trondelag_sor.DEMO_PASSWORD), person.email
        assert user.is_active
    admin = User.objects.get(email="admin@kompetansebro.no")
    assert admin.is_superuser and admin.is_staff
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="admin@kompetansebro.no", password=trondelag_sor.DEMO_PASSWORD) == admin


def test_national_scaled_down():
    output = run_demo(scale="national", organisations=900, people=1500)
    assert "National data generated" in output
    assert Organisation.objects.count() == 900
    assert User.objects.count() == 1500
    # Every municipality has a municipality organisation; the demo's are not duplicated.
    assert (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, parent=None)
        .values("municipality")
        .distinct()
        .count()
        == Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, parent=None).count()
        == 357
    )
    assert all(orgnr.is_valid(number) for number in Organisation.objects.values_list("org_number", flat=True))
    generated = Region.objects.filter(description=national.NATIONAL_MARKER)
    assert generated.exists()
    for region in generated:
        assert region.roles.filter(role=RegionRoleKind.SECRETARIAT).exists()
    assert RegionRole.objects.filter(role=RegionRoleKind.OBSERVER, region__kind=RegionKind.COUNTY).count() > 1
    person = User.objects.filter(memberships__organisation__description=national.NATIONAL_MARKER).first()
    assert person.check_password(trondelag_sor.DEMO_PASSWORD)
    # No history for the generated data: only the small demo's entries.
    assert not AuditEntry.objects.filter(object_repr__in=generated.values("name")).exists()
    assert AuditEntry.objects.filter(action="organisations.organisation.created").count() == len(
        trondelag_sor.ORGANISATIONS
    )

    # A second run skips; --reset generates the same data again from the same seed.
    first = counts()
    names = sorted(Organisation.objects.values_list("name", flat=True))
    emails = sorted(User.objects.values_list("email", flat=True))
    assert "already generated" in run_demo(scale="national", organisations=900, people=1500)
    assert counts() == first
    run_demo(scale="national", organisations=900, people=1500, reset=True)
    assert sorted(Organisation.objects.values_list("name", flat=True)) == names
    assert sorted(User.objects.values_list("email", flat=True)) == emails
    assert User.objects.filter(email__in=trondelag_sor.DEMO_EMAILS).count() == len(trondelag_sor.PEOPLE)
