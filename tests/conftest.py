from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from kompetansebro.competences.reference import fields_load
from kompetansebro.geography.models import Municipality, Region
from kompetansebro.geography.reference import reference_load
from kompetansebro.organisations.models import (
    MembershipRole,
    Organisation,
    OrganisationKind,
    ProviderKind,
    RegionRoleKind,
)
from tests.factories import MembershipFactory, OrganisationFactory, RegionRoleFactory, UserFactory

PERSONAS = [
    "anonymous",
    "outsider",
    "company_member",
    "holtalen_contact",
    "holtalen_admin",
    "ntnu_admin",
    "secretariat_sor",
    "county_observer",
    "platform_admin",
]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads (forum case papers, the demo's) never land in var/
    # Rate limits count in a memory cache emptied for every test, so that no test is throttled by another.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _bokmal_first():
    """Each test starts in the default language: a request in English leaves it active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def english(settings):
    """For tests that check message texts: the interface and the services in English."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is read-only in tests: load it once per test database."""
    with django_db_blocker.unblock():
        reference_load()
        fields_load()


@pytest.fixture
def reference_data(db):
    """Reloads only after a transactional test has flushed the database."""
    if not Municipality.objects.exists():
        reference_load()
        fields_load()


@dataclass
class World:
    region: Region
    county_region: Region
    council: Organisation
    holtalen: Organisation
    homecare: Organisation
    roros: Organisation
    garden: Organisation
    company: Organisation
    ntnu: Organisation
    oslo_company: Organisation
    users: dict


@pytest.fixture
def world(reference_data) -> World:
    """Trøndelag Sør in miniature, with one person per persona (see PERSONAS)."""
    municipality = {
        m.number: m for m in Municipality.objects.filter(number__in=["5026", "5025", "5027", "5001", "0301"])
    }
    region = Region.objects.get(code="trondelag-sor")
    county_region = Region.objects.get(kind="county", county__number="50")
    council = OrganisationFactory(
        name="Trøndelag Sør-Interkommunalt politisk råd",
        kind=OrganisationKind.REGIONAL_COUNCIL,
        municipality=municipality["5027"],
    )
    holtalen = OrganisationFactory(
        name="Holtålen kommune", kind=OrganisationKind.MUNICIPALITY, municipality=municipality["5026"]
    )
    homecare = OrganisationFactory(
        name="Holtålen kommune, hjemmetjenesten",
        kind=OrganisationKind.MUNICIPALITY,
        municipality=municipality["5026"],
        parent=holtalen,
        org_number=None,
    )
    roros = OrganisationFactory(
        name="Røros kommune", kind=OrganisationKind.MUNICIPALITY, municipality=municipality["5025"]
    )
    garden = OrganisationFactory(
        name="Rørosregionen Næringshage", kind=OrganisationKind.BUSINESS_GARDEN, municipality=municipality["5025"]
    )
    company = OrganisationFactory(
        name="Røros Sagbruk AS", kind=OrganisationKind.COMPANY, municipality=municipality["5025"], represented_by=garden
    )
    ntnu = OrganisationFactory(
        name="NTNU Videre",
        kind=OrganisationKind.EDUCATION_PROVIDER,
        provider_kind=ProviderKind.UNIVERSITY,
        municipality=municipality["5001"],
    )
    oslo_company = OrganisationFactory(
        name="Oslo Konsult AS", kind=OrganisationKind.COMPANY, municipality=municipality["0301"]
    )
    users = {
        "outsider": UserFactory(full_name="Ola Utenfor", email="outsider@example.no"),
        "company_member": MembershipFactory(organisation=company, user__email="sag@example.no").user,
        "holtalen_contact": MembershipFactory(
            organisation=holtalen, role=MembershipRole.CONTACT, user__email="kontakt@holtalen.example.no"
        ).user,
        "holtalen_admin": MembershipFactory(
            organisation=holtalen, role=MembershipRole.ADMIN, user__email="admin@holtalen.example.no"
        ).user,
        "ntnu_admin": MembershipFactory(
            organisation=ntnu, role=MembershipRole.ADMIN, user__email="admin@ntnu.example.no"
        ).user,
        "secretariat_sor": RegionRoleFactory(
            region=region, role=RegionRoleKind.SECRETARIAT, user__email="sekretariat@example.no"
        ).user,
        "county_observer": RegionRoleFactory(
            region=county_region, role=RegionRoleKind.OBSERVER, user__email="fylke@example.no"
        ).user,
        "platform_admin": UserFactory(email="admin@example.no", is_staff=True, is_superuser=True),
    }
    return World(region, county_region, council, holtalen, homecare, roros, garden, company, ntnu, oslo_company, users)


@pytest.fixture
def client_for(world):
    """client_for("holtalen_admin") -> a test client logged in as that persona ("anonymous": not logged in)."""

    def make(persona: str) -> Client:
        client = Client()
        if settings.LANGUAGE_CODE == "en":
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if persona != "anonymous":
            client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
