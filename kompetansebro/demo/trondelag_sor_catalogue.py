"""The working part of the Trøndelag Sør demo: competence needs, education offerings and a mapping round.

Without these the small demo is an empty shell; with them a visitor sees a region at work (seed 000): needs
from the municipalities, their departments and the companies the business gardens speak for, at every step of
the life cycle (registered → qualified → presented in the forum → in dialogue → being adapted → running →
fulfilled, and one closed with a reason); a catalogue from the providers in the forum (NTNU Videre, the
vocational college, the upper-secondary schools, a study association); and an open mapping round before the
next forum meeting, where some have answered with needs, one has no needs and the rest have not answered yet.

All text is invented demo content in bokmål; every person named is fictional. Dates are relative to
`timezone.localdate()`, so the demo still makes sense when it is loaded next year: a number is days from
today (negative: in the past), a (month, day) pair is the next such date at least three weeks ahead.

Everything is written through the services with the person who would do it in real life as actor (a contact
person, a business garden, the secretariat, a provider's administrator; the platform administrator for
providers without demo people), so the status history and the audit history tell a believable story.
Idempotent: needs and offerings are found by their stable external id, the round by its title; what exists
is left as it is."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from kompetansebro.accounts.models import User
from kompetansebro.competences.models import CompetenceField
from kompetansebro.competences.models import Level as L
from kompetansebro.geography.models import Municipality, Region
from kompetansebro.mapping.models import MappingRound, RoundInvitation
from kompetansebro.mapping.services import round_mark_answered, round_open, round_register_need
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, Urgency, Visibility
from kompetansebro.needs.services import need_change_status, need_register
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.services import offering_create, offering_set_status
from kompetansebro.organisations.models import Organisation

S = NeedStatus
V = Visibility
U = Urgency
O = OfferingStatus  # noqa: E741 - short like S, V and U above

When = int | tuple[int, int] | None

# Delivery wishes and modes, as the codes of competences.models.DeliveryMode.
NETT, SAMLING, BEDRIFT, CAMPUS, DESENTRAL = "nett", "samlingsbasert", "i_bedrift", "campus", "desentralisert"

# The demo people who act here (see trondelag_sor.PEOPLE).
ADMIN = "admin@kompetansebro.no"
SECRETARIAT = "marte.oyen@trondelagsor.no"
HOLTALEN_ADMIN = "gunn.reitan@holtalen.kommune.no"
HOLTALEN = "siri.lien@holtalen.kommune.no"
ROROS_ADMIN = "anders.haugset@roros.kommune.no"
ROROS = "eirik.bakken@roros.kommune.no"
MIDTRE_GAULDAL = "hilde.forseth@midtre-gauldal.kommune.no"
RENNEBU = "ola.berg@rennebu.kommune.no"
MELHUS = "kristin.lokken@melhus.kommune.no"
OPPDAL = "tor.einar.dahl@oppdal.kommune.no"
RNH = "line.brekken@rorosregionen-naeringshage.no"
NPNH = "jorunn.hoel@nasjonalparken-naeringshage.no"
NTNU = "lars.fossum@ntnu.no"
THYF = "camilla.strand@thyf.no"
SAWMILL = "jonas.vold@hitterdalen-sag.no"

# Who keeps each provider's offerings; providers without demo people are kept by the platform administrator.
PROVIDER_EDITORS = {"ntnu-videre": NTNU, "thyf": THYF}


@dataclass(frozen=True)
class NeedSpec:
    external_id: str
    organisation: str  # key in trondelag_sor.ORGANISATIONS
    registered_by: str  # e-mail of the person who registers it
    title: str
    description: str
    field: str  # code in competences/data/fields.csv
    level: str
    persons: int
    status: str  # where it stands now; reached step by step through need_change_status
    wanted_start: When = None
    delivery: tuple[str, ...] = ()
    combined_work_education: bool = False
    urgency: str = Urgency.MEDIUM
    visibility: str = Visibility.REGION
    contact: str | None = None  # e-mail; defaults to registered_by
    tags: tuple[str, ...] = ()
    on_behalf: bool = False  # registered by the company's business garden (registered_by is the garden's person)
    adapted: bool = True  # on its way to a running offer: through "being adapted" (or straight from dialogue)
    closed_from: str = S.PRESENTED  # for CLOSED: the status it was closed from
    closed_reason: str = ""
    in_round: bool = False  # registered in the open mapping round (stays registered until the round closes)
    public: tuple[str, str] = ("", "")  # a public need's public title and description, written not to name the employer


@dataclass(frozen=True)
class OfferingSpec:
    external_id: str
    provider: str  # key in trondelag_sor.ORGANISATIONS
    title: str
    description: str
    field: str
    level: str
    status: str
    start: When
    delivery: tuple[str, ...]
    credits: str | None = None  # Decimal text
    credit_unit: str = ""
    deadline_days_before: int | None = 45  # application deadline this many days before the start; None: none
    continuous_admission: bool = False
    gatherings: tuple[str, ...] = ()  # municipality numbers
    price: str | None = "0"  # Decimal text, "0" for free of charge
    capacity: int | None = None
    tags: tuple[str, ...] = ()


# fmt: off
NEEDS: list[NeedSpec] = [
    # --- Health and care -------------------------------------------------------------------------------------
    NeedSpec(
        "demo-behov-01", "holtalen-hjemme", HOLTALEN,
        "Helsefagarbeidere gjennom kombinert arbeid og utdanning",
        "Hjemmetjenesten får ikke søkere med fagbrev til ledige stillinger, men har gode assistenter som vil ta "
        "utdanning. Vi ønsker å ansette dem i faste stillinger og la dem ta fagbrev i helsearbeiderfaget mens de "
        "jobber, med teori på nett og samlinger i Holtålen eller på Røros.",
        "helse-og-omsorg", L.TRADE_CERTIFICATE, 4, S.OFFER_RUNNING, wanted_start=-70,
        delivery=(BEDRIFT, SAMLING), combined_work_education=True, urgency=U.HIGH, visibility=V.PUBLIC_ANONYMISED,
        tags=("helsefagarbeider", "fagbrev", "praksiskandidat", "hjemmetjeneste"),
        public=(
            "Fagbrev i helsearbeiderfaget for assistenter i hjemmetjeneste",
            "Fire assistenter i hjemmetjenesten vil ta fagbrev som helsefagarbeidere mens de jobber, med teori "
            "på nett og samlinger i regionen.",
        ),
    ),
    NeedSpec(
        "demo-behov-02", "roros-helse", ROROS_ADMIN,
        "Videreutdanning i demensomsorg for sykepleiere",
        "Andelen beboere med demens øker ved sykehjemmet og i omsorgsboligene. Tre sykepleiere skal bli "
        "ressurspersoner som kan veilede kollegene og følge opp pårørende. Studiet må kunne tas ved siden av "
        "full stilling i turnus.",
        "helse-og-omsorg", L.FURTHER_EDUCATION, 3, S.IN_DIALOGUE, wanted_start=(8, 15),
        delivery=(NETT, SAMLING), tags=("demens", "eldreomsorg", "sykepleie", "pårørende"),
    ),
    NeedSpec(
        "demo-behov-03", "mg-helse", MIDTRE_GAULDAL,
        "Legemiddelhåndtering for assistenter og helsefagarbeidere",
        "Etter et avvik i vår ble det klart at flere ansatte deler ut legemidler uten oppdatert opplæring. Alle "
        "med delegert ansvar skal gjennom et kurs med prøve, helst på arbeidsplassen og med e-læring.",
        "helse-og-omsorg", L.COURSE, 18, S.FULFILLED, wanted_start=-110,
        delivery=(BEDRIFT, NETT), urgency=U.HIGH, tags=("legemiddelhåndtering", "delegering", "pasientsikkerhet"),
    ),
    NeedSpec(
        "demo-behov-04", "kommune-5021", OPPDAL,
        "Velferdsteknologi i hjemmetjenesten",
        "Kommunen tar i bruk digitalt tilsyn og medisindispensere i hjemmene. To ansatte skal bli "
        "velferdsteknologiske veiledere som kan kartlegge behov, sette opp løsningene og lære opp kollegene.",
        "ikt-og-digital-kompetanse", L.FURTHER_EDUCATION, 2, S.BEING_ADAPTED, wanted_start=(1, 18),
        delivery=(NETT,), visibility=V.PUBLIC_ANONYMISED,
        tags=("velferdsteknologi", "digital hjemmeoppfølging", "hjemmetjeneste"),
        public=(
            "Veiledere i velferdsteknologi",
            "To ansatte i helse og omsorg skal lære å kartlegge behov, ta i bruk digitalt tilsyn og "
            "medisindispensere og lære opp kolleger. Helst på nett.",
        ),
    ),
    NeedSpec(
        "demo-behov-05", "kommune-5028", SECRETARIAT,
        "Ledelse i helse- og omsorgstjenestene for nye enhetsledere",
        "Melhus har fått fem nye enhetsledere i helse og omsorg det siste året. De trenger felles grunnlag i "
        "personalledelse, økonomistyring og kvalitetsarbeid. Behovet kom fram på kartleggingsmøtet med "
        "kommunalsjefen og er registrert av sekretariatet.",
        "ledelse-og-administrasjon", L.FURTHER_EDUCATION, 5, S.QUALIFIED, wanted_start=(8, 20),
        delivery=(SAMLING, NETT), contact=MELHUS, tags=("ledelse", "helseledelse", "enhetsleder"),
    ),
    NeedSpec(
        "demo-behov-06", "kommune-5026", HOLTALEN,
        "Videreutdanning i psykisk helse og rusarbeid",
        "Vi har flere brukere med sammensatte utfordringer og få ansatte med fordypning i psykisk helse og rus. "
        "To miljøterapeuter skal ta videreutdanning, helst med samlinger i Gauldal eller Røros.",
        "helse-og-omsorg", L.FURTHER_EDUCATION, 2, S.REGISTERED, wanted_start=(8, 15),
        delivery=(NETT, SAMLING), tags=("psykisk helse", "rus", "miljøterapi"), in_round=True,
    ),
    # --- Childhood and education -----------------------------------------------------------------------------
    NeedSpec(
        "demo-behov-07", "roros-oppvekst", ROROS,
        "Barnehagelærere fra egne assistenter",
        "Barnehagene mangler barnehagelærere, og dispensasjon fra utdanningskravet er blitt vanlig. Flere "
        "erfarne assistenter vil ta barnehagelærerutdanning hvis den kan kombineres med jobben.",
        "oppvekst-og-utdanning", L.BACHELOR, 3, S.PRESENTED, wanted_start=(8, 15),
        delivery=(SAMLING, NETT, BEDRIFT), combined_work_education=True,
        tags=("barnehagelærer", "arbeidsplassbasert", "assistenter"),
    ),
    NeedSpec(
        "demo-behov-08", "holtalen-oppvekst", HOLTALEN_ADMIN,
        "Spesialpedagogikk for lærere i grunnskolen",
        "Skolene i Holtålen har mange elever med vedtak om spesialundervisning og for få lærere med "
        "spesialpedagogisk kompetanse. Fire lærere vil ta 30 studiepoeng ved siden av jobben.",
        "oppvekst-og-utdanning", L.FURTHER_EDUCATION, 4, S.QUALIFIED, wanted_start=(8, 15),
        delivery=(NETT, SAMLING), tags=("spesialpedagogikk", "tilpasset opplæring", "inkludering"),
    ),
    NeedSpec(
        "demo-behov-09", "roros-oppvekst", ROROS,
        "Norsk som andrespråk for lærere i innføringsklassen",
        "Skolen tar imot flere elever med kort botid, og lærerne i innføringsklassen har ikke formell "
        "kompetanse i norsk som andrespråk. To lærere trenger videreutdanning som kan tas på nett.",
        "sprak", L.FURTHER_EDUCATION, 2, S.OFFER_RUNNING, wanted_start=-80,
        delivery=(NETT,), urgency=U.LOW, adapted=False,
        tags=("norsk som andrespråk", "flerspråklige elever", "innføringsklasse"),
    ),
    NeedSpec(
        "demo-behov-10", "kommune-5025", ROROS_ADMIN,
        "Fagbrev i barne- og ungdomsarbeiderfaget for assistenter",
        "Røros vil at assistentene i barnehage og SFO skal ha fagbrev. Seks ansatte har lang erfaring og kan gå "
        "opp som praksiskandidater med teoriundervisning på kveldstid eller nett.",
        "oppvekst-og-utdanning", L.TRADE_CERTIFICATE, 6, S.REGISTERED, wanted_start=(1, 18),
        delivery=(BEDRIFT, SAMLING, NETT), combined_work_education=True, visibility=V.PUBLIC_ANONYMISED,
        tags=("barne- og ungdomsarbeider", "praksiskandidat", "fagbrev", "assistenter"), in_round=True,
        public=(
            "Fagbrev i barne- og ungdomsarbeiderfaget for assistenter",
            "Seks erfarne assistenter i barnehage og SFO vil ta fagbrev som praksiskandidater, med teori på "
            "kveldstid eller nett.",
        ),
    ),
    NeedSpec(
        "demo-behov-11", "kommune-5027", MIDTRE_GAULDAL,
        "Veiledning av lærlinger og studenter i praksis",
        "Kommunen tar imot mange lærlinger og sykepleierstudenter, men veilederne har lite opplæring i "
        "veiledning. Åtte ansatte fra helse og oppvekst trenger en kort videreutdanning i veiledning.",
        "oppvekst-og-utdanning", L.FURTHER_EDUCATION, 8, S.REGISTERED, wanted_start=(1, 18),
        delivery=(NETT, SAMLING), tags=("veiledning", "lærlinger", "praksisveileder"), in_round=True,
    ),
    # --- Leadership, administration, ICT ---------------------------------------------------------------------
    NeedSpec(
        "demo-behov-12", "kommune-5025", ROROS_ADMIN,
        "Oppfølging av sykefravær og krevende personalsaker",
        "Mellomlederne i kommunen ønsker tryggere håndtering av sykefraværsoppfølging og vanskelige "
        "personalsaker. Behovet gjelder kommunens egne ledere og deles foreløpig ikke med regionen.",
        "ledelse-og-administrasjon", L.COURSE, 8, S.REGISTERED, wanted_start=(3, 1),
        delivery=(CAMPUS, NETT), urgency=U.LOW, visibility=V.ORGANISATION,
        tags=("personalledelse", "sykefravær", "arbeidsrett"),
    ),
    NeedSpec(
        "demo-behov-13", "kommune-5022", RENNEBU,
        "Digital saksbehandling og arkiv for merkantilt ansatte",
        "Med nytt sak- og arkivsystem må ti merkantilt ansatte lære journalføring, offentlighet og arkivplan "
        "på nytt. Kurset bør gå på nett slik at servicetorget kan holdes åpent.",
        "ledelse-og-administrasjon", L.COURSE, 10, S.FULFILLED, wanted_start=-150,
        delivery=(NETT,), adapted=False, tags=("arkiv", "saksbehandling", "offentlighet"),
    ),
    NeedSpec(
        "demo-behov-14", "kommune-5027", MIDTRE_GAULDAL,
        "Informasjonssikkerhet og personvern for alle ansatte",
        "Etter et forsøk på dataangrep mot en nabokommune vil vi styrke sikkerhetskulturen. Ledere og "
        "nøkkelpersoner skal ta et kurs i informasjonssikkerhet og risikovurdering, resten en kort e-læring.",
        "ikt-og-digital-kompetanse", L.COURSE, 40, S.OFFER_RUNNING, wanted_start=-20,
        delivery=(NETT,), urgency=U.HIGH, visibility=V.PUBLIC_ANONYMISED, adapted=False,
        tags=("informasjonssikkerhet", "personvern", "risikovurdering"),
        public=(
            "Informasjonssikkerhet og personvern for ansatte i kommunen",
            "Ledere og nøkkelpersoner trenger et kurs i informasjonssikkerhet og risikovurdering; de andre "
            "ansatte en kort e-læring.",
        ),
    ),
    NeedSpec(
        "demo-behov-15", "kommune-5026", HOLTALEN_ADMIN,
        "Truckførerbevis for ansatte i driftsavdelingen",
        "Tre ansatte i drift og vedlikehold skal bruke truck på det nye lageret og må ha dokumentert "
        "opplæring før jul.",
        "transport-og-logistikk", L.CERTIFICATION, 3, S.CLOSED, wanted_start=20,
        delivery=(CAMPUS, BEDRIFT), urgency=U.LOW,
        tags=("truck", "sertifikat", "lager"),
        closed_reason="Løst lokalt: de tre tar kurset hos en opplæringsbedrift i Støren før jul, så behovet "
        "trengs ikke lenger i forumet.",
    ),
    # --- Building, technical services, energy ----------------------------------------------------------------
    NeedSpec(
        "demo-behov-16", "oppdal-teknisk", OPPDAL,
        "Fagbrev for driftsoperatører i vann og avløp",
        "To av fire ansatte ved vannverket og renseanlegget går av med pensjon innen to år. Vi vil ansette "
        "nye uten fagbrev og gi dem fagbrev som driftsoperatør mens de jobber, med teori på nett.",
        "energi-og-miljo", L.TRADE_CERTIFICATE, 2, S.IN_DIALOGUE, wanted_start=21,
        delivery=(BEDRIFT, NETT), combined_work_education=True, urgency=U.HIGH,
        tags=("vann og avløp", "driftsoperatør", "renseanlegg"),
    ),
    NeedSpec(
        "demo-behov-17", "oppdal-teknisk", OPPDAL,
        "Energioppfølging i kommunale bygg",
        "Strømutgiftene for skoler, sykehjem og rådhus har økt kraftig. En driftstekniker skal lære å følge "
        "opp energiforbruket, styre de tekniske anleggene bedre og foreslå tiltak.",
        "energi-og-miljo", L.VOCATIONAL_COLLEGE, 1, S.PRESENTED, wanted_start=(8, 20),
        delivery=(NETT,), urgency=U.LOW, visibility=V.PUBLIC_ANONYMISED,
        tags=("energieffektivisering", "enøk", "byggdrift"),
        public=(
            "Energioppfølging i offentlige bygg",
            "En driftstekniker skal lære å følge opp energibruken i skoler og helsebygg, styre de tekniske "
            "anleggene og foreslå tiltak. Utdanningen må gå på nett.",
        ),
    ),
    # --- Companies, registered by their business garden ------------------------------------------------------
    NeedSpec(
        "demo-behov-18", "hitterdalen-sag", RNH,
        "Fagbrev i trearbeiderfaget for erfarne sagbruksarbeidere",
        "Fem ansatte har jobbet mange år i saga og høvleriet uten fagbrev. Bedriften vil at de tar fagbrev "
        "som praksiskandidater, med teori tilpasset skiftarbeid og samlinger nær Røros.",
        "trearbeid-og-handverk", L.TRADE_CERTIFICATE, 5, S.BEING_ADAPTED, wanted_start=(1, 11),
        delivery=(BEDRIFT, SAMLING), combined_work_education=True, urgency=U.HIGH,
        visibility=V.PUBLIC_ANONYMISED, contact=SAWMILL, on_behalf=True,
        tags=("trearbeider", "sagbruk", "praksiskandidat", "fagbrev"),
        public=(
            "Fagbrev i trearbeiderfaget for erfarne ansatte",
            "Fem erfarne ansatte i treindustrien vil ta fagbrev som praksiskandidater, med teori tilpasset "
            "skiftarbeid og samlinger i regionen.",
        ),
    ),
    NeedSpec(
        "demo-behov-19", "hitterdalen-sag", RNH,
        "Kranførerbevis og stropping for lasting av tømmer",
        "Bedriften har kjøpt en ny lastebilkran og trenger tre ansatte med kranførerbevis og opplæring i "
        "stropping og anhuking før vinterdriften.",
        "transport-og-logistikk", L.CERTIFICATION, 3, S.REGISTERED, wanted_start=18,
        delivery=(BEDRIFT, CAMPUS), urgency=U.HIGH, contact=SAWMILL, on_behalf=True,
        tags=("kran", "stropping", "sertifikat"), in_round=True,
    ),
    NeedSpec(
        "demo-behov-20", "glamos-fjellstue", RNH,
        "Kokkefagbrev for ansatte uten formell utdanning",
        "Fjellstua har to kokker som har lært faget i praksis. De vil ta fagbrev, og bedriften vil bruke "
        "ordningen til å rekruttere flere ungdommer fra bygda.",
        "reiseliv-og-mat", L.TRADE_CERTIFICATE, 2, S.IN_DIALOGUE, wanted_start=(8, 15),
        delivery=(BEDRIFT, SAMLING), combined_work_education=True, on_behalf=True,
        tags=("kokk", "praksiskandidat", "lokalmat"),
    ),
    NeedSpec(
        "demo-behov-21", "alen-fjellmat", RNH,
        "Mattrygghet og HACCP for småskala matproduksjon",
        "Produksjonen av spekemat og ost har vokst, og Mattilsynet har bedt om bedre internkontroll. Tre "
        "ansatte trenger kurs i farevurdering og HACCP.",
        "reiseliv-og-mat", L.COURSE, 3, S.OFFER_RUNNING, wanted_start=-45,
        delivery=(NETT,), on_behalf=True, tags=("haccp", "mattrygghet", "internkontroll"),
    ),
    NeedSpec(
        "demo-behov-22", "haltdalen-snekker", RNH,
        "Tegning og kalkulasjon av trapper og innredning",
        "Verkstedet taper tid på tilbud og arbeidstegninger som lages for hånd. To snekkere vil lære et "
        "tegneprogram og kalkulasjon, gjerne i verkstedet og på nett.",
        "trearbeid-og-handverk", L.COURSE, 2, S.QUALIFIED, wanted_start=(3, 1),
        delivery=(BEDRIFT, NETT), urgency=U.LOW, on_behalf=True, tags=("dataassistert tegning", "kalkulasjon"),
    ),
    NeedSpec(
        "demo-behov-23", "drivdalen-hotell", NPNH,
        "Natur- og friluftsguider med formell kompetanse",
        "Hotellet vil selge guidede turer i nasjonalparken hele året, men har ingen med guideutdanning. To "
        "ansatte kan ta fagskoleutdanning hvis samlingene legges til Oppdal og resten går på nett.",
        "reiseliv-og-mat", L.VOCATIONAL_COLLEGE, 2, S.BEING_ADAPTED, wanted_start=(8, 20),
        delivery=(SAMLING, NETT), combined_work_education=True, visibility=V.PUBLIC_ANONYMISED, on_behalf=True,
        tags=("friluftsguide", "naturguide", "opplevelser"),
        public=(
            "Natur- og friluftsguider med fagskoleutdanning",
            "To ansatte i reiselivet vil ta fagskoleutdanning som natur- og friluftsguider, med samlinger i "
            "regionen og resten på nett.",
        ),
    ),
    NeedSpec(
        "demo-behov-24", "drivdalen-hotell", NPNH,
        "Vertskap og service på engelsk og tysk",
        "Stadig flere gjester kommer fra Tyskland og Nederland. Seks ansatte i resepsjon og servering trenger "
        "et praktisk språkkurs før vintersesongen.",
        "sprak", L.COURSE, 6, S.REGISTERED, wanted_start=25,
        delivery=(NETT, BEDRIFT), urgency=U.LOW, on_behalf=True, tags=("tysk", "engelsk", "vertskap"),
        in_round=True,
    ),
    NeedSpec(
        "demo-behov-25", "lonset-sag", NPNH,
        "Vedlikehold og feilsøking på automatiserte sagbrukslinjer",
        "Saga har fått ny skurlinje med PLS-styring. Én ansatt skal ta fagskoleutdanning i automatisering "
        "for å kunne feilsøke og vedlikeholde linjen uten å vente på leverandøren.",
        "industri-og-produksjon", L.VOCATIONAL_COLLEGE, 1, S.PRESENTED, wanted_start=(8, 20),
        delivery=(NETT, SAMLING), on_behalf=True, tags=("automatisering", "pls", "vedlikehold"),
    ),
    NeedSpec(
        "demo-behov-26", "berkak-trevare", NPNH,
        "Lean og produksjonsstyring i trevareproduksjonen",
        "Bedriften vil korte ned leveringstiden på vinduer og dører. Seks ansatte i produksjonen trenger "
        "opplæring i lean og kontinuerlig forbedring, helst i egen fabrikk.",
        "industri-og-produksjon", L.COURSE, 6, S.QUALIFIED, wanted_start=(2, 1),
        delivery=(BEDRIFT,), urgency=U.LOW, on_behalf=True, tags=("lean", "forbedring", "produksjonsstyring"),
    ),
    NeedSpec(
        "demo-behov-27", "rennebu-gardsmat", NPNH,
        "Ysting og foredling av melk på gården",
        "Tre gårder i Rennebu vil starte egen osteproduksjon. De trenger praktisk opplæring i ysting, "
        "modning og hygiene, med samlinger i bygda.",
        "reiseliv-og-mat", L.COURSE, 3, S.REGISTERED, wanted_start=(3, 1),
        delivery=(SAMLING,), urgency=U.LOW, visibility=V.PUBLIC_ANONYMISED, on_behalf=True,
        tags=("ysting", "ost", "gårdsmat"),
        public=(
            "Ysting og foredling av melk",
            "Tre gårdsbruk vil starte egen osteproduksjon og trenger praktisk opplæring i ysting, modning og "
            "hygiene, med samlinger i nærheten.",
        ),
    ),
]

OFFERINGS: list[OfferingSpec] = [
    # --- NTNU Videre -----------------------------------------------------------------------------------------
    OfferingSpec(
        "demo-tilbud-01", "ntnu-videre", "Psykisk helsearbeid og rusproblematikk",
        "Videreutdanning for ansatte i kommunale helse- og omsorgstjenester som møter mennesker med psykiske "
        "lidelser og rusproblemer. Emnet tar for seg kartlegging, samtalemetodikk, samhandling og "
        "brukermedvirkning. Fire samlinger på Støren, resten på nett.",
        "helse-og-omsorg", L.FURTHER_EDUCATION, O.OPEN, (8, 17), (SAMLING, NETT),
        credits="30", credit_unit="studiepoeng", deadline_days_before=120, gatherings=("5027",), capacity=35,
        tags=("psykisk helse", "rus", "samtalemetodikk"),
    ),
    OfferingSpec(
        "demo-tilbud-02", "ntnu-videre", "Demensomsorg – helhetlig oppfølging av personer med demens",
        "Emnet gir sykepleiere og annet helsepersonell kunnskap om demenssykdommer, miljøbehandling og "
        "samarbeid med pårørende. Undervisningen går på nett med webinarer på kveldstid, og deltakerne gjør "
        "en oppgave fra egen arbeidsplass.",
        "helse-og-omsorg", L.FURTHER_EDUCATION, O.OPEN, (1, 13), (NETT,),
        credits="15", credit_unit="studiepoeng", deadline_days_before=40, price="9800", capacity=40,
        tags=("demens", "eldreomsorg", "pårørende", "miljøbehandling"),
    ),
    OfferingSpec(
        "demo-tilbud-03", "ntnu-videre", "Velferdsteknologi og tjenesteinnovasjon",
        "For ansatte som skal innføre velferdsteknologi i kommunen. Emnet dekker behovskartlegging, "
        "gevinstrealisering, personvern og opplæring av brukere og kolleger. Nettbasert med to digitale "
        "arbeidsseminarer.",
        "ikt-og-digital-kompetanse", L.FURTHER_EDUCATION, O.OPEN, (1, 20), (NETT,),
        credits="7.5", credit_unit="studiepoeng", deadline_days_before=30, price="6500", capacity=50,
        tags=("velferdsteknologi", "digital hjemmeoppfølging", "tjenesteinnovasjon"),
    ),
    OfferingSpec(
        "demo-tilbud-04", "ntnu-videre", "Veiledning i profesjonsutøvelse",
        "Videreutdanning for dem som veileder studenter, lærlinger og nyansatte. Deltakerne lærer "
        "veiledningsmetoder, gir og får veiledning på egen praksis og skriver et refleksjonsnotat. Samlinger "
        "på Røros og nettmøter mellom samlingene.",
        "oppvekst-og-utdanning", L.FURTHER_EDUCATION, O.OPEN, (1, 18), (SAMLING, NETT),
        credits="15", credit_unit="studiepoeng", deadline_days_before=35, gatherings=("5025",), capacity=30,
        tags=("veiledning", "praksisveileder", "lærlinger"),
    ),
    OfferingSpec(
        "demo-tilbud-05", "ntnu-videre", "Spesialpedagogikk 1 – tilpasset opplæring og inkludering",
        "Emnet gir lærere grunnlag for å møte elever med lærevansker, atferdsvansker og sammensatte behov. "
        "Tre samlinger og nettundervisning. Inngår i Kompetanse for kvalitet og er uten studieavgift.",
        "oppvekst-og-utdanning", L.FURTHER_EDUCATION, O.OPEN, (8, 18), (SAMLING, NETT),
        credits="30", credit_unit="studiepoeng", deadline_days_before=140, gatherings=("5021",), capacity=40,
        tags=("spesialpedagogikk", "tilpasset opplæring", "inkludering"),
    ),
    OfferingSpec(
        "demo-tilbud-06", "ntnu-videre", "Norsk som andrespråk for lærere",
        "Videreutdanning for lærere som underviser flerspråklige elever. Emnet tar for seg andrespråkslæring, "
        "kartlegging av norskferdigheter og tilpasset undervisning. Helt nettbasert.",
        "sprak", L.FURTHER_EDUCATION, O.RUNNING, -85, (NETT,),
        credits="30", credit_unit="studiepoeng", deadline_days_before=150, capacity=45,
        tags=("norsk som andrespråk", "flerspråklige elever"),
    ),
    OfferingSpec(
        "demo-tilbud-07", "ntnu-videre", "Arbeidsplassbasert barnehagelærerutdanning",
        "Bachelorutdanning for assistenter og fagarbeidere som vil bli barnehagelærere uten å slutte i jobben. "
        "Studiet går over fire år på deltid med samlinger, nettundervisning og praksis i egen barnehage. "
        "Regionen kan få en egen samlingsgruppe ved nok søkere.",
        "oppvekst-og-utdanning", L.BACHELOR, O.PLANNED, (8, 16), (SAMLING, NETT, BEDRIFT),
        credits="180", credit_unit="studiepoeng", deadline_days_before=125, gatherings=("5027",), capacity=30,
        tags=("barnehagelærer", "arbeidsplassbasert", "assistenter"),
    ),
    OfferingSpec(
        "demo-tilbud-08", "ntnu-videre", "Ledelse i helse- og omsorgstjenesten",
        "For enhetsledere og avdelingsledere i kommunene. Emnet handler om personalledelse, økonomistyring, "
        "kvalitetsforbedring og ledelse av endring. Fire samlinger i Melhus og nettbasert veiledning.",
        "ledelse-og-administrasjon", L.FURTHER_EDUCATION, O.OPEN, (8, 25), (SAMLING, NETT),
        credits="30", credit_unit="studiepoeng", deadline_days_before=130, gatherings=("5028",),
        price="28000", capacity=30, tags=("ledelse", "helseledelse", "enhetsleder", "økonomistyring"),
    ),
    OfferingSpec(
        "demo-tilbud-09", "ntnu-videre", "Informasjonssikkerhet i praksis",
        "Nettbasert emne for ledere og nøkkelpersoner i virksomheter som behandler personopplysninger. "
        "Deltakerne lærer risikovurdering, hendelseshåndtering og krav i personvernregelverket. Løpende opptak.",
        "ikt-og-digital-kompetanse", L.FURTHER_EDUCATION, O.OPEN, 14, (NETT,),
        credits="7.5", credit_unit="studiepoeng", deadline_days_before=None, continuous_admission=True,
        price="7500", tags=("informasjonssikkerhet", "personvern", "risikovurdering"),
    ),
    OfferingSpec(
        "demo-tilbud-10", "ntnu-videre", "Praktisk-pedagogisk utdanning for yrkesfag",
        "For fagarbeidere med fagbrev og yrkeserfaring som underviser, eller vil undervise, i videregående "
        "skole. Utdanningen går over to år på deltid med samlinger og praksis ved egen skole.",
        "oppvekst-og-utdanning", L.FURTHER_EDUCATION, O.PLANNED, (8, 20), (SAMLING, NETT, BEDRIFT),
        credits="60", credit_unit="studiepoeng", deadline_days_before=125, gatherings=("5027",), capacity=25,
        tags=("yrkesfaglærer", "ppu", "pedagogikk"),
    ),
    OfferingSpec(
        "demo-tilbud-11", "ntnu-videre", "Innovasjon og tjenestedesign i kommunene",
        "Emne om hvordan kommuner kan utvikle tjenester sammen med innbyggerne. Kullet er fullt og "
        "gjennomført; emnet blir vurdert på nytt etter evalueringen.",
        "ledelse-og-administrasjon", L.FURTHER_EDUCATION, O.CLOSED, -300, (NETT,),
        credits="7.5", credit_unit="studiepoeng", deadline_days_before=30, price="6500",
        tags=("innovasjon", "tjenestedesign"),
    ),
    # --- Trøndelag høyere yrkesfagskole ----------------------------------------------------------------------
    OfferingSpec(
        "demo-tilbud-12", "thyf", "Automatisering og robotikk – deltid",
        "Fagskoleutdanning for elektrikere, automatikere og industriarbeidere. Emnene dekker PLS, "
        "reguleringsteknikk, instrumentering og feilsøking. Nettundervisning på kveldstid og samlinger i "
        "Oppdal to ganger i semesteret.",
        "industri-og-produksjon", L.VOCATIONAL_COLLEGE, O.OPEN, (8, 24), (NETT, SAMLING),
        credits="60", credit_unit="fagskolepoeng", deadline_days_before=130, gatherings=("5021",), capacity=30,
        tags=("automatisering", "pls", "robotikk", "vedlikehold"),
    ),
    OfferingSpec(
        "demo-tilbud-13", "thyf", "Natur- og friluftsguide",
        "Ettårig fagskoleutdanning på deltid for dem som vil lede turer og opplevelser i fjellet. Sikkerhet, "
        "naturformidling, vertskap og produktutvikling. Samlingene legges til Oppdal og Røros, mye av "
        "praksisen kan tas i egen bedrift.",
        "reiseliv-og-mat", L.VOCATIONAL_COLLEGE, O.PLANNED, (8, 20), (SAMLING, NETT, BEDRIFT),
        credits="60", credit_unit="fagskolepoeng", deadline_days_before=125, gatherings=("5021", "5025"),
        capacity=20, tags=("friluftsguide", "naturguide", "opplevelser", "reiseliv"),
    ),
    OfferingSpec(
        "demo-tilbud-14", "thyf", "Energi og miljø i bygg",
        "Fagskoleutdanning for driftsteknikere og andre som har ansvar for tekniske anlegg i bygg. Emnene "
        "handler om energioppfølging, styring av ventilasjon og varme og miljøvennlig drift. Helt nettbasert.",
        "energi-og-miljo", L.VOCATIONAL_COLLEGE, O.OPEN, (1, 12), (NETT,),
        credits="60", credit_unit="fagskolepoeng", deadline_days_before=30, capacity=35,
        tags=("energieffektivisering", "enøk", "byggdrift", "sd-anlegg"),
    ),
    OfferingSpec(
        "demo-tilbud-15", "thyf", "Ledelse for fagarbeidere",
        "For fagarbeidere som er eller skal bli arbeidsledere. Emnet tar for seg ledelse av team, arbeidsrett, "
        "HMS og økonomi i praksis. Nett og tre samlinger på Støren.",
        "ledelse-og-administrasjon", L.VOCATIONAL_COLLEGE, O.OPEN, (1, 19), (NETT, SAMLING),
        credits="30", credit_unit="fagskolepoeng", deadline_days_before=35, gatherings=("5027",), capacity=30,
        tags=("førstelinjeleder", "arbeidsledelse", "hms"),
    ),
    OfferingSpec(
        "demo-tilbud-16", "thyf", "Helse, aldring og aktiv omsorg",
        "Fagskoleutdanning for helsefagarbeidere i eldreomsorgen. Emnene handler om demens, aktivitet og "
        "livskvalitet, ernæring og samarbeid med pårørende. Nettbasert med samlinger på Røros.",
        "helse-og-omsorg", L.VOCATIONAL_COLLEGE, O.RUNNING, -75, (NETT, SAMLING),
        credits="60", credit_unit="fagskolepoeng", deadline_days_before=120, gatherings=("5025",), capacity=30,
        tags=("eldreomsorg", "aktiv omsorg", "demens", "helsefagarbeider"),
    ),
    OfferingSpec(
        "demo-tilbud-17", "thyf", "Psykisk helse- og rusarbeid for fagarbeidere",
        "Fagskoleutdanning for helsefagarbeidere og barne- og ungdomsarbeidere som jobber med mennesker med "
        "psykiske plager og rusproblemer. Samlinger i Holtålen og undervisning på nett.",
        "helse-og-omsorg", L.VOCATIONAL_COLLEGE, O.OPEN, (8, 19), (NETT, SAMLING),
        credits="60", credit_unit="fagskolepoeng", deadline_days_before=125, gatherings=("5026",), capacity=25,
        tags=("psykisk helse", "rus", "helsefagarbeider"),
    ),
    OfferingSpec(
        "demo-tilbud-18", "thyf", "Treteknikk for sagbruk og trevareindustri",
        "Ny fagskoleutdanning utviklet etter innspill fra bedriftene i regionen. Emnene dekker trelast, "
        "produksjonsteknikk, kvalitet og vedlikehold. Mye av læringen skjer i egen bedrift, med samlinger "
        "på Berkåk.",
        "trearbeid-og-handverk", L.VOCATIONAL_COLLEGE, O.PLANNED, (8, 24), (BEDRIFT, SAMLING, NETT),
        credits="60", credit_unit="fagskolepoeng", deadline_days_before=130, gatherings=("5022",), capacity=20,
        tags=("treteknikk", "sagbruk", "trelast", "produksjonsteknikk"),
    ),
    OfferingSpec(
        "demo-tilbud-19", "thyf", "Lean og kontinuerlig forbedring",
        "Kort fagskoleemne for ansatte i produksjon. Deltakerne kartlegger flyten i egen bedrift, finner sløsing "
        "og gjennomfører et forbedringsprosjekt med veiledning. Nett og veiledning i bedriften.",
        "industri-og-produksjon", L.VOCATIONAL_COLLEGE, O.OPEN, (1, 26), (NETT, BEDRIFT),
        credits="15", credit_unit="fagskolepoeng", deadline_days_before=30, capacity=25,
        tags=("lean", "forbedring", "produksjonsstyring"),
    ),
    OfferingSpec(
        "demo-tilbud-20", "thyf", "Velferdsteknologi for helsefagarbeidere",
        "Emnet gir helsefagarbeidere kompetanse til å ta i bruk og følge opp digitale hjelpemidler hos "
        "brukerne. Nettbasert med løpende opptak; du kan starte når det passer arbeidsplassen.",
        "ikt-og-digital-kompetanse", L.VOCATIONAL_COLLEGE, O.OPEN, 10, (NETT,),
        credits="30", credit_unit="fagskolepoeng", deadline_days_before=None, continuous_admission=True,
        tags=("velferdsteknologi", "digitale hjelpemidler", "helsefagarbeider"),
    ),
    OfferingSpec(
        "demo-tilbud-21", "thyf", "Veiledning av lærlinger og lærekandidater",
        "For instruktører og faglige ledere i bedrifter og kommuner. Emnet handler om opplæringsplaner, "
        "vurdering og veiledningssamtaler. Nettbasert med løpende opptak.",
        "oppvekst-og-utdanning", L.VOCATIONAL_COLLEGE, O.OPEN, 7, (NETT,),
        credits="10", credit_unit="fagskolepoeng", deadline_days_before=None, continuous_admission=True,
        tags=("veiledning", "lærlinger", "instruktør"),
    ),
    OfferingSpec(
        "demo-tilbud-22", "thyf", "Legemiddelhåndtering for helsepersonell uten autorisasjon",
        "Kurs med e-læring og praktisk opplæring på arbeidsplassen, avsluttet med prøve. Gir grunnlag for "
        "delegert ansvar for utdeling av legemidler.",
        "helse-og-omsorg", L.COURSE, O.RUNNING, -100, (NETT, BEDRIFT),
        deadline_days_before=20, price="3500", capacity=60,
        tags=("legemiddelhåndtering", "delegering", "pasientsikkerhet"),
    ),
    # --- Røros videregående skole ----------------------------------------------------------------------------
    OfferingSpec(
        "demo-tilbud-23", "roros-vgs", "Helsearbeiderfaget for voksne i jobb",
        "For assistenter i helse og omsorg som vil ta fagbrev som praksiskandidat. Teori en kveld i uka på nett "
        "og samlinger på Røros og i Holtålen. Løpende opptak; vi tilpasser opplegget til turnus.",
        "helse-og-omsorg", L.TRADE_CERTIFICATE, O.OPEN, (1, 11), (BEDRIFT, SAMLING, NETT),
        deadline_days_before=None, continuous_admission=True, gatherings=("5025", "5026"), capacity=16,
        tags=("helsefagarbeider", "fagbrev", "praksiskandidat", "voksenopplæring"),
    ),
    OfferingSpec(
        "demo-tilbud-24", "roros-vgs", "Barne- og ungdomsarbeiderfaget for voksne",
        "Teorikurs for assistenter i barnehage, skole og SFO som vil gå opp til fagprøve som praksiskandidat. "
        "Undervisning på nett og samlinger på skolen, med veiledning fra egen arbeidsplass.",
        "oppvekst-og-utdanning", L.TRADE_CERTIFICATE, O.OPEN, (1, 18), (NETT, SAMLING, BEDRIFT),
        deadline_days_before=35, gatherings=("5025",), capacity=20,
        tags=("barne- og ungdomsarbeider", "praksiskandidat", "fagbrev"),
    ),
    OfferingSpec(
        "demo-tilbud-25", "roros-vgs", "Kokkfaget for voksne i arbeid",
        "For ansatte på kjøkken i hotell, fjellstuer og institusjoner som vil ta fagbrev. Teori på nett, "
        "praktiske samlinger på skolekjøkkenet og oppfølging i egen bedrift.",
        "reiseliv-og-mat", L.TRADE_CERTIFICATE, O.OPEN, (1, 25), (BEDRIFT, SAMLING, NETT),
        deadline_days_before=40, gatherings=("5025",), capacity=12,
        tags=("kokk", "fagbrev", "praksiskandidat", "restaurant"),
    ),
    OfferingSpec(
        "demo-tilbud-26", "roros-vgs", "Lokalmat fra fjellandbruket – foredling i småskala",
        "Kurs for gårdbrukere og småprodusenter som vil foredle kjøtt, bær og urter. Produktutvikling, "
        "regelverk og merking, med praktiske økter i skolens produksjonskjøkken.",
        "reiseliv-og-mat", L.COURSE, O.PLANNED, (3, 1), (CAMPUS,),
        deadline_days_before=21, gatherings=("5025",), price="4500", capacity=14,
        tags=("lokalmat", "foredling", "småskala", "gårdsmat"),
    ),
    OfferingSpec(
        "demo-tilbud-27", "roros-vgs", "Trearbeiderfaget – teori for praksiskandidater",
        "Teoriopplæring for ansatte i sagbruk og høvleri som vil ta fagbrev i trearbeiderfaget. Nettbasert "
        "med samlinger på Røros; skolen samarbeider med bedriften om opplæringen på arbeidsplassen.",
        "trearbeid-og-handverk", L.TRADE_CERTIFICATE, O.OPEN, (1, 11), (NETT, SAMLING, BEDRIFT),
        deadline_days_before=30, gatherings=("5025",), capacity=12,
        tags=("trearbeider", "sagbruk", "fagbrev", "praksiskandidat"),
    ),
    OfferingSpec(
        "demo-tilbud-28", "roros-vgs", "Mattrygghet og internkontroll i små matbedrifter",
        "Nettkurs om farevurdering, HACCP-planer og dokumentasjon for produsenter av lokalmat og små "
        "serveringssteder. Løpende opptak, to timer veiledning per bedrift.",
        "reiseliv-og-mat", L.COURSE, O.OPEN, 7, (NETT,),
        deadline_days_before=None, continuous_admission=True, price="2900",
        tags=("haccp", "mattrygghet", "internkontroll"),
    ),
    OfferingSpec(
        "demo-tilbud-29", "roros-vgs", "Reiselivsfaget for voksne",
        "For ansatte i overnatting, servering og opplevelser som vil ta fagbrev i reiselivsfaget. Planlagt med "
        "nettundervisning og praksis i egen bedrift fra neste høst.",
        "reiseliv-og-mat", L.TRADE_CERTIFICATE, O.PLANNED, (8, 20), (NETT, BEDRIFT),
        deadline_days_before=120, capacity=15, tags=("reiseliv", "vertskap", "fagbrev"),
    ),
    # --- Oppdal videregående skole ---------------------------------------------------------------------------
    OfferingSpec(
        "demo-tilbud-30", "oppdal-vgs", "Helsefagarbeider – voksenopplæring med samlinger i Oppdal",
        "Kveldsundervisning og samlinger for assistenter i Oppdal og Rennebu som vil ta fagbrev i "
        "helsearbeiderfaget. Kullet som startet i høst er fullt; neste oppstart kunngjøres senere.",
        "helse-og-omsorg", L.TRADE_CERTIFICATE, O.RUNNING, -55, (SAMLING, BEDRIFT),
        deadline_days_before=60, gatherings=("5021", "5022"), capacity=18,
        tags=("helsefagarbeider", "praksiskandidat", "fagbrev"),
    ),
    OfferingSpec(
        "demo-tilbud-31", "oppdal-vgs", "Anleggsmaskinførerfaget for voksne",
        "Teori og praktisk opplæring for maskinførere uten fagbrev. Teorien går på kveldstid, praksis "
        "dokumenteres fra egen arbeidsplass.",
        "bygg-og-anlegg", L.TRADE_CERTIFICATE, O.OPEN, (1, 18), (SAMLING, BEDRIFT),
        deadline_days_before=35, gatherings=("5021",), capacity=14,
        tags=("anleggsmaskinfører", "fagbrev", "praksiskandidat"),
    ),
    OfferingSpec(
        "demo-tilbud-32", "oppdal-vgs", "Tømrerfaget for voksne",
        "For voksne som jobber i byggebransjen uten fagbrev. Teori på samlinger i Oppdal og nett, praksis i "
        "egen bedrift, fram til fagprøve.",
        "bygg-og-anlegg", L.TRADE_CERTIFICATE, O.PLANNED, (8, 18), (SAMLING, NETT, BEDRIFT),
        deadline_days_before=120, gatherings=("5021",), capacity=16,
        tags=("tømrer", "fagbrev", "praksiskandidat"),
    ),
    OfferingSpec(
        "demo-tilbud-33", "oppdal-vgs", "Resepsjon og vertskap for sesongansatte",
        "Kort kurs i service, vertskap, klagehåndtering og bookingsystemer for ansatte i hotell og "
        "overnatting. To kvelder på skolen og en del på nett.",
        "handel-og-service", L.COURSE, O.OPEN, 12, (CAMPUS, NETT),
        deadline_days_before=3, gatherings=("5021",), price="1500", capacity=25,
        tags=("vertskap", "service", "resepsjon"),
    ),
    OfferingSpec(
        "demo-tilbud-34", "oppdal-vgs", "Industrimekanikerfaget for voksne",
        "For ansatte i industri og sagbruk som vedlikeholder maskiner og vil ta fagbrev. Samlinger i Oppdal, "
        "oppgaver fra egen arbeidsplass.",
        "industri-og-produksjon", L.TRADE_CERTIFICATE, O.OPEN, (1, 11), (SAMLING, BEDRIFT),
        deadline_days_before=30, gatherings=("5021",), capacity=12,
        tags=("industrimekaniker", "vedlikehold", "fagbrev"),
    ),
    # --- Gauldal videregående skole --------------------------------------------------------------------------
    OfferingSpec(
        "demo-tilbud-35", "gauldal-vgs", "Elektrikerfaget for voksne",
        "Teoriopplæring for voksne som jobber som elektrikere uten fagbrev. Kveldsundervisning på Støren og "
        "nettbaserte oppgaver, fram til fagprøven.",
        "elektro-og-automasjon", L.TRADE_CERTIFICATE, O.OPEN, (1, 11), (SAMLING, NETT, BEDRIFT),
        deadline_days_before=30, gatherings=("5027",), capacity=16,
        tags=("elektriker", "fagbrev", "praksiskandidat"),
    ),
    OfferingSpec(
        "demo-tilbud-36", "gauldal-vgs", "Agronom for voksne",
        "Landbruksfaglig opplæring for voksne som driver eller skal overta gård. To år på deltid med samlinger "
        "på Støren og i Melhus, med vekt på husdyr, grovfôr og gårdsøkonomi.",
        "landbruk-og-skogbruk", L.UPPER_SECONDARY, O.OPEN, (8, 17), (SAMLING, NETT),
        deadline_days_before=120, gatherings=("5027", "5028"), capacity=24,
        tags=("agronom", "landbruk", "gårdsdrift"),
    ),
    OfferingSpec(
        "demo-tilbud-37", "gauldal-vgs", "Salgsfaget for voksne",
        "For ansatte i butikk og handel som vil ta fagbrev i salgsfaget. Planlagt med nettundervisning og "
        "oppgaver fra egen arbeidsplass.",
        "handel-og-service", L.TRADE_CERTIFICATE, O.PLANNED, (8, 17), (NETT, BEDRIFT),
        deadline_days_before=120, capacity=20, tags=("salg", "butikk", "fagbrev"),
    ),
    # --- Fjellbygd studieforbund -----------------------------------------------------------------------------
    OfferingSpec(
        "demo-tilbud-38", "studieforbund", "Truck- og kranførerkurs",
        "Teori og praktisk opplæring for truck og lastebilkran med stropping og anhuking. Kurset holdes i "
        "Holtålen eller i bedriften når det er nok deltakere, og avsluttes med prøve og kompetansebevis.",
        "transport-og-logistikk", L.CERTIFICATION, O.OPEN, 16, (CAMPUS, BEDRIFT),
        deadline_days_before=5, gatherings=("5026",), price="7900", capacity=12,
        tags=("truck", "kran", "stropping", "sertifikat"),
    ),
    OfferingSpec(
        "demo-tilbud-39", "studieforbund", "Førstehjelp og hjerte-lunge-redning på arbeidsplassen",
        "Praktisk kurs på tre timer som holdes hos dere. Deltakerne øver på hjerte-lunge-redning, bruk av "
        "hjertestarter og førstehjelp ved vanlige skader.",
        "sikkerhet-og-beredskap", L.COURSE, O.OPEN, 7, (BEDRIFT,),
        deadline_days_before=None, continuous_admission=True, price="1200", capacity=15,
        tags=("førstehjelp", "hlr", "beredskap"),
    ),
    OfferingSpec(
        "demo-tilbud-40", "studieforbund", "Norsk for arbeidslivet",
        "Språkkurs for ansatte med et annet morsmål enn norsk, på nivå A2 til B2. Undervisning på nett og "
        "samlinger på Røros og i Oppdal, med ord og situasjoner fra deltakernes egne arbeidsplasser. Gratis "
        "for deltakerne gjennom tilskudd.",
        "sprak", L.COURSE, O.OPEN, 10, (NETT, SAMLING),
        deadline_days_before=None, continuous_admission=True, gatherings=("5025", "5021"), capacity=20,
        tags=("norsk", "arbeidsinnvandrere", "språkopplæring"),
    ),
    OfferingSpec(
        "demo-tilbud-41", "studieforbund", "Digitale ferdigheter for ansatte",
        "Grunnleggende kurs i e-post, digitale skjema, Teams og trygg bruk av nett for ansatte som bruker PC "
        "lite i jobben. Holdes på arbeidsplassen i små grupper.",
        "ikt-og-digital-kompetanse", L.COURSE, O.OPEN, (1, 12), (BEDRIFT, NETT),
        deadline_days_before=14, price="1900", capacity=10,
        tags=("digitale ferdigheter", "grunnleggende ikt"),
    ),
    OfferingSpec(
        "demo-tilbud-42", "studieforbund", "HMS for ledere og verneombud",
        "Den lovpålagte 40-timers opplæringen i arbeidsmiljø for ledere, verneombud og medlemmer av AMU. "
        "Nettbasert med to samlingsdager i Melhus.",
        "sikkerhet-og-beredskap", L.COURSE, O.OPEN, (2, 2), (NETT, SAMLING),
        deadline_days_before=14, gatherings=("5028",), price="5900", capacity=24,
        tags=("hms", "verneombud", "arbeidsmiljø"),
    ),
]
# fmt: on

ROUND_TITLE = "Kartlegging av kompetansebehov før Kompetanseforum Trøndelag Sør"
ROUND_DESCRIPTION = (
    "Meld inn behovene virksomheten har for etter- og videreutdanning det neste året: hva slags kompetanse, hvor "
    "mange, ønsket nivå og oppstart, og om dere vil ansette folk uten formell kompetanse og gi dem utdanning i "
    "jobben. Næringshagene melder inn for bedriftene de følger opp. Behovene legges fram for tilbyderne på neste "
    "møte i Kompetanseforum Trøndelag Sør. Har dere ingen nye behov denne gangen, svar «ingen behov»."
)
ROUND_DEADLINE_DAYS = 24
ROUND_OPENED_BY = SECRETARIAT
ROUND_INVITED = [
    "kommune-5026",
    "kommune-5025",
    "kommune-5027",
    "kommune-5022",
    "kommune-5028",
    "kommune-5021",
    "hitterdalen-sag",
    "glamos-fjellstue",
    "haltdalen-snekker",
    "drivdalen-hotell",
    "berkak-trevare",
]
# Invited organisations that answer "no needs this time": organisation key -> (who answers, note).
ROUND_NO_NEEDS = {
    "kommune-5022": (
        RENNEBU,
        "Ingen nye behov denne gangen. Behovet for digital saksbehandling er dekket, og vi melder inn igjen til våren.",
    ),
}

# The reasons the secretariat (or the owner) gives for each step, as they appear in the status history.
STEP_REASONS = {
    S.QUALIFIED: "Avklart med kontaktpersonen: antall personer, nivå og ønsket oppstart er kvalitetssikret.",
    S.PRESENTED: "Lagt fram for tilbyderne i Kompetanseforum Trøndelag Sør.",
    S.IN_DIALOGUE: "Tilbyderne har meldt interesse; sekretariatet følger opp dialogen med virksomheten.",
    S.BEING_ADAPTED: "Tilbyderen tilpasser et eksisterende tilbud med nettundervisning og samlinger i regionen.",
    S.OFFER_RUNNING: "Tilbudet er i gang med deltakere fra virksomheten.",
    S.FULFILLED: "Deltakerne har fullført, og behovet er dekket.",
}
_MAIN_PATH = [S.REGISTERED, S.QUALIFIED, S.PRESENTED, S.IN_DIALOGUE, S.BEING_ADAPTED, S.OFFER_RUNNING, S.FULFILLED]
_OFFERING_PATHS = {
    O.PLANNED: [],
    O.OPEN: [O.OPEN],
    O.RUNNING: [O.OPEN, O.RUNNING],
    O.CLOSED: [O.OPEN, O.RUNNING, O.CLOSED],
}


def status_path(spec: NeedSpec) -> list[str]:
    """The moves after registration that bring the need to spec.status, one step of NEXT_STATUSES each."""
    if spec.status == S.CLOSED:
        return [*status_path(dataclasses.replace(spec, status=spec.closed_from)), S.CLOSED]
    path = _MAIN_PATH[1 : _MAIN_PATH.index(spec.status) + 1]
    if not spec.adapted and S.BEING_ADAPTED in path and spec.status != S.BEING_ADAPTED:
        path.remove(S.BEING_ADAPTED)
    return path


def resolve_date(when: When, today: datetime.date) -> datetime.date | None:
    """A number: that many days from today. (month, day): the next such date at least three weeks ahead."""
    if when is None:
        return None
    if isinstance(when, int):
        return today + datetime.timedelta(days=when)
    month, day = when
    candidate = datetime.date(today.year, month, day)
    if candidate < today + datetime.timedelta(days=21):
        candidate = datetime.date(today.year + 1, month, day)
    return candidate


def application_deadline(spec: OfferingSpec, start: datetime.date | None, today: datetime.date):
    """The deadline the spec asks for; for offerings one can still apply to, never in the past."""
    if spec.deadline_days_before is None or start is None:
        return None
    deadline = start - datetime.timedelta(days=spec.deadline_days_before)
    if spec.status in (O.OPEN, O.PLANNED) and deadline < today:
        deadline = min(start, today + datetime.timedelta(days=14))
    return deadline


@dataclass
class CatalogueResult:
    needs_created: int = 0
    offerings_created: int = 0
    rounds_created: int = 0


class _People:
    """The demo people by e-mail, each read once."""

    def __init__(self):
        self._by_email: dict[str, User] = {}

    def __getitem__(self, email: str) -> User:
        key = email.lower()
        if key not in self._by_email:
            self._by_email[key] = User.objects.get(email__iexact=email)
        return self._by_email[key]


def _need_data(spec: NeedSpec, fields: dict, people: _People, organisation: Organisation, today) -> dict:
    return {
        "external_id": spec.external_id,
        "title": spec.title,
        "description": spec.description,
        "field": fields[spec.field],
        "level": spec.level,
        "persons": spec.persons,
        "municipality": organisation.municipality,
        "wants_online": NETT in spec.delivery,
        "wants_local_gatherings": SAMLING in spec.delivery,
        "wants_workplace": BEDRIFT in spec.delivery,
        "campus_acceptable": CAMPUS in spec.delivery,
        "combined_work_education": spec.combined_work_education,
        "wanted_start": resolve_date(spec.wanted_start, today),
        "urgency": spec.urgency,
        "contact_person": people[spec.contact or spec.registered_by],
        "visibility": spec.visibility,
        "public_title": spec.public[0],
        "public_description": spec.public[1],
        "tags": list(spec.tags),
    }


def _move_through_life_cycle(need: CompetenceNeed, spec: NeedSpec, people: _People) -> None:
    """The secretariat moves the need forward; the owner marks it fulfilled or withdraws it."""
    secretariat, owner = people[SECRETARIAT], people[spec.registered_by]
    for status in status_path(spec):
        if status == S.CLOSED:
            need_change_status(actor=owner, need=need, to_status=status, reason=spec.closed_reason)
        elif status == S.FULFILLED:
            need_change_status(actor=owner, need=need, to_status=status, reason=STEP_REASONS[status])
        else:
            need_change_status(actor=secretariat, need=need, to_status=status, reason=STEP_REASONS[status])


def _load_offerings(organisations, people: _People, fields, today, result: CatalogueResult) -> None:
    providers = [organisations[key] for key in {spec.provider for spec in OFFERINGS}]
    existing = set(
        Offering.objects.filter(provider__in=providers, external_id__startswith="demo-tilbud-").values_list(
            "provider_id", "external_id"
        )
    )
    numbers = {number for spec in OFFERINGS for number in spec.gatherings}
    municipalities = {m.number: m for m in Municipality.objects.filter(number__in=numbers)}
    for spec in OFFERINGS:
        provider = organisations[spec.provider]
        if (provider.pk, spec.external_id) in existing:
            continue
        actor = people[PROVIDER_EDITORS.get(spec.provider, ADMIN)]
        start = resolve_date(spec.start, today)
        offering = offering_create(
            actor=actor,
            provider=provider,
            data={
                "external_id": spec.external_id,
                "title": spec.title,
                "description": spec.description,
                "field": fields[spec.field],
                "level": spec.level,
                "credits": Decimal(spec.credits) if spec.credits is not None else None,
                "credit_unit": spec.credit_unit,
                "delivery_campus": CAMPUS in spec.delivery,
                "delivery_gatherings": SAMLING in spec.delivery,
                "delivery_online": NETT in spec.delivery,
                "delivery_decentralised": DESENTRAL in spec.delivery,
                "delivery_workplace": BEDRIFT in spec.delivery,
                "continuous_admission": spec.continuous_admission,
                "start_date": start,
                "application_deadline": application_deadline(spec, start, today),
                "price": Decimal(spec.price) if spec.price is not None else None,
                "capacity": spec.capacity,
                "language": "nb",
                "status": O.PLANNED,
                "tags": list(spec.tags),
                "gathering_locations": [municipalities[number] for number in spec.gatherings],
            },
        )
        for status in _OFFERING_PATHS[spec.status]:
            offering_set_status(actor=actor, offering=offering, status=status)
        result.offerings_created += 1


def _register_need(spec, organisations, people, fields, today, *, mapping_round=None) -> CompetenceNeed:
    organisation = organisations[spec.organisation]
    garden = organisation.represented_by if spec.on_behalf else None
    data = _need_data(spec, fields, people, organisation, today)
    actor = people[spec.registered_by]
    if mapping_round is not None:
        return round_register_need(
            actor=actor, round=mapping_round, organisation=organisation, data=data, registered_on_behalf_by=garden
        )
    return need_register(actor=actor, organisation=organisation, data=data, registered_on_behalf_by=garden)


def _existing_needs(organisations) -> set[tuple[int, str]]:
    return set(
        CompetenceNeed.objects.filter(
            organisation__in=[organisations[key] for key in {spec.organisation for spec in NEEDS}],
            external_id__startswith="demo-behov-",
        ).values_list("organisation_id", "external_id")
    )


def _load_needs(organisations, people, fields, today, result: CatalogueResult) -> None:
    """The needs outside the round, each moved to where it stands now."""
    existing = _existing_needs(organisations)
    for spec in NEEDS:
        if spec.in_round or (organisations[spec.organisation].pk, spec.external_id) in existing:
            continue
        need = _register_need(spec, organisations, people, fields, today)
        _move_through_life_cycle(need, spec, people)
        result.needs_created += 1


def _load_round(region: Region, organisations, people, fields, today, result: CatalogueResult) -> None:
    """The open round: opened and found by its title. Only a round created now gets its answers; a round that
    is already there (perhaps closed by someone trying the demo) is left as it is."""
    if MappingRound.objects.filter(region=region, title=ROUND_TITLE).exists():
        return
    mapping_round = round_open(
        actor=people[ROUND_OPENED_BY],
        region=region,
        title=ROUND_TITLE,
        description=ROUND_DESCRIPTION,
        deadline=today + datetime.timedelta(days=ROUND_DEADLINE_DAYS),
        organisations=[organisations[key] for key in ROUND_INVITED],
    )
    result.rounds_created += 1
    existing = _existing_needs(organisations)
    for spec in NEEDS:
        if not spec.in_round or (organisations[spec.organisation].pk, spec.external_id) in existing:
            continue
        _register_need(spec, organisations, people, fields, today, mapping_round=mapping_round)
        result.needs_created += 1
    for key, (email, note) in ROUND_NO_NEEDS.items():
        invitation = RoundInvitation.objects.get(round=mapping_round, organisation=organisations[key])
        round_mark_answered(actor=people[email], invitation=invitation, note=note)


def load_catalogue(*, organisations: dict[str, Organisation], region: Region) -> CatalogueResult:
    """Create whatever of the needs, offerings and mapping round is missing. `organisations` maps the keys of
    trondelag_sor.ORGANISATIONS to the organisations; call inside the demo's transaction."""
    result = CatalogueResult()
    today = timezone.localdate()
    people = _People()
    fields = {field.code: field for field in CompetenceField.objects.all()}
    _load_offerings(organisations, people, fields, today, result)
    _load_needs(organisations, people, fields, today, result)
    _load_round(region, organisations, people, fields, today, result)
    return result
