"""The small demo: Trøndelag Sør as it could look in Kompetansebro (seeds 000 and 001).

Organisation names are real public bodies from the seeds (and Gauldal videregående skole, the upper-secondary
school in Midtre Gauldal), except the member companies of the two business gardens and the study association
Fjellbygd studieforbund, which are invented. Organisation numbers are fictional but valid (see orgnr.py). Every
person is fictional; the seeds name real public officials, but the demo uses invented names instead.

Idempotent: organisations are found by organisation number, people by e-mail, roles by (person, organisation)
or (person, region). What exists is left as it is; only what is missing is created, through the services, so
the history shows who registered what (the platform administrator, or "the system" for the administrator
itself). The needs, offerings and mapping round that make the region come alive are in
trondelag_sor_catalogue.py."""

from dataclasses import dataclass, field

from django.db import transaction

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import log_action
from kompetansebro.competences.models import CompetenceField
from kompetansebro.competences.reference import fields_load
from kompetansebro.demo.orgnr import stable_org_number
from kompetansebro.demo.trondelag_sor_catalogue import load_catalogue
from kompetansebro.demo.trondelag_sor_development import load_development
from kompetansebro.geography.models import Municipality, Region, RegionKind
from kompetansebro.geography.reference import reference_load
from kompetansebro.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    ProviderKind,
    RegionRole,
    RegionRoleKind,
)
from kompetansebro.organisations.services import membership_add, organisation_create, region_role_add

DEMO_PASSWORD = "Kompetansebro2026"  # noqa: S105 - the documented password of the fictional demo accounts
REGION_CODE = "trondelag-sor"
COUNTY_NUMBER = "50"
COUNTY_REGION = "county:50"  # the county-level region (code "fylke-50-…")

K = OrganisationKind
P = ProviderKind


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    municipality: str
    provider_kind: str = ""
    parent: str | None = None
    represented_by: str | None = None
    description: str = ""

    @property
    def org_number(self) -> str:
        return stable_org_number(f"demo/{self.key}")


@dataclass(frozen=True)
class PersonSpec:
    login_role: str
    full_name: str
    email: str
    job_title: str
    can: str
    memberships: tuple[tuple[str, str], ...] = ()
    region_roles: tuple[tuple[str, str], ...] = ()
    superuser: bool = False


MEMBER_MUNICIPALITIES = {
    "5026": "Holtålen",
    "5025": "Røros",
    "5027": "Midtre Gauldal",
    "5022": "Rennebu",
    "5028": "Melhus",
    "5021": "Oppdal",
}

ORGANISATIONS: list[OrgSpec] = [
    OrgSpec(
        "ts-rad",
        "Trøndelag Sør-Interkommunalt politisk råd",
        K.REGIONAL_COUNCIL,
        "5027",
        description=(
            "Interkommunalt politisk råd for Holtålen, Røros, Midtre Gauldal, Rennebu, Melhus og Oppdal. "
            "Vertskap for Kompetanseforum Trøndelag Sør, rådets faglige råd i kompetansesaker."
        ),
    ),
    *[
        OrgSpec(f"kommune-{number}", f"{name} kommune", K.MUNICIPALITY, number)
        for number, name in MEMBER_MUNICIPALITIES.items()
    ],
    OrgSpec("holtalen-hjemme", "Holtålen kommune, hjemmetjenesten", K.MUNICIPALITY, "5026", parent="kommune-5026"),
    OrgSpec("holtalen-oppvekst", "Holtålen kommune, oppvekst", K.MUNICIPALITY, "5026", parent="kommune-5026"),
    OrgSpec("roros-oppvekst", "Røros kommune, oppvekst", K.MUNICIPALITY, "5025", parent="kommune-5025"),
    OrgSpec("roros-helse", "Røros kommune, helse og omsorg", K.MUNICIPALITY, "5025", parent="kommune-5025"),
    OrgSpec("mg-helse", "Midtre Gauldal kommune, helse og omsorg", K.MUNICIPALITY, "5027", parent="kommune-5027"),
    OrgSpec("oppdal-teknisk", "Oppdal kommune, teknisk drift", K.MUNICIPALITY, "5021", parent="kommune-5021"),
    OrgSpec(
        "rnh",
        "Rørosregionen Næringshage",
        K.BUSINESS_GARDEN,
        "5025",
        description="Kartlegger og presenterer kompetansebehovene til bedrifter i Røros og Holtålen.",
    ),
    OrgSpec(
        "npnh",
        "Nasjonalparken Næringshage",
        K.BUSINESS_GARDEN,
        "5021",
        description="Næringshage for Oppdal og Rennebu; leverte prosjektforslaget «Utdanning i bedrift».",
    ),
    OrgSpec("nit", "Næringsforeningen i Trondheimsregionen", K.BUSINESS_GARDEN, "5001"),
    # Invented member companies, represented by their business garden.
    OrgSpec(
        "hitterdalen-sag",
        "Hitterdalen Sag og Høvleri AS",
        K.COMPANY,
        "5025",
        represented_by="rnh",
        description="Sagbruk og høvleri. Trenger fagarbeidere i trearbeiderfaget.",
    ),
    OrgSpec(
        "glamos-fjellstue",
        "Glåmos Fjellstue AS",
        K.COMPANY,
        "5025",
        represented_by="rnh",
        description="Overnatting og servering. Trenger kokker og ansatte med fagbrev i reiseliv.",
    ),
    OrgSpec(
        "haltdalen-snekker",
        "Haltdalen Snekkerverksted AS",
        K.COMPANY,
        "5026",
        represented_by="rnh",
        description="Snekkerverksted; innredning og trapper.",
    ),
    OrgSpec(
        "alen-fjellmat",
        "Ålen Fjellmat AS",
        K.COMPANY,
        "5026",
        represented_by="rnh",
        description="Lokalmatprodusent: spekemat og ost fra fjellgårder.",
    ),
    OrgSpec(
        "drivdalen-hotell",
        "Drivdalen Fjellhotell AS",
        K.COMPANY,
        "5021",
        represented_by="npnh",
        description="Hotell ved nasjonalparken.",
    ),
    OrgSpec(
        "lonset-sag",
        "Lønset Sag AS",
        K.COMPANY,
        "5021",
        represented_by="npnh",
        description="Sagbruk.",
    ),
    OrgSpec(
        "berkak-trevare",
        "Berkåk Trevare AS",
        K.COMPANY,
        "5022",
        represented_by="npnh",
        description="Trevareprodusent; vinduer og dører.",
    ),
    OrgSpec(
        "rennebu-gardsmat",
        "Rennebu Gardsmat AS",
        K.COMPANY,
        "5022",
        represented_by="npnh",
        description="Lokalmat fra gårdene i Rennebu.",
    ),
    OrgSpec(
        "ntnu-videre",
        "NTNU Videre",
        K.EDUCATION_PROVIDER,
        "5001",
        provider_kind=P.UNIVERSITY,
        description="Etter- og videreutdanning ved NTNU: studiepoenggivende emner, også nettbasert.",
    ),
    OrgSpec(
        "thyf",
        "Trøndelag høyere yrkesfagskole",
        K.EDUCATION_PROVIDER,
        "5001",
        provider_kind=P.VOCATIONAL_COLLEGE,
        description="Fagskoleutdanning med samlinger og nettbasert undervisning.",
    ),
    OrgSpec("roros-vgs", "Røros videregående skole", K.EDUCATION_PROVIDER, "5025", provider_kind=P.UPPER_SECONDARY),
    OrgSpec("oppdal-vgs", "Oppdal videregående skole", K.EDUCATION_PROVIDER, "5021", provider_kind=P.UPPER_SECONDARY),
    OrgSpec("gauldal-vgs", "Gauldal videregående skole", K.EDUCATION_PROVIDER, "5027", provider_kind=P.UPPER_SECONDARY),
    OrgSpec(
        "studieforbund",
        "Fjellbygd studieforbund",
        K.EDUCATION_PROVIDER,
        "5025",
        provider_kind=P.STUDY_ASSOCIATION,
        description=(
            "Studieforbund med kurs for arbeidslivet i fjellbygdene: sertifikater, HMS, språk og digitale ferdigheter."
        ),
    ),
    OrgSpec(
        "tfk",
        "Trøndelag fylkeskommune",
        K.COUNTY_COUNCIL,
        "5006",
        description="Eier kompetansestrategien og tilskuddsordningen Kompetansepiloter i Trøndelag.",
    ),
    OrgSpec(
        "sf",
        "Statsforvalteren i Trøndelag",
        K.STATE_GOVERNOR,
        "5006",
        description="Forvalter DEKOM-midlene og leder samarbeidsforumet for skolene.",
    ),
    OrgSpec("nav", "NAV Trøndelag", K.NAV, "5001"),
    OrgSpec("ok-oppdal-rennebu", "Opplæringskontoret i Oppdal og Rennebu", K.TRAINING_OFFICE, "5021"),
]

_ADMIN = "admin@kompetansebro.no"

PEOPLE: list[PersonSpec] = [
    PersonSpec(
        "Platform admin",
        "Ingrid Haugen",
        _ADMIN,
        "Plattformadministrator",
        "everything, including the admin site",
        superuser=True,
    ),
    PersonSpec(
        "Secretariat, Trøndelag Sør",
        "Marte Øyen",
        "marte.oyen@trondelagsor.no",
        "Rådgiver, Trøndelag Sør",
        "manages organisations and people in the six municipalities",
        memberships=(("ts-rad", MembershipRole.ADMIN),),
        region_roles=((REGION_CODE, RegionRoleKind.SECRETARIAT),),
    ),
    PersonSpec(
        "County advisor (observer)",
        "Henrik Aune",
        "henrik.aune@trondelagfylke.no",
        "Seniorrådgiver kompetanse",
        "reads everything in Trøndelag",
        memberships=(("tfk", MembershipRole.MEMBER),),
        region_roles=((COUNTY_REGION, RegionRoleKind.OBSERVER),),
    ),
    PersonSpec(
        "Admin, Holtålen kommune",
        "Gunn Reitan",
        "gunn.reitan@holtalen.kommune.no",
        "Organisasjonssjef",
        "manages the municipality and its people",
        memberships=(("kommune-5026", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Contact, Holtålen kommune",
        "Siri Lien",
        "siri.lien@holtalen.kommune.no",
        "Enhetsleder hjemmetjenesten",
        "sees the municipality's people and history",
        memberships=(("kommune-5026", MembershipRole.CONTACT), ("holtalen-hjemme", MembershipRole.MEMBER)),
    ),
    PersonSpec(
        "Admin, Røros kommune",
        "Anders Haugset",
        "anders.haugset@roros.kommune.no",
        "HR-sjef",
        "manages the municipality and its people",
        memberships=(("kommune-5025", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Contact, Røros kommune",
        "Eirik Bakken",
        "eirik.bakken@roros.kommune.no",
        "Kommunalsjef oppvekst",
        "sees the municipality's people and history",
        memberships=(("kommune-5025", MembershipRole.CONTACT), ("roros-oppvekst", MembershipRole.MEMBER)),
    ),
    PersonSpec(
        "Contact, Midtre Gauldal kommune",
        "Hilde Forseth",
        "hilde.forseth@midtre-gauldal.kommune.no",
        "Rådgiver kompetanse",
        "sees the municipality's people and history",
        memberships=(("kommune-5027", MembershipRole.CONTACT),),
    ),
    PersonSpec(
        "Contact, Rennebu kommune",
        "Ola Berg",
        "ola.berg@rennebu.kommune.no",
        "Personalsjef",
        "sees the municipality's people and history",
        memberships=(("kommune-5022", MembershipRole.CONTACT),),
    ),
    PersonSpec(
        "Contact, Melhus kommune",
        "Kristin Løkken",
        "kristin.lokken@melhus.kommune.no",
        "HR-rådgiver",
        "sees the municipality's people and history",
        memberships=(("kommune-5028", MembershipRole.CONTACT),),
    ),
    PersonSpec(
        "Contact, Oppdal kommune",
        "Tor Einar Dahl",
        "tor.einar.dahl@oppdal.kommune.no",
        "Kommunalsjef helse",
        "sees the municipality's people and history",
        memberships=(("kommune-5021", MembershipRole.CONTACT),),
    ),
    PersonSpec(
        "Admin, Rørosregionen Næringshage",
        "Line Brekken",
        "line.brekken@rorosregionen-naeringshage.no",
        "Daglig leder",
        "manages the business garden and its people",
        memberships=(("rnh", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Admin, Nasjonalparken Næringshage",
        "Jorunn Hoel",
        "jorunn.hoel@nasjonalparken-naeringshage.no",
        "Prosjektleder",
        "manages the business garden and its people",
        memberships=(("npnh", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Admin, NTNU Videre",
        "Lars Fossum",
        "lars.fossum@ntnu.no",
        "Rådgiver, NTNU Videre",
        "manages the provider and its people",
        memberships=(("ntnu-videre", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Admin, Trøndelag høyere yrkesfagskole",
        "Camilla Strand",
        "camilla.strand@thyf.no",
        "Studieleder",
        "manages the provider and its people",
        memberships=(("thyf", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Member, Hitterdalen Sag og Høvleri AS",
        "Jonas Vold",
        "jonas.vold@hitterdalen-sag.no",
        "Produksjonsleder",
        "sees the company's people and history",
        memberships=(("hitterdalen-sag", MembershipRole.MEMBER),),
    ),
]

DEMO_EMAILS = frozenset(person.email for person in PEOPLE)


@dataclass
class DemoResult:
    reference_loaded: bool = False
    organisations_created: int = 0
    people_created: int = 0
    memberships_created: int = 0
    region_roles_created: int = 0
    needs_created: int = 0
    offerings_created: int = 0
    rounds_created: int = 0
    requests_created: int = 0
    logins: list[PersonSpec] = field(default_factory=list)


def _ensure_reference() -> bool:
    loaded = False
    if not (Municipality.objects.exists() and Region.objects.filter(code=REGION_CODE).exists()):
        reference_load()
        loaded = True
    if not CompetenceField.objects.exists():  # the needs and offerings need the fields of competence
        fields_load()
        loaded = True
    return loaded


def _region(selector: str) -> Region:
    if selector.startswith("county:"):
        return Region.objects.get(kind=RegionKind.COUNTY, county__number=selector.removeprefix("county:"))
    return Region.objects.get(code=selector)


def _user(spec: PersonSpec, actor, result: DemoResult) -> User:
    user = User.objects.filter(email__iexact=spec.email).first()
    if user is not None:
        return user
    extra = {"is_staff": True, "is_superuser": True} if spec.superuser else {}
    user = User.objects.create_user(
        email=spec.email, password=DEMO_PASSWORD, full_name=spec.full_name, job_title=spec.job_title, **extra
    )
    log_action(actor=actor, action="accounts.user.created", target=user, data={"email": user.email})
    result.people_created += 1
    return user


def load_trondelag_sor() -> DemoResult:
    """Create whatever of the Trøndelag Sør demo is missing; return what was created."""
    result = DemoResult(logins=list(PEOPLE))
    result.reference_loaded = _ensure_reference()
    municipalities = {
        m.number: m for m in Municipality.objects.filter(number__in={o.municipality for o in ORGANISATIONS})
    }
    with transaction.atomic():
        admin = _user(PEOPLE[0], None, result)
        organisations: dict[str, Organisation] = {}
        for spec in ORGANISATIONS:
            organisation = Organisation.objects.filter(org_number=spec.org_number).first()
            if organisation is None:
                organisation = organisation_create(
                    actor=admin,
                    data={
                        "name": spec.name,
                        "kind": spec.kind,
                        "provider_kind": spec.provider_kind,
                        "org_number": spec.org_number,
                        "municipality": municipalities[spec.municipality],
                        "parent": organisations[spec.parent] if spec.parent else None,
                        "represented_by": organisations[spec.represented_by] if spec.represented_by else None,
                        "description": spec.description,
                    },
                )
                result.organisations_created += 1
            organisations[spec.key] = organisation
        for spec in PEOPLE:
            user = _user(spec, admin, result)
            for key, role in spec.memberships:
                organisation = organisations[key]
                if not Membership.objects.filter(user=user, organisation=organisation).exists():
                    membership_add(
                        actor=admin, organisation=organisation, email=user.email, full_name=user.full_name, role=role
                    )
                    result.memberships_created += 1
            for selector, role in spec.region_roles:
                region = _region(selector)
                if not RegionRole.objects.filter(user=user, region=region).exists():
                    region_role_add(actor=admin, region=region, email=user.email, full_name=user.full_name, role=role)
                    result.region_roles_created += 1
        catalogue = load_catalogue(organisations=organisations, region=_region(REGION_CODE))
        result.needs_created = catalogue.needs_created
        result.offerings_created = catalogue.offerings_created
        result.rounds_created = catalogue.rounds_created
        result.requests_created = int(load_development(organisations=organisations, region=_region(REGION_CODE)))
    return result


def logins_table(people: list[PersonSpec] = PEOPLE) -> str:
    """The demo logins as a plain-text table for the terminal."""
    header = ("Role", "Name", "E-mail", "Password", "Can")
    rows = [header] + [(p.login_role, p.full_name, p.email, DEMO_PASSWORD, p.can) for p in people]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]

    def line(row):
        return "  ".join(value.ljust(width) for value, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]

    rule = "  ".join("-" * width for width in widths) + "  " + "-" * max(len(row[-1]) for row in rows)
    return "\n".join([line(header), rule, *(line(row) for row in rows[1:])])
