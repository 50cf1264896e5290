"""Competence needs, education offerings and mapping rounds for the national data set (benchmarks, and the
matching feature of a later issue).

Called by national.national_generate after the organisations and people exist, in the same transaction and
from the same seed. Written with bulk_create; the rows look like what the services write (a status history
row for the registration and one for every later move, `version` bumped per move, `search_text` computed by
offerings.services.offering_search_text) but, like the rest of the national data, without history entries.

- Needs (50 000 by default) belong to generated municipalities, departments, county bodies, NAV and companies;
  a represented company's need is often registered by its business garden, and some needs in the generated
  regions by the region's secretariat. Fields, levels and texts follow the organisation: a department of
  health and care needs health topics, a sawmill woodwork, a municipality mostly health and education.
- Offerings (20 000 by default) belong to the generated education providers; titles and descriptions are
  composed from a vocabulary per field of competence, with the levels, credits and delivery a provider of
  that kind would offer; gathering places lie in the provider's county.
- Mapping rounds: two closed and one open round per generated region, inviting the organisations that have
  needs; some needs are registered in a round, and the secretariat confirmed those of closed rounds as qualified.
Everything generated here hangs on a generated organisation or region; national_reset finds it that way."""

import datetime
import math
import random
from bisect import bisect
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from django.utils import timezone

from kompetansebro.competences.models import CompetenceField, Level, Tag
from kompetansebro.competences.reference import fields_load
from kompetansebro.core.text import norwegian_slug
from kompetansebro.geography.models import Municipality, Region
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundNeed, RoundStatus
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, NeedStatusChange, Urgency, Visibility
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.services import offering_search_text
from kompetansebro.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    ProviderKind,
    RegionRole,
    RegionRoleKind,
)

DEFAULT_NEEDS = 50_000
DEFAULT_OFFERINGS = 20_000
BATCH_SIZE = 1000

K = OrganisationKind
L = Level
S = NeedStatus


@dataclass(frozen=True)
class Topic:
    """A subject that needs ask for and offerings teach. `subject` reads well after "Kurs i" when lower-cased;
    `titles` are complete offering titles used now and then instead of a composed one."""

    subject: str
    levels: tuple[str, ...]
    tags: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()


T = Topic
KURS, SERT, FAG, VGS, FAGSKOLE, VU, BACH, MAST = (
    L.COURSE,
    L.CERTIFICATION,
    L.TRADE_CERTIFICATE,
    L.UPPER_SECONDARY,
    L.VOCATIONAL_COLLEGE,
    L.FURTHER_EDUCATION,
    L.BACHELOR,
    L.MASTER,
)

TOPICS: dict[str, list[Topic]] = {
    "helse-og-omsorg": [
        T(
            "Helsearbeiderfaget",
            (FAG, VGS),
            ("helsefagarbeider", "praksiskandidat"),
            ("Helsefagarbeider for voksne", "Helsefagarbeider – fagbrev på jobb", "Helsefagarbeider, kveld og helg"),
        ),
        T("Demensomsorg", (KURS, FAGSKOLE, VU), ("demens", "eldreomsorg"), ("Demensomsorgens ABC",)),
        T(
            "Legemiddelhåndtering",
            (KURS, VU),
            ("legemidler",),
            ("Legemiddelhåndtering for helsefagarbeidere", "Sikker legemiddelhåndtering i hjemmetjenesten"),
        ),
        T("Psykisk helse og rus", (FAGSKOLE, VU, MAST), ("psykisk helse", "rus")),
        T("Eldreomsorg og geriatri", (FAGSKOLE, VU), ("eldreomsorg", "geriatri")),
        T("Palliativ omsorg", (KURS, VU), ("palliasjon",), ("Lindrende behandling i kommunene",)),
        T("Velferdsteknologi", (KURS, FAGSKOLE, VU), ("velferdsteknologi", "digitalisering")),
        T("Sykepleie", (BACH,), ("sykepleier",), ("Desentralisert sykepleierutdanning", "Sykepleie, deltid")),
        T("Akuttmedisin", (KURS, VU), ("akuttmedisin", "førstehjelp")),
        T("Rehabilitering og hverdagsmestring", (FAGSKOLE, VU), ("rehabilitering", "hverdagsmestring")),
        T("Diabetes og kroniske sykdommer", (KURS, VU), ("diabetes",)),
        T("Helseledelse", (VU, MAST), ("ledelse", "helseledelse")),
    ],
    "oppvekst-og-utdanning": [
        T(
            "Barne- og ungdomsarbeiderfaget",
            (FAG, VGS),
            ("barne- og ungdomsarbeider", "barnehage"),
            ("Barne- og ungdomsarbeider for voksne",),
        ),
        T("Barnehagepedagogikk", (VU, BACH), ("barnehage", "barnehagelærer"), ("Barnehagelærer, arbeidsplassbasert",)),
        T("Spesialpedagogikk", (VU, MAST), ("spesialpedagogikk",)),
        T("Veiledning av nyutdannede lærere", (VU,), ("veiledning", "lærer")),
        T("Matematikkdidaktikk", (VU,), ("matematikk", "lærer"), ("Matematikk 1 for trinn 1–7",)),
        T("Norsk som andrespråk i skolen", (VU,), ("norsk som andrespråk", "lærer")),
        T("Språkutvikling i barnehagen", (KURS, FAGSKOLE), ("barnehage", "språk")),
        T("Skolefritidsordningen", (KURS, FAGSKOLE), ("sfo",)),
        T("Yrkesfagdidaktikk", (VU,), ("yrkesfaglærer",), ("Praktisk-pedagogisk utdanning for yrkesfag",)),
        T("Skoleledelse", (VU, MAST), ("ledelse", "rektor"), ("Rektorutdanningen",)),
        T("Barnevern", (VU, BACH), ("barnevern",)),
    ],
    "bygg-og-anlegg": [
        T("Tømrerfaget", (FAG, VGS), ("tømrer",), ("Tømrer – fagbrev for voksne",)),
        T("Betongfaget", (FAG,), ("betong",)),
        T("Rørleggerfaget", (FAG, VGS), ("rørlegger", "vvs")),
        T("Anleggsmaskinførerfaget", (FAG, SERT), ("anleggsmaskin", "maskinfører")),
        T("Byggteknikk", (FAGSKOLE,), ("byggteknikk", "prosjektering"), ("Bygg – fagskoleingeniør, deltid",)),
        T("Ventilasjon og inneklima", (KURS, FAGSKOLE), ("ventilasjon", "vvs")),
        T("Energieffektiv rehabilitering av bygg", (KURS, FAGSKOLE, VU), ("energieffektivisering", "rehabilitering")),
        T("Arbeidsvarsling", (KURS, SERT), ("arbeidsvarsling", "hms")),
        T("Prosjektledelse i byggeprosjekter", (KURS, FAGSKOLE, VU), ("prosjektledelse",)),
        T("Tradisjonshåndverk i bygningsvern", (KURS, FAGSKOLE), ("bygningsvern", "tradisjonshåndverk")),
    ],
    "elektro-og-automasjon": [
        T("Elektrikerfaget", (FAG, VGS), ("elektriker",), ("Elektriker – fagbrev for voksne",)),
        T(
            "Kuldeteknikk og varmepumper",
            (FAG, KURS, SERT, FAGSKOLE),
            ("varmepumpe", "kulde", "f-gass"),
            ("Varmepumper og kuldeteknikk", "F-gass-sertifisering for varmepumpemontører"),
        ),
        T("Automatisering", (FAG, FAGSKOLE), ("automatisering", "plc")),
        T("Elkraft", (FAGSKOLE, VU), ("elkraft", "energimontør")),
        T("Ekom og fiberinstallasjon", (KURS, FAG), ("ekom", "fiber")),
        T(
            "Solcelleanlegg",
            (KURS, FAGSKOLE),
            ("solceller", "fornybar energi"),
            ("Planlegging og montasje av solceller",),
        ),
        T("Sikkerhet ved arbeid på elektriske anlegg", (KURS, SERT), ("fse", "hms"), ("FSE-kurs for elektrofag",)),
        T("Ladeinfrastruktur for elbil", (KURS,), ("elbil", "lading")),
    ],
    "industri-og-produksjon": [
        T("Industrimekanikerfaget", (FAG, VGS), ("industrimekaniker", "vedlikehold")),
        T("Sveising", (KURS, SERT, FAG), ("sveis",), ("Sveisesertifikat etter NS-EN ISO 9606",)),
        T("CNC-maskinering", (KURS, FAG), ("cnc", "maskinering")),
        T("Lean produksjon", (KURS, FAGSKOLE, VU), ("lean", "kvalitet")),
        T("Kvalitetsledelse", (FAGSKOLE, VU), ("kvalitet", "iso 9001")),
        T("Produksjonsteknikk", (FAGSKOLE,), ("produksjon",)),
        T("Prediktivt vedlikehold", (KURS, FAGSKOLE), ("vedlikehold", "sensorer")),
        T("Industriell digitalisering", (KURS, VU), ("digitalisering", "automatisering")),
    ],
    "trearbeid-og-handverk": [
        T("Trelastfaget", (FAG,), ("trelast", "sagbruk")),
        T("Snekkerfaget", (FAG, VGS), ("snekker", "møbel")),
        T("Limtre og massivtre", (KURS, FAGSKOLE), ("massivtre", "limtre")),
        T("Sagbruksteknikk", (KURS, FAGSKOLE), ("sagbruk",)),
        T("Tradisjonelt treskjærerhåndverk", (KURS,), ("tradisjonshåndverk",)),
        T("Trebearbeiding med CNC", (KURS,), ("cnc", "treindustri")),
    ],
    "reiseliv-og-mat": [
        T("Kokkfaget", (FAG, VGS), ("kokk",), ("Kokk – fagbrev for voksne",)),
        T("Vertskap og service", (KURS,), ("vertskap", "service")),
        T("Lokalmat og foredling", (KURS, FAGSKOLE), ("lokalmat", "foredling")),
        T("Natur- og friluftsguiding", (KURS, FAGSKOLE), ("guide", "friluftsliv")),
        T("Reiselivsledelse", (FAGSKOLE, VU), ("reiseliv", "ledelse")),
        T("Bærekraftig reiseliv", (KURS, VU), ("reiseliv", "bærekraft")),
        T("Hygiene og mattrygghet", (KURS, SERT), ("hygiene", "mattrygghet"), ("Hygienekurs for serveringssteder",)),
        T("Bakerfaget", (FAG,), ("baker",)),
    ],
    "landbruk-og-skogbruk": [
        T("Agronomi", (VGS, FAG, FAGSKOLE), ("agronom", "landbruk"), ("Naturbruk – agronom for voksne",)),
        T("Skogbruk", (FAG, KURS), ("skogbruk", "skogsmaskin")),
        T("Husdyrhold og dyrevelferd", (KURS, FAGSKOLE), ("husdyr", "dyrevelferd")),
        T("Gartnerfaget", (FAG,), ("gartner",)),
        T("Reindrift", (KURS, FAGSKOLE), ("reindrift",)),
        T("Økologisk landbruk", (KURS, FAGSKOLE), ("økologisk", "landbruk")),
        T("Motorsag og trefelling", (KURS, SERT), ("motorsag", "hms")),
    ],
    "ikt-og-digital-kompetanse": [
        T("IT-driftsfaget", (FAG, FAGSKOLE), ("it-drift",)),
        T("Informasjonssikkerhet", (KURS, FAGSKOLE, VU), ("informasjonssikkerhet", "personvern")),
        T("Programmering", (KURS, FAGSKOLE, BACH), ("programmering",)),
        T(
            "Digital kompetanse for ansatte",
            (KURS,),
            ("digitalisering", "office"),
            ("Digitale ferdigheter i arbeidslivet",),
        ),
        T("Digital transformasjon i offentlig sektor", (VU, MAST), ("digitalisering", "offentlig sektor")),
        T("Dataanalyse og kunstig intelligens", (KURS, VU), ("kunstig intelligens", "data")),
        T("Skytjenester", (KURS, FAGSKOLE), ("sky", "it-drift")),
    ],
    "ledelse-og-administrasjon": [
        T(
            "Ledelse",
            (KURS, FAGSKOLE, VU, MAST),
            ("ledelse",),
            ("Førstelinjeledelse", "Lederutvikling for mellomledere"),
        ),
        T("Offentlige anskaffelser", (KURS, VU), ("innkjøp", "anskaffelser")),
        T("Prosjektledelse", (KURS, FAGSKOLE, VU), ("prosjektledelse",)),
        T("Økonomistyring", (KURS, FAGSKOLE, VU), ("økonomi", "regnskap")),
        T("Personalledelse og HR", (KURS, VU), ("hr", "arbeidsrett")),
        T("Saksbehandling og forvaltningsrett", (KURS, VU), ("saksbehandling", "forvaltningsrett")),
        T("Kontor- og administrasjonsfaget", (FAG,), ("kontor",)),
        T("Arkiv og dokumentasjon", (KURS, VU), ("arkiv",)),
    ],
    "sprak": [
        T("Norsk som andrespråk", (KURS, VU), ("norsk som andrespråk",), ("Norskopplæring på arbeidsplassen",)),
        T("Arbeidsrettet norsk", (KURS,), ("norsk", "arbeidsliv"), ("Norsk for helsepersonell", "Fagnorsk for bygg")),
        T("Samisk språk", (KURS, VU), ("samisk",), ("Nordsamisk for nybegynnere",)),
        T("Engelsk i arbeidslivet", (KURS,), ("engelsk",)),
        T("Tegnspråk", (KURS, VU), ("tegnspråk",)),
    ],
    "transport-og-logistikk": [
        T("Yrkessjåførfaget", (FAG, SERT), ("yrkessjåfør", "førerkort")),
        T("Logistikkfaget", (FAG, VGS), ("logistikk", "lager")),
        T("Truck og kran", (KURS, SERT), ("truck", "kran"), ("Truckførerkurs T1–T4", "Kranførerkurs G4")),
        T("Transportledelse", (FAGSKOLE, VU), ("logistikk", "ledelse")),
        T("Farlig gods", (KURS, SERT), ("adr", "farlig gods"), ("ADR – transport av farlig gods",)),
    ],
    "energi-og-miljo": [
        T("Fornybar energi", (FAGSKOLE, VU), ("fornybar energi", "energi")),
        T("Vann og avløp", (KURS, FAG, FAGSKOLE), ("vann og avløp",), ("Driftsoperatør vann og avløp",)),
        T("Klimaregnskap og klimatilpasning", (KURS, VU), ("klima",)),
        T("Avfallshåndtering og sirkulærøkonomi", (KURS, FAGSKOLE), ("avfall", "sirkulærøkonomi")),
        T("Energirådgivning", (KURS, FAGSKOLE), ("energi", "energieffektivisering")),
    ],
    "handel-og-service": [
        T("Salgsfaget", (FAG, VGS), ("salg", "butikk")),
        T("Kundeservice", (KURS,), ("kundeservice", "service")),
        T("Renholdsoperatørfaget", (FAG, KURS), ("renhold",)),
        T("Eiendomsdrift", (FAG, FAGSKOLE), ("eiendomsdrift", "vaktmester")),
        T("Netthandel og digital markedsføring", (KURS,), ("netthandel", "markedsføring")),
    ],
    "naturbruk-og-havbruk": [
        T("Akvakulturfaget", (FAG, VGS, FAGSKOLE), ("akvakultur", "havbruk")),
        T("Fiskehelse og fiskevelferd", (KURS, FAGSKOLE, VU), ("fiskehelse", "dyrevelferd")),
        T("Fiske og fangst", (FAG, KURS), ("fiske",)),
        T("Sjømatproduksjon", (FAG, KURS), ("sjømat", "foredling")),
        T("Sikkerhetskurs for sjøfolk", (KURS, SERT), ("sjøsikkerhet",), ("Grunnleggende sikkerhetskurs (STCW)",)),
    ],
    "sikkerhet-og-beredskap": [
        T(
            "HMS for ledere og verneombud",
            (KURS, SERT),
            ("hms", "verneombud"),
            ("Grunnopplæring i HMS for verneombud",),
        ),
        T("Førstehjelp", (KURS,), ("førstehjelp",), ("Førstehjelp for arbeidsplassen",)),
        T("Brann og redning", (KURS, FAGSKOLE, VU), ("brann", "beredskap")),
        T("Beredskap og krisehåndtering", (KURS, VU), ("beredskap", "krisehåndtering")),
        T("Vekterfaget", (FAG, KURS), ("vekter", "vakt")),
    ],
}
FIELD_WEIGHTS = {  # how much the field fills the catalogue
    "helse-og-omsorg": 5,
    "oppvekst-og-utdanning": 3.5,
    "ledelse-og-administrasjon": 2.5,
    "ikt-og-digital-kompetanse": 2,
    "bygg-og-anlegg": 2,
    "elektro-og-automasjon": 1.5,
    "industri-og-produksjon": 1.5,
    "reiseliv-og-mat": 1.2,
    "landbruk-og-skogbruk": 1,
    "sprak": 1,
    "transport-og-logistikk": 1,
    "energi-og-miljo": 1,
    "handel-og-service": 0.8,
    "naturbruk-og-havbruk": 0.8,
    "sikkerhet-og-beredskap": 1,
    "trearbeid-og-handverk": 0.7,
}
GENERIC_TAGS = ["deltid", "nettbasert", "samlingsbasert", "kveld", "arbeidsplassbasert", "voksne", "lærling"]

# What organisations ask for: the field of a company follows its trade, a department its name.
TRADE_FIELDS = {
    "Sag": "trearbeid-og-handverk",
    "Bygg": "bygg-og-anlegg",
    "Rørlegger": "bygg-og-anlegg",
    "Elektro": "elektro-og-automasjon",
    "Regnskap": "ledelse-og-administrasjon",
    "Transport": "transport-og-logistikk",
    "Maskin": "industri-og-produksjon",
    "Snekkerverksted": "trearbeid-og-handverk",
    "Gardsmat": "reiseliv-og-mat",
    "Bakeri": "reiseliv-og-mat",
    "Fjellstue": "reiseliv-og-mat",
    "Entreprenør": "bygg-og-anlegg",
    "Auto": "transport-og-logistikk",
    "Treindustri": "trearbeid-og-handverk",
    "Mekaniske Verksted": "industri-og-produksjon",
    "Sjømat": "naturbruk-og-havbruk",
    "Reiseliv": "reiseliv-og-mat",
    "IT": "ikt-og-digital-kompetanse",
    "Energi": "energi-og-miljo",
    "Landbruksservice": "landbruk-og-skogbruk",
    "Helse": "helse-og-omsorg",
    "Hotell": "reiseliv-og-mat",
    "Betong": "bygg-og-anlegg",
    "Maling": "bygg-og-anlegg",
}
DEPARTMENT_FIELDS = {
    "oppvekst": "oppvekst-og-utdanning",
    "helse og omsorg": "helse-og-omsorg",
    "hjemmetjenesten": "helse-og-omsorg",
    "teknisk drift": "bygg-og-anlegg",
    "barnehage": "oppvekst-og-utdanning",
    "kultur": "ledelse-og-administrasjon",
    "sykehjemmet": "helse-og-omsorg",
    "legekontoret": "helse-og-omsorg",
    "barnevernet": "oppvekst-og-utdanning",
    "voksenopplæringen": "sprak",
    "eiendom": "energi-og-miljo",
    "plan og næring": "ledelse-og-administrasjon",
    "økonomi": "ledelse-og-administrasjon",
    "skole": "oppvekst-og-utdanning",
    "psykisk helse og rus": "helse-og-omsorg",
    "tildelingskontoret": "helse-og-omsorg",
}
MUNICIPALITY_FIELDS = {
    "helse-og-omsorg": 35,
    "oppvekst-og-utdanning": 25,
    "ledelse-og-administrasjon": 10,
    "ikt-og-digital-kompetanse": 8,
    "bygg-og-anlegg": 4,
    "sikkerhet-og-beredskap": 5,
    "sprak": 5,
    "energi-og-miljo": 4,
    "transport-og-logistikk": 2,
    "handel-og-service": 2,
}
PUBLIC_BODY_FIELDS = {
    "ledelse-og-administrasjon": 30,
    "ikt-og-digital-kompetanse": 25,
    "oppvekst-og-utdanning": 15,
    "sprak": 10,
    "sikkerhet-og-beredskap": 10,
    "energi-og-miljo": 10,
}
COMPANY_SIDE_FIELDS = {
    "ledelse-og-administrasjon": 30,
    "ikt-og-digital-kompetanse": 25,
    "sikkerhet-og-beredskap": 20,
    "sprak": 15,
    "handel-og-service": 10,
}
NEED_WEIGHTS = {
    K.MUNICIPALITY: 0,  # computed from the population
    K.COMPANY: 1,
    K.COUNTY_COUNCIL: 12,
    K.STATE_GOVERNOR: 4,
    K.NAV: 5,
    K.TRAINING_OFFICE: 1,
    K.EDUCATION_PROVIDER: 0.3,
    K.BUSINESS_GARDEN: 0.3,
}

# Offerings: how often a provider of each kind adds one, and at which levels.
PROVIDER_WEIGHTS = {
    ProviderKind.UNIVERSITY: 25,
    ProviderKind.VOCATIONAL_COLLEGE: 8,
    ProviderKind.UPPER_SECONDARY: 2,
    ProviderKind.STUDY_ASSOCIATION: 6,
    ProviderKind.PRIVATE: 4,
}
PROVIDER_LEVELS = {
    ProviderKind.UNIVERSITY: {VU: 6, BACH: 1.5, MAST: 1, KURS: 1},
    ProviderKind.VOCATIONAL_COLLEGE: {FAGSKOLE: 6, KURS: 2},
    ProviderKind.UPPER_SECONDARY: {FAG: 4, VGS: 3, KURS: 2, SERT: 1},
    ProviderKind.STUDY_ASSOCIATION: {KURS: 6, SERT: 2},
    ProviderKind.PRIVATE: {KURS: 4, SERT: 2},
}
CREDITS = {
    FAGSKOLE: ("fagskolepoeng", [10, 15, 30, 30, 60, 60, 120]),
    VU: ("studiepoeng", [Decimal("7.5"), 10, 15, 15, 30, 30, 60]),
    BACH: ("studiepoeng", [180]),
    MAST: ("studiepoeng", [90, 120, 120]),
}
PRICES = {  # (chance of free, lowest, highest) in kroner
    KURS: (0.15, 1_500, 18_000),
    SERT: (0.05, 3_000, 25_000),
    FAG: (0.5, 5_000, 30_000),
    VGS: (0.9, 0, 0),
    FAGSKOLE: (0.7, 5_000, 40_000),
    VU: (0.45, 8_000, 45_000),
    BACH: (0.8, 30_000, 120_000),
    MAST: (0.3, 60_000, 180_000),
}

OFFERING_TITLES = {
    KURS: ["{T}", "Kurs i {t}", "{T} – grunnkurs", "Innføring i {t}", "{T} for nyansatte", "{T}, kveldskurs"],
    SERT: ["{T}", "{T} – sertifisering", "Sertifiseringskurs: {t}"],
    FAG: ["{T}", "{T} – fagbrev for voksne", "Veien til fagbrev: {t}", "{T} for praksiskandidater"],
    VGS: ["{T}", "{T} for voksne", "{T} – vg2 for voksne"],
    FAGSKOLE: ["{T}", "Fagskoleutdanning i {t}", "{T} – fagskole, deltid"],
    VU: ["{T}", "Videreutdanning i {t}", "{T}, deltid", "{T} for ansatte i kommunen"],
    BACH: ["Bachelor i {t}", "{T} – bachelor, deltid"],
    MAST: ["Erfaringsbasert master i {t}", "Master i {t}"],
}
OFFERING_INTRO = {
    KURS: [
        "Et praktisk kurs i {t} for deg som bruker det i arbeidet hver dag.",
        "Kurset gir en grundig innføring i {t}, med øvelser fra egen arbeidsplass.",
    ],
    SERT: [
        "Kurset gir opplæringen og prøven som kreves for dokumentert kompetanse i {t}.",
        "Sertifiseringskurs i {t}, med teori, praktiske øvelser og avsluttende prøve.",
    ],
    FAG: [
        "Tilbudet forbereder voksne med relevant praksis til fagprøven i {t}.",
        "For voksne som vil ta fagbrev i {t} mens de er i jobb, som praksiskandidat eller lærling.",
    ],
    VGS: [
        "Videregående opplæring for voksne i {t}, med vekt på det som er nytt for deg.",
        "Voksne med rett til videregående opplæring kan ta {t} her, tilpasset tidligere erfaring.",
    ],
    FAGSKOLE: [
        "En fagskoleutdanning i {t} på {credits} fagskolepoeng, som bygger på fagbrev eller realkompetanse.",
        "Fagskoleutdanningen i {t} ({credits} fagskolepoeng) er yrkesrettet og kan tas ved siden av jobb.",
    ],
    VU: [
        "Videreutdanning på {credits} studiepoeng i {t} for ansatte med høyere utdanning eller lang erfaring.",
        "Studiet i {t} gir {credits} studiepoeng og kombinerer teori med oppgaver fra egen arbeidsplass.",
    ],
    BACH: [
        "Bachelorutdanning i {t} ({credits} studiepoeng), lagt opp slik at den kan tas ved siden av jobb.",
    ],
    MAST: [
        "Erfaringsbasert masterutdanning i {t} ({credits} studiepoeng) for deg med minst to års relevant praksis.",
    ],
}
CLOSING = [
    "Tilbudet kan tilpasses arbeidsgivere som melder behov for en hel gruppe.",
    "Deltakerne får tett oppfølging av faglærer mellom samlingene.",
    "Kan kombineres med full jobb.",
    "Arbeidsgiver kan avtale egen gruppe for sine ansatte.",
    "Vi har god erfaring med deltakere som ikke har studert på mange år.",
    "",
]
AUDIENCES = {
    "helse-og-omsorg": [
        "ansatte i hjemmetjenesten",
        "ansatte i sykehjem og omsorgsboliger",
        "assistenter uten fagutdanning",
    ],
    "oppvekst-og-utdanning": ["ansatte i barnehage og skole", "assistenter i barnehagen", "lærere og ledere i skolen"],
    "bygg-og-anlegg": ["fagarbeidere i bygg og anlegg", "ansatte i entreprenørbedrifter", "ansatte i teknisk drift"],
    "elektro-og-automasjon": ["elektrikere og montører", "ansatte i installasjonsbedrifter"],
    "industri-og-produksjon": ["operatører og fagarbeidere i industrien", "ansatte i produksjon og vedlikehold"],
    "trearbeid-og-handverk": ["ansatte i sagbruk og treindustri", "snekkere og håndverkere"],
    "reiseliv-og-mat": ["ansatte i reiseliv og servering", "små matprodusenter"],
    "landbruk-og-skogbruk": ["bønder og avløsere", "ansatte i skogbruket"],
    "ikt-og-digital-kompetanse": ["ansatte i offentlig sektor", "ansatte i små og mellomstore bedrifter"],
    "ledelse-og-administrasjon": ["ledere i kommuner og bedrifter", "saksbehandlere og konsulenter"],
    "sprak": ["ansatte med annet morsmål enn norsk", "ansatte i helse og oppvekst"],
    "transport-og-logistikk": ["sjåfører og lagerarbeidere", "ansatte i transportbedrifter"],
    "energi-og-miljo": ["ansatte i kommunalteknikk", "ansatte i energiselskaper"],
    "handel-og-service": ["ansatte i butikk og service", "ansatte i eiendomsdrift"],
    "naturbruk-og-havbruk": ["ansatte i havbruksnæringen", "fiskere og ansatte i sjømatindustrien"],
    "sikkerhet-og-beredskap": ["ledere og verneombud", "ansatte i brann og redning"],
}

NEED_TITLES = {
    FAG: ["Fagbrev i {t}", "{T} – fagbrev for ansatte", "Praksiskandidater i {t}"],
    VGS: ["{T} for voksne ansatte", "Videregående opplæring i {t}"],
    KURS: ["Kurs i {t}", "Opplæring i {t}", "{T}", "{T} for nyansatte"],
    SERT: ["Sertifisering i {t}", "{T}"],
    FAGSKOLE: ["Fagskole i {t}", "Kompetanse i {t}", "{T}"],
    VU: ["Videreutdanning i {t}", "Kompetanse i {t}", "{T} for erfarne medarbeidere"],
    BACH: ["{T} for ansatte uten utdanning", "Bachelor i {t} i regionen"],
    MAST: ["Master i {t}", "{T} på masternivå"],
    "": ["Behov for kompetanse i {t}", "Kompetanseheving i {t}", "{T}"],
}
NEED_REASONS = [
    "for å møte nye krav",
    "fordi flere skal over i nye oppgaver",
    "etter en omorganisering",
    "for å kunne tilby faste stillinger",
    "før en ny tjeneste starter opp",
    "fordi vi ikke får rekruttert folk med denne kompetansen",
    "for å redusere bruken av innleie",
]
NEED_CONTEXT = [
    "Det er vanskelig å få vikarer, så opplæringen bør ligge på kveldstid eller i perioder med lav aktivitet.",
    "Vi kan stille med lokaler og praksisplasser.",
    "Vi samarbeider gjerne med andre arbeidsgivere i regionen om en felles gruppe.",
    "Flere av de ansatte har lang erfaring, men mangler formell kompetanse.",
    "Lang reisevei gjør at vi helst vil ha undervisning lokalt eller på nett.",
    "",
]
CLOSE_REASONS = [
    "Behovet er dekket internt.",
    "Fant ikke et passende tilbud.",
    "Organisasjonen har endret planene.",
    "Registrert to ganger.",
    "Ingen ansatte kan frigjøres i år.",
    "Behovet er slått sammen med et annet behov i regionen.",
]
MOVE_REASONS = {
    S.PRESENTED: ["Tatt opp i kompetanseforum.", ""],
    S.IN_DIALOGUE: ["Tilbydere er kontaktet.", ""],
    S.BEING_ADAPTED: ["Tilbyder tilpasser et eksisterende tilbud.", ""],
    S.OFFER_RUNNING: ["Oppstart avtalt med tilbyder.", ""],
    S.FULFILLED: ["Deltakerne har fullført.", ""],
    S.REGISTERED: ["Behovet er aktuelt igjen.", ""],
}
# The life cycle as the generator walks it: the usual next step, and how likely a need stays where it is.
FORWARD = {
    S.REGISTERED: S.QUALIFIED,
    S.QUALIFIED: S.PRESENTED,
    S.PRESENTED: S.IN_DIALOGUE,
    S.IN_DIALOGUE: S.OFFER_RUNNING,
    S.BEING_ADAPTED: S.OFFER_RUNNING,
    S.OFFER_RUNNING: S.FULFILLED,
    S.CLOSED: S.REGISTERED,
}
STAY = {
    S.REGISTERED: 0.3,
    S.QUALIFIED: 0.25,
    S.PRESENTED: 0.25,
    S.IN_DIALOGUE: 0.25,
    S.BEING_ADAPTED: 0.25,
    S.OFFER_RUNNING: 0.4,
    S.FULFILLED: 1.0,
    S.CLOSED: 0.93,
}
ROUND_NOTES = ["Ingen behov denne gangen.", "Vi melder behov neste år.", ""]
ROUND_DESCRIPTION = (
    "Registrer kompetansebehovene dere ser for det neste året, også de som gjelder få personer. "
    "Behovene legges fram i kompetanseforum etter fristen."
)
SEASONS = {1: "våren", 2: "våren", 3: "våren", 4: "våren", 5: "våren", 6: "sommeren", 7: "sommeren"}


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower(text: str) -> str:
    """'Demensomsorg' -> 'demensomsorg'; acronyms stay: 'IT-driftsfaget', 'CNC-maskinering'."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create store the given created/changed times instead of now (auto_now / auto_now_add off)."""
    switched = []
    for model in models:
        for model_field in model._meta.concrete_fields:
            for attribute in ("auto_now", "auto_now_add"):
                if getattr(model_field, attribute, False):
                    setattr(model_field, attribute, False)
                    switched.append((model_field, attribute))
    try:
        yield
    finally:
        for model_field, attribute in switched:
            setattr(model_field, attribute, True)


class Chooser:
    """Weighted choice from a fixed list, with the cumulative weights computed once."""

    def __init__(self, rng: random.Random, items, weights):
        self.rng, self.items = rng, list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1] if self.cumulative else 0

    def __bool__(self):
        return bool(self.items) and self.total > 0

    def __call__(self):
        return self.items[bisect(self.cumulative, self.rng.random() * self.total)]


@dataclass
class CatalogueResult:
    needs: int = 0
    status_changes: int = 0
    offerings: int = 0
    rounds: int = 0
    invitations: int = 0
    round_needs: int = 0
    tags: int = 0


class CatalogueGenerator:
    def __init__(self, *, needs: int, offerings: int, seed: int):
        self.rng = random.Random(f"{seed}-catalogue")
        self.target_needs = needs
        self.target_offerings = offerings
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.result = CatalogueResult()

    # --- what exists ----------------------------------------------------------------------------------

    def load(self, marker: str):
        if not CompetenceField.objects.exists():  # the reviewed list (load-reference loads it too)
            fields_load()
        self.fields = {field.code: field for field in CompetenceField.objects.all()}
        self.municipalities = {m.pk: m for m in Municipality.objects.all()}
        self.by_county = defaultdict(list)
        for municipality in self.municipalities.values():
            self.by_county[municipality.county_id].append(municipality)
        self.orgs = {org.pk: org for org in Organisation.objects.filter(description=marker).order_by("pk")}
        self.members = defaultdict(list)  # org id -> [(user id, role)]
        for org_id, user_id, role in (
            Membership.objects.filter(organisation__description=marker)
            .order_by("pk")
            .values_list("organisation_id", "user_id", "role")
        ):
            self.members[org_id].append((user_id, role))
        # The secretariats: who registers and moves needs for the organisations in their region.
        self.generated_regions = list(Region.objects.filter(description=marker, is_reference=False).order_by("pk"))
        region_municipalities = defaultdict(list)
        for region_id, municipality_id in Region.municipalities.through.objects.filter(
            region__in=self.generated_regions
        ).values_list("region_id", "municipality_id"):
            region_municipalities[region_id].append(municipality_id)
        self.region_municipalities = region_municipalities
        self.secretary_of_region = {}
        for region_id, user_id in (
            RegionRole.objects.filter(role=RegionRoleKind.SECRETARIAT, region__in=self.generated_regions)
            .order_by("pk")
            .values_list("region_id", "user_id")
        ):
            self.secretary_of_region.setdefault(region_id, user_id)
        self.region_of_municipality = {}
        for region_id, municipality_ids in region_municipalities.items():
            for municipality_id in municipality_ids:
                self.region_of_municipality.setdefault(municipality_id, region_id)

    def responsible(self, org_id: int) -> int | None:
        """A contact person or administrator of the organisation (one who may register needs), else a member."""
        people = self.members.get(org_id) or []
        responsible = [user for user, role in people if role in (MembershipRole.CONTACT, MembershipRole.ADMIN)]
        pool = responsible or [user for user, _role in people]
        return self.rng.choice(pool) if pool else None

    def contact(self, org_id: int) -> int | None:
        people = self.members.get(org_id) or []
        contacts = [user for user, role in people if role == MembershipRole.CONTACT]
        if contacts and self.rng.random() < 0.7:
            return self.rng.choice(contacts)
        return self.rng.choice(people)[0] if people else None

    # --- tags -----------------------------------------------------------------------------------------

    def make_tags(self):
        names = sorted(
            {tag for topics in TOPICS.values() for topic in topics for tag in topic.tags} | set(GENERIC_TAGS)
        )
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        Tag.objects.bulk_create([Tag(name=name) for name in names if name not in existing], ignore_conflicts=True)
        self.tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        self.result.tags = len(names) - len(existing)

    # --- offerings ------------------------------------------------------------------------------------

    def topics_for_level(self) -> dict[str, Chooser]:
        by_level = defaultdict(list)
        for code, topics in TOPICS.items():
            if code not in self.fields:
                continue
            for topic in topics:
                for level in topic.levels:
                    by_level[level].append((code, topic))
        return {
            level: Chooser(self.rng, items, [FIELD_WEIGHTS.get(code, 1) / len(TOPICS[code]) for code, _t in items])
            for level, items in by_level.items()
        }

    def generate_offerings(self):
        providers = [
            org
            for org in self.orgs.values()
            if org.kind == K.EDUCATION_PROVIDER and org.provider_kind in PROVIDER_LEVELS
        ]
        if not providers or self.target_offerings <= 0:
            return
        pick_provider = Chooser(self.rng, providers, [PROVIDER_WEIGHTS[p.provider_kind] for p in providers])
        level_of = {
            kind: Chooser(self.rng, list(levels), list(levels.values())) for kind, levels in PROVIDER_LEVELS.items()
        }
        topic_for = self.topics_for_level()
        statuses = Chooser(
            self.rng,
            [OfferingStatus.PLANNED, OfferingStatus.OPEN, OfferingStatus.RUNNING, OfferingStatus.CLOSED],
            [15, 40, 30, 15],
        )
        titles_used = defaultdict(int)
        offerings, tag_links, location_links = [], [], []
        for _index in range(self.target_offerings):
            provider = pick_provider()
            level = level_of[provider.provider_kind]()
            code, topic = topic_for[level]()
            field = self.fields[code]
            offering = self.offering(provider, level, field, topic, statuses())
            key = (provider.pk, offering.title)
            titles_used[key] += 1
            if titles_used[key] > 1:  # the same title again at the same provider: a new group
                offering.title = f"{offering.title} (kull {titles_used[key]})"
            tags = list(topic.tags[: self.rng.randint(1, len(topic.tags))]) if topic.tags else []
            if self.rng.random() < 0.35:
                generic = self.rng.choice(GENERIC_TAGS)
                if generic not in tags:
                    tags.append(generic)
            tags.sort()  # as stored (Tag is ordered by name), so that search_text can be recomputed from the rows
            locations = self.gathering_places(offering, provider)
            offering.search_text = offering_search_text(
                offering, tags=tags, gathering_locations=locations, provider=provider
            )
            offerings.append(offering)
            tag_links.append(tags)
            location_links.append(locations)
        with explicit_timestamps(Offering):
            Offering.objects.bulk_create(offerings, batch_size=BATCH_SIZE)
        TagLink = Offering.tags.through
        TagLink.objects.bulk_create(
            [
                TagLink(offering_id=offering.pk, tag_id=self.tags[name])
                for offering, names in zip(offerings, tag_links, strict=True)
                for name in names
            ],
            batch_size=BATCH_SIZE,
        )
        PlaceLink = Offering.gathering_locations.through
        PlaceLink.objects.bulk_create(
            [
                PlaceLink(offering_id=offering.pk, municipality_id=municipality.pk)
                for offering, places in zip(offerings, location_links, strict=True)
                for municipality in places
            ],
            batch_size=BATCH_SIZE,
        )
        self.result.offerings = len(offerings)

    def offering(self, provider, level, field, topic, status) -> Offering:
        rng = self.rng
        t, title_case = lower(topic.subject), topic.subject
        if topic.titles and rng.random() < 0.35:
            title = rng.choice(topic.titles)
        else:
            title = rng.choice(OFFERING_TITLES[level]).format(t=t, T=title_case)
        unit, credit_choices = CREDITS.get(level, ("", []))
        credits = Decimal(str(rng.choice(credit_choices))) if credit_choices else None
        if level == KURS and rng.random() < 0.1:  # some courses give study points
            unit, credits = "studiepoeng", Decimal(rng.choice(["2.5", "5"]))
        delivery = self.delivery(level)
        continuous = level in (KURS, SERT, VGS) and rng.random() < 0.2
        start, deadline = self.dates(status, continuous)
        free, low, high = PRICES[level]
        if rng.random() < 0.1:
            price = None
        elif rng.random() < free or high == 0:
            price = Decimal("0.00")
        else:
            price = Decimal(rng.randrange(low // 100, high // 100 + 1) * 100).quantize(Decimal("0.01"))
        created = self.now - datetime.timedelta(days=rng.randint(5, 700), minutes=rng.randint(0, 1439))
        updated = min(self.now, created + datetime.timedelta(days=rng.randint(0, 90)))
        audience = rng.choice(AUDIENCES.get(field.code, ["voksne i arbeid"]))
        credits_text = f"{credits:g}".replace(".", ",") if credits is not None else ""
        intro = rng.choice(OFFERING_INTRO[level]).format(t=t, credits=credits_text)
        themes = self.themes(topic, field)
        description = " ".join(
            part
            for part in [
                intro,
                f"Tilbudet passer for {audience}.",
                f"Sentrale tema er {join_words(themes)}." if themes else "",
                self.delivery_text(delivery, provider),
                "Opptaket er fortløpende." if continuous else "",
                rng.choice(CLOSING),
            ]
            if part
        )
        return Offering(
            provider=provider,
            title=title[:200],
            description=description,
            field=field,
            level=level,
            credits=credits,
            credit_unit=unit if credits is not None else "",
            continuous_admission=continuous,
            start_date=start,
            application_deadline=deadline,
            price=price,
            capacity=rng.choice([None, 12, 15, 20, 20, 25, 30, 30, 40, 60]),
            language="se" if "samisk" in topic.tags and rng.random() < 0.5 else "nb",
            url=f"https://{norwegian_slug(provider.name)}.no/tilbud/{norwegian_slug(title)[:80]}"
            if rng.random() < 0.7
            else "",
            status=status,
            created_at=created,
            updated_at=updated,
            **delivery,
        )

    def delivery(self, level) -> dict:
        rng = self.rng
        flags = {
            "delivery_campus": rng.random() < (0.45 if level in (BACH, MAST, VU, FAGSKOLE) else 0.3),
            "delivery_gatherings": rng.random() < 0.4,
            "delivery_online": rng.random() < 0.4,
            "delivery_decentralised": rng.random() < 0.15,
            "delivery_workplace": rng.random() < (0.4 if level in (FAG, KURS, SERT) else 0.08),
        }
        if not any(flags.values()):
            flags[rng.choice(list(flags))] = True
        return flags

    def delivery_text(self, delivery: dict, provider) -> str:
        place = self.municipalities[provider.municipality_id].name.split(" - ")[0]
        if delivery["delivery_online"] and delivery["delivery_gatherings"]:
            return f"Undervisningen er nettbasert med {self.rng.randint(2, 5)} fysiske samlinger."
        if delivery["delivery_gatherings"]:
            return f"Tilbudet er samlingsbasert, med {self.rng.randint(3, 8)} samlinger i løpet av studiet."
        if delivery["delivery_online"]:
            return "Undervisningen er nettbasert, med direktesendte forelesninger og opptak."
        if delivery["delivery_decentralised"]:
            return "Tilbudet gis desentralisert, nær der deltakerne bor."
        if delivery["delivery_workplace"]:
            return "Opplæringen skjer på arbeidsplassen, med veileder fra oss."
        return f"Undervisningen foregår på campus i {place}."

    def themes(self, topic: Topic, field) -> list[str]:
        pool = [tag for tag in topic.tags if tag not in GENERIC_TAGS]
        pool += [item.strip().lower() for item in field.description.split(",") if item.strip()]
        seen = []
        for item in self.rng.sample(pool, k=min(len(pool), 3)):
            if item not in seen and item != lower(topic.subject):
                seen.append(item)
        return seen

    def dates(self, status, continuous) -> tuple:
        rng = self.rng
        if continuous and rng.random() < 0.6:
            return None, None
        if status in (OfferingStatus.PLANNED, OfferingStatus.OPEN):
            start = self.today + datetime.timedelta(days=rng.randint(20, 280))
        elif status == OfferingStatus.RUNNING:
            start = self.today - datetime.timedelta(days=rng.randint(1, 300))
        else:
            start = self.today - datetime.timedelta(days=rng.randint(60, 600))
        deadline = start - datetime.timedelta(days=rng.randint(14, 60)) if rng.random() < 0.8 else None
        if status == OfferingStatus.OPEN and deadline is not None and deadline < self.today:
            deadline = self.today + datetime.timedelta(days=rng.randint(0, (start - self.today).days))
        return start, deadline

    def gathering_places(self, offering: Offering, provider) -> list:
        """Municipalities in the provider's county (its own one often) for gathering-based and decentralised
        offerings."""
        if not (offering.delivery_gatherings or (offering.delivery_decentralised and self.rng.random() < 0.7)):
            return []
        home = self.municipalities[provider.municipality_id]
        county = self.by_county[home.county_id]
        places = [home] if self.rng.random() < 0.6 else []
        count = self.rng.randint(1, 3 if offering.delivery_decentralised else 2)
        for _ in range(count):
            candidate = self.rng.choices(county, weights=[math.sqrt(m.population + 1) for m in county])[0]
            if candidate not in places:
                places.append(candidate)
        return sorted(places, key=lambda municipality: municipality.name)  # as the form gives them: by name

    # --- mapping rounds -------------------------------------------------------------------------------

    def generate_rounds(self):
        """Two closed rounds and an open one per generated region, inviting its employers (as default_invitees
        does: municipalities, companies and business gardens, departments not)."""
        invitable = defaultdict(list)
        for org in self.orgs.values():
            if org.parent_id is None and org.kind in (K.MUNICIPALITY, K.COMPANY, K.BUSINESS_GARDEN):
                region_id = self.region_of_municipality.get(org.municipality_id)
                if region_id is not None:
                    invitable[region_id].append(org.pk)
        self.rounds = []
        self.rounds_of_org = defaultdict(list)
        for region in self.generated_regions:
            orgs = invitable.get(region.pk)
            if not orgs:
                continue
            secretary = self.secretary_of_region.get(region.pk)
            for days_ago, length, closed in ((420, 35, True), (190, 30, True), (12, 30, False)):
                opens = self.today - datetime.timedelta(days=days_ago + self.rng.randint(0, 20))
                deadline = opens + datetime.timedelta(days=length)
                season = "høsten" if opens.month >= 8 else SEASONS.get(opens.month, "våren")
                created = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9, 0)))
                closed_at = (
                    created + datetime.timedelta(days=length + self.rng.randint(1, 10), hours=5) if closed else None
                )
                mapping_round = MappingRound(
                    region=region,
                    title=f"Kartlegging av kompetansebehov {season} {opens.year}",
                    description=ROUND_DESCRIPTION,
                    opens_on=opens,
                    deadline=deadline,
                    status=RoundStatus.CLOSED if closed else RoundStatus.OPEN,
                    created_by_id=secretary,
                    created_at=created,
                    closed_at=closed_at,
                    version=2 if closed else 1,
                )
                self.rounds.append((mapping_round, orgs, secretary))
                for org_id in orgs:
                    self.rounds_of_org[org_id].append(mapping_round)
        with explicit_timestamps(MappingRound):
            MappingRound.objects.bulk_create([r for r, _orgs, _s in self.rounds], batch_size=BATCH_SIZE)
        self.result.rounds = len(self.rounds)
        self.round_links: dict[int, list] = defaultdict(list)  # round pk -> [(org id, need index, created)]

    def save_invitations(self, needs: list[CompetenceNeed]):
        invitations, round_needs = [], []
        for mapping_round, orgs, _secretary in self.rounds:
            answered = {}
            for org_id, index, created in self.round_links.get(mapping_round.pk, []):
                answered[org_id] = min(answered.get(org_id, created), created)
                round_needs.append(RoundNeed(round=mapping_round, need_id=needs[index].pk, added_at=created))
            start = mapping_round.created_at
            window = (mapping_round.deadline - mapping_round.opens_on).days
            for org_id in orgs:
                invitation = RoundInvitation(round=mapping_round, organisation_id=org_id, invited_at=start)
                if org_id in answered:
                    invitation.answered_at = answered[org_id]
                elif self.rng.random() < (0.3 if mapping_round.status == RoundStatus.CLOSED else 0.15):
                    offset = datetime.timedelta(days=self.rng.uniform(0, max(1, min(window, (self.now - start).days))))
                    invitation.answered_at = min(self.now, start + offset)
                    invitation.answer_note = self.rng.choice(ROUND_NOTES)
                elif mapping_round.status == RoundStatus.OPEN and self.rng.random() < 0.5:
                    invitation.reminder_count = 1
                    invitation.last_reminded_at = min(self.now, start + datetime.timedelta(days=7, hours=6))
                invitations.append(invitation)
        with explicit_timestamps(RoundInvitation, RoundNeed):
            RoundInvitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
            RoundNeed.objects.bulk_create(round_needs, batch_size=BATCH_SIZE)
        self.result.invitations = len(invitations)
        self.result.round_needs = len(round_needs)

    # --- needs ----------------------------------------------------------------------------------------

    def field_chooser(self, weights: dict) -> Chooser:
        items = [code for code in weights if code in self.fields]
        return Chooser(self.rng, items, [weights[code] for code in items])

    def need_field(self, org, choosers) -> str:
        rng = self.rng
        if org.kind == K.COMPANY:
            base = org.name.removesuffix(" AS")
            trade = next((t for t in TRADE_FIELDS if base.endswith(f" {t}")), None)
            if trade and TRADE_FIELDS[trade] in self.fields and rng.random() < 0.75:
                return TRADE_FIELDS[trade]
            return choosers["company"]()
        if org.kind == K.MUNICIPALITY and org.parent_id is not None:
            department = org.name.rsplit(", ", 1)[-1]
            code = DEPARTMENT_FIELDS.get(department)
            if code in self.fields and rng.random() < 0.8:
                return code
            return choosers["municipality"]()
        if org.kind == K.MUNICIPALITY:
            return choosers["municipality"]()
        return choosers["public"]()

    def need_weight(self, org) -> float:
        if org.kind == K.MUNICIPALITY:
            if org.parent_id is not None:
                return 3
            return 2 + math.sqrt(self.municipalities[org.municipality_id].population) / 10
        if org.kind == K.COMPANY:
            return 1.5 if org.represented_by_id else 1
        return NEED_WEIGHTS.get(org.kind, 0)

    def generate_needs(self):
        rng = self.rng
        candidates = [org for org in self.orgs.values() if self.need_weight(org) > 0]
        if not candidates or self.target_needs <= 0:
            self.save_invitations([])
            return
        pick_org = Chooser(rng, candidates, [self.need_weight(org) for org in candidates])
        choosers = {
            "company": self.field_chooser(COMPANY_SIDE_FIELDS),
            "municipality": self.field_chooser(MUNICIPALITY_FIELDS),
            "public": self.field_chooser(PUBLIC_BODY_FIELDS),
        }
        visibility = Chooser(
            rng, [Visibility.REGION, Visibility.PUBLIC_ANONYMISED, Visibility.ORGANISATION], [50, 35, 15]
        )
        urgency = Chooser(rng, [Urgency.LOW, Urgency.MEDIUM, Urgency.HIGH], [30, 50, 20])
        needs: list[CompetenceNeed] = []
        histories: list[list[tuple]] = []
        tag_links: list[list[str]] = []
        for index in range(self.target_needs):
            org = pick_org()
            code = self.need_field(org, choosers)
            topic = rng.choice([t for t in TOPICS[code]])
            level = rng.choice(topic.levels) if rng.random() < 0.85 else ""
            top = self.orgs.get(org.parent_id, org) if org.parent_id else org
            # Who registers it: the organisation itself, its business garden, or the region's secretariat.
            on_behalf, by_region, creator = None, None, None
            region_id = self.region_of_municipality.get(org.municipality_id)
            if org.represented_by_id and org.represented_by_id in self.orgs and rng.random() < 0.6:
                on_behalf = org.represented_by_id
                creator = self.responsible(on_behalf)
            elif region_id in self.secretary_of_region and rng.random() < 0.12:
                by_region = region_id
                creator = self.secretary_of_region[region_id]
            else:
                creator = self.responsible(org.pk)
            # When: some needs are registered in a mapping round the organisation was invited to.
            mapping_round = None
            rounds = [r for r in self.rounds_of_org.get(org.pk, []) if r.created_at < self.now]
            if rounds and rng.random() < 0.3:
                mapping_round = rng.choice(rounds)
                latest = min(
                    self.now,
                    timezone.make_aware(datetime.datetime.combine(mapping_round.deadline, datetime.time(16, 0))),
                )
                span = max(60, int((latest - mapping_round.created_at).total_seconds()))
                created = mapping_round.created_at + datetime.timedelta(seconds=rng.randint(60, span))
            else:
                days = min(1095, int(rng.expovariate(1 / 330)))
                created = self.now - datetime.timedelta(days=days, seconds=rng.randint(0, 86_399))
            seen = visibility()
            if mapping_round is not None and seen == Visibility.ORGANISATION:
                seen = Visibility.REGION  # a need in a round goes to the region
            persons = (
                1 + min(59, int(rng.expovariate(1 / 6)))
                if org.kind != K.COMPANY
                else 1 + min(19, int(rng.expovariate(1 / 2)))
            )
            t = lower(topic.subject)
            title = rng.choice(NEED_TITLES[level]).format(t=t, T=topic.subject)
            wishes = self.wishes()
            description = " ".join(
                part
                for part in [
                    f"Vi har {persons} {'ansatt' if persons == 1 else 'ansatte'} som "
                    + (f"vil ta fagbrev i {t}" if level == FAG else f"trenger kompetanse i {t}")
                    + f" {rng.choice(NEED_REASONS)}.",
                    self.wish_text(wishes),
                    rng.choice(NEED_CONTEXT),
                ]
                if part
            )
            history = self.history(created, creator, region_id, mapping_round)
            last_status, last_time = history[-1][1], history[-1][2]
            need = CompetenceNeed(
                organisation_id=org.pk,
                registered_on_behalf_by_id=on_behalf,
                registered_by_region_id=by_region,
                title=capital(title)[:200],
                description=description,
                field_id=self.fields[code].pk,
                level=level,
                persons=persons,
                municipality_id=org.municipality_id,
                wanted_start=(created + datetime.timedelta(days=rng.randint(30, 400))).date()
                if rng.random() < 0.8
                else None,
                urgency=urgency(),
                contact_person_id=self.contact(org.pk) or self.contact(top.pk),
                visibility=seen,
                status=last_status,
                status_changed_at=last_time,
                created_by_id=creator,
                created_at=created,
                updated_at=last_time,
                version=len(history),
                **wishes,
            )
            needs.append(need)
            histories.append(history)
            tag_links.append(list(topic.tags[: rng.randint(1, 2)]) if topic.tags and rng.random() < 0.4 else [])
            if mapping_round is not None:
                self.round_links[mapping_round.pk].append((org.pk, index, created))
        with explicit_timestamps(CompetenceNeed, NeedStatusChange):
            CompetenceNeed.objects.bulk_create(needs, batch_size=BATCH_SIZE)
            changes = [
                NeedStatusChange(
                    need_id=need.pk,
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason,
                    changed_by_id=user,
                    changed_at=when,
                )
                for need, history in zip(needs, histories, strict=True)
                for from_status, to_status, when, reason, user in history
            ]
            NeedStatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        TagLink = CompetenceNeed.tags.through
        TagLink.objects.bulk_create(
            [
                TagLink(competenceneed_id=need.pk, tag_id=self.tags[name])
                for need, names in zip(needs, tag_links, strict=True)
                for name in names
            ],
            batch_size=BATCH_SIZE,
        )
        self.save_invitations(needs)
        self.result.needs = len(needs)
        self.result.status_changes = len(changes)

    def wishes(self) -> dict:
        rng = self.rng
        return {
            "wants_online": rng.random() < 0.45,
            "wants_local_gatherings": rng.random() < 0.5,
            "wants_workplace": rng.random() < 0.3,
            "campus_acceptable": rng.random() < 0.25,
            "combined_work_education": rng.random() < 0.05,
        }

    @staticmethod
    def wish_text(wishes: dict) -> str:
        parts = []
        if wishes["wants_online"]:
            parts.append("nettbasert undervisning")
        if wishes["wants_local_gatherings"]:
            parts.append("samlinger her i regionen")
        if wishes["wants_workplace"]:
            parts.append("opplæring på arbeidsplassen")
        text = f"Vi ønsker helst {join_words(parts)}." if parts else ""
        if wishes["campus_acceptable"]:
            text += " Undervisning på campus kan også passe."
        if wishes["combined_work_education"]:
            text += " Vi vil gjerne rekruttere folk uten fagutdanning og utdanne dem mens de jobber."
        return text.strip()

    def history(self, created, creator, region_id, mapping_round) -> list[tuple]:
        """(from, to, when, reason, by) rows as need_register and need_change_status write them: one for the
        registration, then one per move along NEXT_STATUSES; a closed round qualified its registered needs."""
        rng = self.rng
        secretary = self.secretary_of_region.get(region_id) or creator
        rows = [("", S.REGISTERED, created, "", creator)]
        status, when = S.REGISTERED, created
        if mapping_round is not None and mapping_round.closed_at is not None:
            if mapping_round.closed_at >= self.now:
                return rows
            when = mapping_round.closed_at + datetime.timedelta(seconds=rng.randint(0, 59))
            rows.append(
                (S.REGISTERED, S.QUALIFIED, when, f"Kartlagt i «{mapping_round.title}».", mapping_round.created_by_id)
            )
            status = S.QUALIFIED
        while rng.random() >= STAY[status]:
            when = when + datetime.timedelta(days=rng.uniform(3, 70))
            if when >= self.now:
                break
            draw = rng.random()
            if status == S.CLOSED:
                to_status = S.REGISTERED
            elif draw < 0.06:
                to_status = S.CLOSED
            elif status == S.QUALIFIED and draw < 0.1:
                to_status = S.REGISTERED
            elif status == S.IN_DIALOGUE and draw < 0.45:
                to_status = S.BEING_ADAPTED
            elif status == S.BEING_ADAPTED and draw < 0.35:
                to_status = S.IN_DIALOGUE
            else:
                to_status = FORWARD[status]
            if to_status == S.CLOSED:
                reason = rng.choice(CLOSE_REASONS)
            else:
                reason = rng.choice(MOVE_REASONS.get(to_status, [""]))
            by = creator if to_status in (S.CLOSED, S.REGISTERED) and rng.random() < 0.5 else secretary
            rows.append((status, to_status, when, reason, by))
            status = to_status
        return rows

    def run(self, marker: str) -> CatalogueResult:
        self.load(marker)
        self.make_tags()
        self.generate_offerings()
        self.generate_rounds()
        self.generate_needs()
        return self.result


def catalogue_generate(*, marker: str, needs: int, offerings: int, seed: int) -> CatalogueResult:
    """Generate needs, offerings and mapping rounds for the organisations marked with `marker`. Call inside
    the national generation's transaction."""
    return CatalogueGenerator(needs=needs, offerings=offerings, seed=seed).run(marker)


def catalogue_reset(*, organisations, regions) -> dict:
    """Delete what catalogue_generate made for these (generated) organisations and regions: mapping rounds
    of the regions (with their invitations and needs-in-round links), invitations of the organisations in other
    rounds, the organisations' needs (with their status history) and offerings. Call before the organisations."""
    deleted = {}
    deleted["rounds"] = MappingRound.objects.filter(region__in=regions).delete()[1].get(MappingRound._meta.label, 0)
    RoundInvitation.objects.filter(organisation__in=organisations).delete()
    deleted["needs"] = (
        CompetenceNeed.objects.filter(organisation__in=organisations).delete()[1].get(CompetenceNeed._meta.label, 0)
    )
    deleted["offerings"] = Offering.objects.filter(provider__in=organisations).delete()[1].get(Offering._meta.label, 0)
    return deleted
