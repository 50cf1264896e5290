"""A large, deterministic data set for benchmarks: all of Norway.

Built with bulk_create in one transaction, from a fixed random seed. Every generated organisation and
region carries NATIONAL_MARKER as its description; that is how a second run knows the data is there and
how `--reset` finds what to delete. The generated data writes no history entries (the small Trøndelag Sør
demo does). All generated people share one password hash, computed once.

What is generated (for the default 15 000 organisations / 30 000 people):
- a municipality organisation for every municipality that has none, with departments (more in larger
  municipalities);
- per county: the county council, the state governor (one per office), NAV, a business association;
- inter-municipal councils: the municipalities of each county that are in no reference region are grouped
  (by number, 4–8 at a time) into generated regions, each with a council organisation and a business garden;
- providers: upper-secondary schools, vocational colleges, university colleges, study associations,
  placed by population; training offices;
- companies spread by population, about half of them represented by their region's business garden;
- people: an administrator for every organisation, a contact person for every municipality and department,
  members spread by size, some with a second membership in a department; a secretariat for every
  generated region and two observers on every county region that got a generated county council.
Every generated person belongs to at least one generated organisation, which is how --reset finds them.

Then national_catalogue.py adds competence needs (50 000 by default) with their status history, education
offerings (20 000) and mapping rounds in the generated regions; --reset finds them through the generated
organisations and regions."""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q

from kompetansebro.accounts.models import User
from kompetansebro.core.text import norwegian_slug
from kompetansebro.demo.national_catalogue import DEFAULT_NEEDS, DEFAULT_OFFERINGS, catalogue_generate, catalogue_reset
from kompetansebro.demo.orgnr import NATIONAL_START, org_numbers
from kompetansebro.demo.trondelag_sor import DEMO_EMAILS, DEMO_PASSWORD
from kompetansebro.geography.models import County, Municipality, Region, RegionKind
from kompetansebro.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    ProviderKind,
    RegionRole,
    RegionRoleKind,
)

NATIONAL_MARKER = "Generert testdata (kompetansebro demo --scale national)."
DEFAULT_ORGANISATIONS = 15_000
DEFAULT_PEOPLE = 30_000
DEFAULT_SEED = 2026
BATCH_SIZE = 1000

K = OrganisationKind
P = ProviderKind

# Municipalities whose official name starts with the Sami or Kven form: the Norwegian form is used in
# generated organisation names and e-mail domains.
NORWEGIAN_FORM = {
    "Aarborte": "Hattfjelldal",
    "Hábmer": "Hamarøy",
    "Snåase": "Snåsa",
    "Raarvihke": "Røyrvik",
    "Dielddanuorri": "Tjeldsund",
    "Loabák": "Lavangen",
    "Gáivuotna": "Kåfjord",
    "Kárásjohka": "Karasjok",
    "Guovdageaidnu": "Kautokeino",
    "Deatnu": "Tana",
    "Unjárga": "Nesseby",
}
# State governor offices that cover more than one county.
GOVERNOR_OFFICE = {
    "03": "Østfold, Buskerud, Oslo og Akershus",
    "31": "Østfold, Buskerud, Oslo og Akershus",
    "32": "Østfold, Buskerud, Oslo og Akershus",
    "33": "Østfold, Buskerud, Oslo og Akershus",
    "39": "Vestfold og Telemark",
    "40": "Vestfold og Telemark",
    "55": "Troms og Finnmark",
    "56": "Troms og Finnmark",
}
DEPARTMENTS = [
    "oppvekst",
    "helse og omsorg",
    "hjemmetjenesten",
    "teknisk drift",
    "barnehage",
    "kultur",
    "sykehjemmet",
    "legekontoret",
    "barnevernet",
    "voksenopplæringen",
    "eiendom",
    "plan og næring",
    "økonomi",
    "skole",
    "psykisk helse og rus",
    "tildelingskontoret",
]
TRADES = [
    "Sag",
    "Bygg",
    "Rørlegger",
    "Elektro",
    "Regnskap",
    "Transport",
    "Maskin",
    "Snekkerverksted",
    "Gardsmat",
    "Bakeri",
    "Fjellstue",
    "Entreprenør",
    "Auto",
    "Treindustri",
    "Mekaniske Verksted",
    "Sjømat",
    "Reiseliv",
    "IT",
    "Energi",
    "Landbruksservice",
    "Helse",
    "Hotell",
    "Betong",
    "Maling",
]
PLACE_WORDS = ["Nord", "Sør", "Vest", "Øst", "Midt"]
TRAINING_TRADES = ["bygg", "helse- og oppvekstfag", "elektrofag", "teknologifag", "reiseliv", "offentlig sektor"]
STUDY_ASSOCIATIONS = ["Studieforbundet Kultur og Kompetanse", "Kursforbundet", "Voksenakademiet", "Lær og Del"]
FIRST_NAMES = (  # noqa: SIM905 - easier to read and extend as text
    "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Anna Solveig Marianne Randi Ida Nina "
    "Maria Elisabeth Kristin Silje Hanne Tone Camilla Ragnhild Heidi Gunn Line Mari Ane Sigrid Nora Emma "
    "Sara Thea Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Hans Geir Tor Morten Terje Odd Erik Martin "
    "Andreas John Anders Rune Trond Tore Jon Thomas Harald Espen Stian Magnus Henrik Sindre Eirik Jonas "
    "Kristian Even Håkon Vegard"
).split()
LAST_NAMES = (  # noqa: SIM905 - easier to read and extend as text
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen "
    "Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Henriksen Lund Halvorsen "
    "Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen "
    "Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde Solheim Berge Moe Nygård Bakke "
    "Kristensen Fredriksen Holm Lien Hauge Christensen Andresen Nielsen Knudsen Evensen Sæther Aas Myhre "
    "Hanssen Ahmed Haugland Thomassen Sivertsen Simonsen Danielsen Berntsen Sandvik Rønning Arnesen "
    "Antonsen Næss Vik Haug Ellingsen Thorsen"
).split()
JOB_TITLES = {
    K.MUNICIPALITY: ["Rådgiver", "Enhetsleder", "Sykepleier", "Lærer", "Helsefagarbeider", "Konsulent"],
    K.COMPANY: ["Daglig leder", "Produksjonsleder", "Fagarbeider", "Økonomiansvarlig", "Lærling", "Selger"],
    K.EDUCATION_PROVIDER: ["Studieleder", "Rådgiver", "Førstelektor", "Fagansvarlig", "Studiekonsulent"],
    K.BUSINESS_GARDEN: ["Daglig leder", "Rådgiver", "Prosjektleder"],
}
DEFAULT_JOB_TITLES = ["Rådgiver", "Seniorrådgiver", "Seksjonsleder"]
ADMIN_TITLES = {K.COMPANY: "Daglig leder", K.BUSINESS_GARDEN: "Daglig leder"}


@dataclass
class NationalResult:
    organisations: int = 0
    departments: int = 0
    companies: int = 0
    providers: int = 0
    regions: int = 0
    people: int = 0
    memberships: int = 0
    region_roles: int = 0
    needs: int = 0
    status_changes: int = 0
    offerings: int = 0
    rounds: int = 0
    invitations: int = 0
    round_needs: int = 0


@dataclass
class _Org:
    """A generated organisation and what the generator needs to know about it."""

    obj: Organisation
    domain: str
    weight: float = 1.0
    region: Region | None = None
    council: bool = False
    parent: Organisation | None = None
    departments: list = field(default_factory=list)


def short_name(municipality: Municipality) -> str:
    """'Trondheim - Tråante' -> 'Trondheim'; 'Snåase - Snåsa' -> 'Snåsa'; 'Våler (Innlandet)' -> 'Våler'."""
    first = municipality.name.split(" - ")[0].split(" (")[0]
    return NORWEGIAN_FORM.get(first, first)


def national_exists() -> bool:
    return Organisation.objects.filter(description=NATIONAL_MARKER).exists()


def national_reset() -> dict:
    """Delete the generated needs, offerings, mapping rounds, people, organisations and regions (never the
    small demo or anything else)."""
    with transaction.atomic():
        generated_orgs = Organisation.objects.filter(description=NATIONAL_MARKER)
        generated_regions = Region.objects.filter(description=NATIONAL_MARKER, is_reference=False)
        catalogue = catalogue_reset(organisations=generated_orgs, regions=generated_regions)
        people = User.objects.filter(
            Q(pk__in=Membership.objects.filter(organisation__in=generated_orgs).values("user_id"))
            | Q(pk__in=RegionRole.objects.filter(region__in=generated_regions).values("user_id"))
        ).exclude(email__in=DEMO_EMAILS)
        deleted = {"people": people.delete()[1].get(User._meta.label, 0)}
        # Departments first: `parent` protects the organisation a department belongs to.
        departments = generated_orgs.filter(parent__isnull=False).delete()[1].get(Organisation._meta.label, 0)
        others = generated_orgs.delete()[1].get(Organisation._meta.label, 0)
        deleted["organisations"] = departments + others
        deleted["regions"] = generated_regions.delete()[1].get(Region._meta.label, 0)
    return {**deleted, **catalogue}


class _Generator:
    def __init__(self, *, organisations: int, people: int, seed: int, password_hash: str):
        self.rng = random.Random(seed)
        self.target_organisations = organisations
        self.target_people = people
        self.password_hash = password_hash
        self.result = NationalResult()
        used = set(Organisation.objects.exclude(org_number=None).values_list("org_number", flat=True))
        self._numbers = (number for number in org_numbers(NATIONAL_START) if number not in used)
        self._names: dict[str, int] = defaultdict(int)
        self.orgs: list[_Org] = []

    # --- helpers -------------------------------------------------------------------------------------

    def unique_name(self, base: str) -> str:
        self._names[base] += 1
        count = self._names[base]
        return base if count == 1 else f"{base} avd. {count}"

    def new_org(
        self, *, name, kind, municipality, domain, weight=1.0, provider_kind="", region=None, council=False
    ) -> _Org:
        org = _Org(
            obj=Organisation(
                name=name,
                kind=kind,
                provider_kind=provider_kind,
                org_number=next(self._numbers),
                municipality=municipality,
                description=NATIONAL_MARKER,
            ),
            domain=domain,
            weight=weight,
            region=region,
            council=council,
        )
        self.orgs.append(org)
        return org

    def pick(self, items, weights, k):
        if not items or k <= 0:
            return []
        return self.rng.choices(items, cum_weights=list(accumulate(weights)), k=k)

    # --- geography -----------------------------------------------------------------------------------

    def load_geography(self):
        self.counties = list(County.objects.order_by("number"))
        self.municipalities = list(Municipality.objects.select_related("county").order_by("number"))
        self.by_county = defaultdict(list)
        for municipality in self.municipalities:
            self.by_county[municipality.county_id].append(municipality)
        self.largest = {
            county_id: max(members, key=lambda m: m.population) for county_id, members in self.by_county.items()
        }
        self.county_regions = {
            region.county_id: region for region in Region.objects.filter(kind=RegionKind.COUNTY, is_reference=True)
        }
        # Which non-county region each municipality belongs to (reference regions such as Trøndelag Sør).
        self.region_of: dict[int, Region] = {}
        through = Region.municipalities.through.objects.exclude(region__kind=RegionKind.COUNTY).select_related("region")
        for link in through:
            self.region_of.setdefault(link.municipality_id, link.region)

    def generate_regions(self):
        """Group the municipalities outside any inter-municipal region into generated councils."""
        regions, links, self.generated_regions = [], [], []
        for county in self.counties:
            free = [m for m in self.by_county[county.pk] if m.pk not in self.region_of]
            index = 0
            if len(free) < 2:  # a county of one municipality (Oslo) has no inter-municipal council
                continue
            while free:
                size = self.rng.randint(4, 8)
                group, free = free[:size], free[size:]
                if len(free) < 3:  # do not leave a remainder of one or two
                    group, free = group + free, []
                index += 1
                centre = max(group, key=lambda m: m.population)
                region = Region(
                    code=f"generert-{county.number}-{index}",
                    name=f"Region {short_name(centre)}",
                    kind=RegionKind.INTER_MUNICIPAL_COUNCIL,
                    county=county,
                    description=NATIONAL_MARKER,
                )
                regions.append((region, group, centre))
        Region.objects.bulk_create([region for region, _, _ in regions], batch_size=BATCH_SIZE)
        for region, group, centre in regions:
            links.extend(Region.municipalities.through(region_id=region.pk, municipality_id=m.pk) for m in group)
            for municipality in group:
                self.region_of[municipality.pk] = region
            self.generated_regions.append((region, centre))
        Region.municipalities.through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self.result.regions = len(regions)

    # --- organisations -------------------------------------------------------------------------------

    def generate_organisations(self):
        existing = Organisation.objects.filter(parent=None)
        municipalities_with_org = set(existing.filter(kind=K.MUNICIPALITY).values_list("municipality_id", flat=True))
        existing_names = set(existing.values_list("name", flat=True))
        self.municipality_orgs: dict[int, _Org | Organisation] = {
            org.municipality_id: org for org in existing.filter(kind=K.MUNICIPALITY)
        }
        existing_count = Organisation.objects.count()

        # Fixed structure: one organisation per municipality, county bodies, councils and gardens.
        for municipality in self.municipalities:
            if municipality.pk in municipalities_with_org:
                continue
            name = short_name(municipality)
            self.municipality_orgs[municipality.pk] = self.new_org(
                name=f"{name} kommune",
                kind=K.MUNICIPALITY,
                municipality=municipality,
                domain=f"{norwegian_slug(name)}.kommune.no",
                weight=1 + municipality.population / 1500,
                region=self.region_of.get(municipality.pk),
            )
        self.county_councils: dict[int, _Org | Organisation] = {
            org.municipality.county_id: org
            for org in existing.filter(kind=K.COUNTY_COUNCIL).select_related("municipality")
        }
        governor_offices = set()
        for county in self.counties:
            centre = self.largest[county.pk]
            county_slug = norwegian_slug(county.name)
            if county.number != "03" and f"{county.name} fylkeskommune" not in existing_names:
                self.county_councils[county.pk] = self.new_org(
                    name=f"{county.name} fylkeskommune",
                    kind=K.COUNTY_COUNCIL,
                    municipality=centre,
                    domain=f"{county_slug}fylke.no",
                    weight=25,
                )
            office = GOVERNOR_OFFICE.get(county.number, county.name)
            if office not in governor_offices and f"Statsforvalteren i {office}" not in existing_names:
                self.new_org(
                    name=f"Statsforvalteren i {office}",
                    kind=K.STATE_GOVERNOR,
                    municipality=centre,
                    domain="statsforvalteren.no",
                    weight=10,
                )
            governor_offices.add(office)
            if f"NAV {county.name}" not in existing_names:
                self.new_org(name=f"NAV {county.name}", kind=K.NAV, municipality=centre, domain="nav.no", weight=8)
            self.new_org(
                name=f"Næringsforum {county.name}",
                kind=K.BUSINESS_GARDEN,
                municipality=centre,
                domain=f"naeringsforum-{county_slug}.no",
                weight=2,
            )
        for region, centre in self.generated_regions:
            region_slug = norwegian_slug(short_name(centre))
            self.new_org(
                name=f"Interkommunalt politisk råd {region.name}",
                kind=K.REGIONAL_COUNCIL,
                municipality=centre,
                domain=f"region-{region_slug}.no",
                region=region,
                council=True,
            )
            self.new_org(
                name=f"{short_name(centre)} Næringshage",
                kind=K.BUSINESS_GARDEN,
                municipality=centre,
                domain=f"{region_slug}-naeringshage.no",
                weight=2,
                region=region,
            )

        # What is left of the target is spread: departments, providers, training offices, companies.
        remaining = max(0, self.target_organisations - existing_count - len(self.orgs))
        n_departments = round(remaining * 0.12)
        n_providers = round(remaining * 0.04)
        n_training = round(remaining * 0.01)
        n_companies = remaining - n_departments - n_providers - n_training
        n_companies += self.generate_departments(n_departments)
        self.generate_providers(n_providers)
        self.generate_training_offices(n_training)
        self.generate_companies(n_companies)
        self.save_organisations()

    def generate_departments(self, count: int) -> int:
        """Departments of municipality organisations, more in larger municipalities. Returns how many could
        not be placed (a municipality ran out of department names); those become companies instead."""
        taken: dict[int, set[str]] = defaultdict(set)  # keyed by id() of the parent object
        stored = {org.pk: org for org in self.municipality_orgs.values() if isinstance(org, Organisation)}
        for parent_id, name in Organisation.objects.filter(parent_id__in=stored).values_list("parent_id", "name"):
            taken[id(stored[parent_id])].add(name)
        weights = [math.sqrt(m.population + 1) for m in self.municipalities]
        left_over = 0
        self.departments = []
        for municipality in self.pick(self.municipalities, weights, count):
            parent = self.municipality_orgs[municipality.pk]
            if isinstance(parent, Organisation):  # a municipality organisation from the small demo
                parent = _Org(obj=parent, domain=f"{norwegian_slug(short_name(municipality))}.kommune.no")
            names = [f"{parent.obj.name}, {name}" for name in DEPARTMENTS]
            names = [name for name in names if name not in taken[id(parent.obj)]]
            if not names:
                left_over += 1
                continue
            name = self.rng.choice(names)
            taken[id(parent.obj)].add(name)
            department = _Org(
                obj=Organisation(
                    name=name,
                    kind=K.MUNICIPALITY,
                    org_number=next(self._numbers),
                    municipality=municipality,
                    description=NATIONAL_MARKER,
                ),
                domain=parent.domain,
                weight=2,
                parent=parent.obj,
            )
            parent.departments.append(department)
            self.departments.append(department)
        self.result.departments = len(self.departments)
        return left_over

    def generate_providers(self, count: int):
        weights = [m.population for m in self.municipalities]
        shares = [
            (P.UPPER_SECONDARY, 0.70, lambda m: f"{short_name(m)} videregående skole", weights, 6),
            (P.VOCATIONAL_COLLEGE, 0.12, lambda m: f"Fagskolen i {short_name(m)}", weights, 6),
            (P.UNIVERSITY, 0.08, lambda m: f"Høgskolen i {short_name(m)}", [w**1.5 for w in weights], 25),
            (
                P.STUDY_ASSOCIATION,
                0.10,
                lambda m: f"{self.rng.choice(STUDY_ASSOCIATIONS)} {m.county.name}",
                weights,
                2,
            ),
        ]
        for provider_kind, share, name_for, kind_weights, weight in shares:
            for municipality in self.pick(self.municipalities, kind_weights, round(count * share)):
                name = self.unique_name(name_for(municipality))
                self.new_org(
                    name=name,
                    kind=K.EDUCATION_PROVIDER,
                    provider_kind=provider_kind,
                    municipality=municipality,
                    domain=f"{norwegian_slug(name.split(' avd. ')[0])}.no",
                    weight=weight,
                )
                self.result.providers += 1

    def generate_training_offices(self, count: int):
        weights = [m.population for m in self.municipalities]
        for municipality in self.pick(self.municipalities, weights, count):
            trade = self.rng.choice(TRAINING_TRADES)
            name = self.unique_name(f"Opplæringskontoret for {trade} i {short_name(municipality)}")
            self.new_org(
                name=name,
                kind=K.TRAINING_OFFICE,
                municipality=municipality,
                domain=f"ok-{norwegian_slug(short_name(municipality))}.no",
            )

    def generate_companies(self, count: int):
        # Rural municipalities have more companies per inhabitant than the population alone suggests.
        weights = [(m.population + 50) ** 0.75 for m in self.municipalities]
        self.companies = []
        for municipality in self.pick(self.municipalities, weights, count):
            trade = self.rng.choice(TRADES)
            style = self.rng.random()
            if style < 0.45:
                base = f"{short_name(municipality)} {trade}"
            elif style < 0.8:
                base = f"{self.rng.choice(LAST_NAMES)} {trade}"
            else:
                base = f"{self.rng.choice(PLACE_WORDS)}-{short_name(municipality)} {trade}"
            company = _Org(
                obj=Organisation(
                    name=f"{base} AS",
                    kind=K.COMPANY,
                    org_number=next(self._numbers),
                    municipality=municipality,
                    description=NATIONAL_MARKER,
                ),
                domain=f"{norwegian_slug(base)}.no",
                weight=self.rng.choice([0.5, 1, 1, 1.5, 2, 4]),
            )
            self.companies.append(company)
        self.result.companies = len(self.companies)

    def save_organisations(self):
        Organisation.objects.bulk_create([org.obj for org in self.orgs], batch_size=BATCH_SIZE)
        for department in self.departments:
            department.obj.parent = department.parent
        # Companies are represented by a business garden in their region about half of the time.
        gardens_by_region = defaultdict(list)
        for garden in Organisation.objects.filter(kind=K.BUSINESS_GARDEN).only("pk", "municipality_id"):
            region = self.region_of.get(garden.municipality_id)
            if region is not None:
                gardens_by_region[region.pk].append(garden)
        for company in self.companies:
            region = self.region_of.get(company.obj.municipality_id)
            gardens = gardens_by_region.get(region.pk) if region else None
            if gardens and self.rng.random() < 0.55:
                company.obj.represented_by = self.rng.choice(gardens)
        second = self.departments + self.companies
        Organisation.objects.bulk_create([org.obj for org in second], batch_size=BATCH_SIZE)
        self.orgs.extend(second)
        self.result.organisations = len(self.orgs)

    # --- people --------------------------------------------------------------------------------------

    def generate_people(self):
        budget = max(0, self.target_people - User.objects.count())
        used_emails = {email.lower() for email in User.objects.values_list("email", flat=True)}
        counters: dict[str, int] = defaultdict(int)
        users: list[User] = []
        memberships: list[tuple[int, _Org, str]] = []  # (user index, org, role)
        region_roles: list[tuple[int, Region, str]] = []

        def person(org: _Org, role: str, title: str | None = None) -> int | None:
            if len(users) >= budget:
                return None
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            local = f"{norwegian_slug(first)}.{norwegian_slug(last)}".replace("-", ".")
            email = f"{local}@{org.domain}"
            while email in used_emails:
                counters[email] += 1
                email = f"{local}{counters[email] + 1}@{org.domain}"
            used_emails.add(email)
            titles = JOB_TITLES.get(org.obj.kind, DEFAULT_JOB_TITLES)
            users.append(
                User(
                    email=email,
                    full_name=f"{first} {last}",
                    job_title=title or self.rng.choice(titles),
                    password=self.password_hash,
                )
            )
            memberships.append((len(users) - 1, org, role))
            return len(users) - 1

        # 1. Region roles: a secretariat for every generated region (it also administers the council),
        #    two observers per county at a generated county council (Trøndelag has the demo's advisor; Oslo has
        #    no county council). Every generated person belongs to a generated organisation: --reset relies on it.
        councils = [org for org in self.orgs if org.council]
        for council in councils:
            index = person(council, MembershipRole.ADMIN, "Rådgiver, regionrådet")
            if index is not None:
                region_roles.append((index, council.region, RegionRoleKind.SECRETARIAT))
        for county in self.counties:
            body = self.county_councils.get(county.pk)
            region = self.county_regions.get(county.pk)
            if region is None or not isinstance(body, _Org):
                continue
            for _ in range(2):
                index = person(body, MembershipRole.MEMBER, "Rådgiver kompetanse")
                if index is not None:
                    region_roles.append((index, region, RegionRoleKind.OBSERVER))

        # 2. An administrator for every organisation; a contact person for municipalities and departments.
        order = {K.COUNTY_COUNCIL: 0, K.STATE_GOVERNOR: 0, K.NAV: 0, K.MUNICIPALITY: 1, K.EDUCATION_PROVIDER: 2}
        top_level = sorted(
            (org for org in self.orgs if org.obj.parent_id is None and not org.council),
            key=lambda org: order.get(org.obj.kind, 3),
        )
        for org in top_level:
            title = ADMIN_TITLES.get(org.obj.kind)
            person(org, MembershipRole.ADMIN, title)
        for org in top_level:
            if org.obj.kind == K.MUNICIPALITY:
                person(org, MembershipRole.CONTACT)
        for department in self.departments:
            person(department, MembershipRole.CONTACT)

        # 3. Members spread by size; some municipal employees also belong to one of its departments.
        left = budget - len(users)
        if left > 0:
            weights = [org.weight for org in self.orgs]
            for org in self.pick(self.orgs, weights, left):
                index = person(org, MembershipRole.MEMBER)
                if index is not None and org.departments and self.rng.random() < 0.15:
                    memberships.append((index, self.rng.choice(org.departments), MembershipRole.MEMBER))

        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        Membership.objects.bulk_create(
            [
                Membership(user_id=users[index].pk, organisation_id=org.obj.pk, role=role)
                for index, org, role in memberships
            ],
            batch_size=BATCH_SIZE,
        )
        RegionRole.objects.bulk_create(
            [
                RegionRole(user_id=users[index].pk, region_id=region.pk, role=role)
                for index, region, role in region_roles
            ],
            batch_size=BATCH_SIZE,
        )
        self.result.people = len(users)
        self.result.memberships = len(memberships)
        self.result.region_roles = len(region_roles)

    def run(self) -> NationalResult:
        self.load_geography()
        self.generate_regions()
        self.generate_organisations()
        self.generate_people()
        return self.result


def national_generate(
    *,
    organisations: int = DEFAULT_ORGANISATIONS,
    people: int = DEFAULT_PEOPLE,
    needs: int = DEFAULT_NEEDS,
    offerings: int = DEFAULT_OFFERINGS,
    seed: int = DEFAULT_SEED,
) -> NationalResult:
    """Generate the national data set in one transaction. The targets for organisations and people count
    everything in the database (the small demo included), so the totals end up close to `organisations` and
    `people`; `needs` and `offerings` are how many are generated for the generated organisations."""
    password_hash = make_password(DEMO_PASSWORD)  # once: hashing per person would take far too long
    with transaction.atomic():
        result = _Generator(organisations=organisations, people=people, seed=seed, password_hash=password_hash).run()
        catalogue = catalogue_generate(marker=NATIONAL_MARKER, needs=needs, offerings=offerings, seed=seed)
        result.needs = catalogue.needs
        result.status_changes = catalogue.status_changes
        result.offerings = catalogue.offerings
        result.rounds = catalogue.rounds
        result.invitations = catalogue.invitations
        result.round_needs = catalogue.round_needs
    # Fresh statistics for the query planner after the bulk inserts (PostgreSQL's autovacuum would get there
    # later; SQLite never does by itself): without them SQLite reads every public need for a secretariat's
    # need list instead of walking the newest-first index. On PostgreSQL VACUUM also sets the visibility map,
    # which index-only scans (the catalogue's covering indexes) need; it cannot run inside a transaction
    # (a caller's, or a test's).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return result
