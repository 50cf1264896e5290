"""Grants and projects in the Trøndelag Sør demo (seeds 000, 001 and 004).

1. The Kompetansepilot chain: the national scheme "Kompetansepiloter" (KMD's money, run by Kompetanse Norge)
   passed down to "Kompetansepilot Trøndelag" (Trøndelag fylkeskommune): target centrality classes 5 and 6, at
   most 70 % grant, in-kind hours counted at kr 750, a report template with an economic report. Its round
   allocates to the three sub-pilots of seed 001 (Namdalen, Trøndelag Sør, Fosen), adopted by the county with a
   note (no forum decides it), with payments: paid instalments, one approved, and planned ones.
2. Trøndelag Sør's project "Utdanning i bedrift med desentraliserte utdanningsprogram" (seed 000): owned by the
   regional council, led by the secretariat's adviser, with steering, working and reference groups from the
   forums' members, the overall goal and result goals RM1–RM3 with the seed's planned activities, activities on
   the seed's timeline (autumn 2020 – autumn 2023) moved to a three-year period around today, the seed's budget
   (kr 600 000) and financing (kr 450 000 from KMD via the county, linked to the allocation; kr 150 000 as 200
   in-kind hours × kr 750). The co-financing check therefore shows the seed's own problem: own share 25,0 %,
   below the 30 % the scheme requires. Actual costs so far, risks, status reports twice a year (those already
   due are filled in and submitted, the next one is waiting), and the project leader's yearly orientation to
   Kompetanseforum Trøndelag Sør as a follow-up task at its upcoming meeting.
3. DEKOM (seed 004): the State Governor's scheme (Utdanningsdirektoratet's money) with the four questions, the
   annual wheel of the current cycle (seminar 4–5 February, priority lists due 20 March, the collaboration forum
   decides, payments late June, reports, the autumn meeting, and the networks' analysis October–March for the
   next year), and a round of kr 3 000 000 with the DEKOM forum deciding. Three competence networks have sent
   ranked lists (theme = what, order = who): one was changed after it was submitted, one came after the
   deadline. The secretariat's proposal is built by the service within the frame and left proposed, so the
   forum case, the decision and the adoption can be tried in the browser. The collaboration forum decides some
   weeks after the deadline here (the seed has both on 20 March), so a late list can still reach it.

Everything goes through the services with the people who would do it, so the history is real; steps in the past
run with the clock set back (`forums._clock`). The DEKOM cycle is the latest one whose deadline and proposal lie
in the past: this year's from 27 March, last year's before that.

Idempotent: organisations are found by organisation number, people by e-mail, schemes and the project by their
short name; a part that exists is left as it is. Call after load_trondelag_sor and load_forums, with e-mail
discarded (the invitations go to fictional people).

    load_grants()
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import log_action
from kompetansebro.demo import trondelag_sor
from kompetansebro.demo.forums import ADMIN, CHAIR, COMPETENCE_FORUM, DEKOM, SECRETARIAT, _at, _clock
from kompetansebro.demo.trondelag_sor import COUNTY_NUMBER, DEMO_PASSWORD, REGION_CODE, OrgSpec, PersonSpec
from kompetansebro.forums.models import Forum, Meeting
from kompetansebro.geography.models import Municipality, Region, RegionKind
from kompetansebro.grants.models import (
    Allocation,
    AllocationStatus,
    GrantRound,
    GrantScheme,
    PaymentKind,
    PaymentStatus,
    PriorityList,
    WheelStepKind,
)
from kompetansebro.grants.services.allocations import allocation_create, allocation_propose, allocations_adopt
from kompetansebro.grants.services.payments import payment_create, payment_update
from kompetansebro.grants.services.priorities import (
    ItemInput,
    priority_list_create,
    priority_list_save,
    priority_list_submit,
)
from kompetansebro.grants.services.schemes import question_add, round_create, scheme_create
from kompetansebro.grants.services.wheel import step_create
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.organisations.models import Membership, MembershipRole, Organisation, OrganisationKind
from kompetansebro.organisations.services import membership_add as organisation_membership_add
from kompetansebro.organisations.services import organisation_create
from kompetansebro.projects.models import (
    ActivityStatus,
    CostCategory,
    FinancingKind,
    Project,
    ProjectGroup,
    ProjectStatus,
    StatusReport,
)
from kompetansebro.projects.services.economy import budget_line_add, cost_add, financing_add
from kompetansebro.projects.services.plan import activity_create, activity_update, goal_create, goal_update, risk_create
from kompetansebro.projects.services.projects import membership_add as project_membership_add
from kompetansebro.projects.services.projects import project_create
from kompetansebro.projects.services.reports import (
    economic_summary,
    orientation_task_create,
    report_questions,
    report_schedule,
    report_submit,
    report_update,
)

K = OrganisationKind
NOK = Decimal

NATIONAL_SCHEME = "kompetansepiloter"
COUNTY_SCHEME = "kompetansepilot-trondelag"
DEKOM_SCHEME = "dekom-trondelag"
PROJECT = "utdanning-i-bedrift"

COUNTY_PILOT = "solveig.kvernmo@trondelagfylke.no"
STATE_GOVERNOR = "elin.hovde@statsforvalteren.no"
NETWORK = "tone.ronning@midtre-gauldal.kommune.no"
NAMDAL_NETWORK = "per.arne.lund@namsos.kommune.no"
INNHERRED_NETWORK = "guri.skjaervold@levanger.kommune.no"

# Organisations the rest of the demo does not have: Kompetanse Norge, the other two sub-pilots' regional
# councils, DEKOM's competence networks and the school owners on their lists outside Trøndelag Sør.
ORGANISATIONS: list[OrgSpec] = [
    OrgSpec(
        "kompetanse-norge",
        "Kompetanse Norge",
        K.OTHER,
        "0301",
        description="Direktorat for livslang læring. Forvalter tilskuddsordningen Kompetansepiloter for KMD.",
    ),
    OrgSpec(
        "namdal-rad",
        "Namdal regionråd",
        K.REGIONAL_COUNCIL,
        "5007",
        description="Interkommunalt politisk råd i Namdalen; delpilot Namdalen i Kompetansepilot Trøndelag.",
    ),
    OrgSpec(
        "fosen-rad",
        "Fosen regionråd",
        K.REGIONAL_COUNCIL,
        "5054",
        description="Interkommunalt politisk råd på Fosen; delpilot Fosen i Kompetansepilot Trøndelag.",
    ),
    OrgSpec(
        "knett-trondelag-sor",
        "Kompetansenettverk Trøndelag sør",
        K.OTHER,
        "5027",
        description="Skoleeiernes kompetansenettverk i DEKOM for kommunene i Trøndelag sør.",
    ),
    OrgSpec(
        "knett-namdal",
        "Kompetansenettverk Namdal",
        K.OTHER,
        "5007",
        description="Skoleeiernes kompetansenettverk i DEKOM for kommunene i Namdalen.",
    ),
    OrgSpec(
        "knett-innherred",
        "Kompetansenettverk Innherred",
        K.OTHER,
        "5037",
        description="Skoleeiernes kompetansenettverk i DEKOM for kommunene på Innherred.",
    ),
    OrgSpec("kommune-5007", "Namsos kommune", K.MUNICIPALITY, "5007"),
    OrgSpec("kommune-5045", "Grong kommune", K.MUNICIPALITY, "5045"),
    OrgSpec("kommune-5037", "Levanger kommune", K.MUNICIPALITY, "5037"),
    OrgSpec("kommune-5038", "Verdal kommune", K.MUNICIPALITY, "5038"),
    OrgSpec("kommune-5053", "Inderøy kommune", K.MUNICIPALITY, "5053"),
]

LOGINS: list[PersonSpec] = [
    PersonSpec(
        "Kompetansepilot Trøndelag, county",
        "Solveig Kvernmo",
        COUNTY_PILOT,
        "Prosjektleder Kompetansepilot Trøndelag",
        "manages the Kompetansepilot Trøndelag scheme: its round, the sub-pilots' allocations and payments",
        memberships=(("tfk", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "DEKOM, State Governor",
        "Elin Hovde",
        STATE_GOVERNOR,
        "Seniorrådgiver, utdanningsavdelingen",
        "manages the DEKOM scheme, its annual wheel and round: the priority lists and the allocation proposal",
        memberships=(("sf", MembershipRole.ADMIN),),
    ),
    PersonSpec(
        "Network, Kompetansenettverk Trøndelag sør",
        "Tone Rønning",
        NETWORK,
        "Koordinator, Kompetansenettverk Trøndelag sør",
        "submits the network's DEKOM priority list (no other rights)",
        memberships=(("knett-trondelag-sor", MembershipRole.MEMBER),),
    ),
]

# The other networks' coordinators: invited like any new person, without a demo password.
INVITED: list[tuple[str, str, str]] = [
    ("Per Arne Lund", NAMDAL_NETWORK, "knett-namdal"),
    ("Guri Skjærvold", INNHERRED_NETWORK, "knett-innherred"),
]

QUESTION_HELP = "Svar kort, med eksempler fra perioden."

COUNTY_QUESTIONS = [
    (
        "Hvilke aktiviteter er gjennomført i perioden, og følger prosjektet tidsplanen?",
        "Vis til resultatmålene (RM1, RM2 …) og si hva som eventuelt er forsinket og hvorfor.",
    ),
    (
        "Hvilke virksomheter og kommuner er mobilisert, og hvilke kompetansebehov er avdekket?",
        "Antall virksomheter og kommuner, og de viktigste behovene.",
    ),
    (
        "Hvilke etter- og videreutdanningstilbud er koblet til behovene eller tilpasset (digital undervisning, "
        "løpende opptak, samlinger i nærmiljøet)?",
        "",
    ),
    (
        "Hvilke erfaringer og modeller kan overføres til andre regioner og til Kompetanseforum Trøndelag?",
        "",
    ),
]

DEKOM_QUESTIONS = [
    ("Hvordan sikrer dere lokal forankring av utviklingstiltakene?", QUESTION_HELP),
    ("Hvordan hindrer dere fragmentering av utviklingstiltakene?", QUESTION_HELP),
    ("Har utviklingstiltakene en skolebasert tilnærming?", QUESTION_HELP),
    ("Hvordan ivaretas elevstemmen i planlegging og evaluering av tiltakene?", QUESTION_HELP),
]

# The sub-pilots of seed 001 and what the county allocates to each (the seed gives Trøndelag Sør's kr 450 000).
SUB_PILOTS = [
    ("namdal-rad", "Delpilot Namdalen: kompetansemegling for små bedrifter", NOK("500000")),
    ("ts-rad", "Delpilot Trøndelag Sør: Utdanning i bedrift med desentraliserte utdanningsprogram", NOK("450000")),
    ("fosen-rad", "Delpilot Fosen: fleksible utdanningsløp for industri og havbruk", NOK("500000")),
]
COUNTY_FRAME = NOK("1500000")

PROJECT_NAME = "Utdanning i bedrift med desentraliserte utdanningsprogram"
OVERALL_GOAL = (
    "En modell som gjør det mulig for bedrifter i regionen å samarbeide om utvikling av digitaliserte og "
    "desentraliserte utdanningsløp med løpende opptak. Utdanningen skal i all hovedsak kunne gjennomføres i "
    "bedrift; samlinger, i den grad det er behov, foregår i nærmiljøet.\n\n"
    "Modellen skal gjøre det mulig for bedrifter å rekruttere ansatte til kombinert arbeid og utdanning i bedrift, "
    "uten å være avhengige av at kandidaten allerede har riktig kompetanse for stillingen."
)
PROJECT_DESCRIPTION = (
    "Trøndelag Sørs delprosjekt i Kompetansepilot Trøndelag. Kommunene og næringsapparatet (Rørosregionen "
    "Næringshage, Nasjonalparken Næringshage og Næringsforeningen i Trondheimsregionen) kartlegger behovene og "
    "legger dem fram for tilbyderne (de videregående skolene, Trøndelag høyere yrkesfagskole og NTNU Videre) i "
    "Kompetanseforum Trøndelag Sør. Tilbyderne tilpasser eksisterende studieløp med digital undervisning, "
    "løpende opptak og samlinger i nærmiljøet. Resultatet er en todelt modell for utvikling av desentraliserte "
    "utdanningsløp, som forumet bruker også etter prosjektperioden.\n\n"
    "Egenandelen (30 %) dekkes som egeninnsats: timeinnsats fra deltakerne i Kompetanseforum Trøndelag Sør."
)
# Needs asking for combined work and education in a company: the group the project starts from.
PROJECT_NEEDS = ("demo-behov-18", "demo-behov-20", "demo-behov-23")


@dataclass(frozen=True)
class GoalSpec:
    code: str
    text: str
    planned: str
    done: str  # written when the goal's first phase is over
    results: str


GOALS = [
    GoalSpec(
        "RM1",
        "Behovene for kombinert arbeid og utdanning i bedrifter og kommunale virksomheter i regionen er "
        "kartlagt og lagt fram for tilbyderne i Kompetanseforum Trøndelag Sør.",
        "Prosjektet forankres i rådet og kommunedirektørutvalget. Kommuner og næringsapparat kartlegger behov i "
        "egne og tilknyttede virksomheter. Behovene legges fram og drøftes med tilbyderne i Kompetanseforum "
        "Trøndelag Sør, som fast sak på møtene.",
        "Næringshagene og kommunalsjefene har besøkt 34 virksomheter. Behovene er lagt fram i tre møter i "
        "Kompetanseforum Trøndelag Sør.",
        "19 virksomheter ønsker å rekruttere til kombinert arbeid og utdanning, flest innen trearbeid, reiseliv "
        "og helse.",
    ),
    GoalSpec(
        "RM2",
        "Tilbyderne har tilpasset eller utviklet desentraliserte utdanningsløp med digital undervisning, løpende "
        "opptak og samlinger i nærmiljøet, og de første deltakerne er i gang.",
        "Tilbyderne undersøker i egen organisasjon hvordan eksisterende studieløp kan tilpasses. Etterspørrere og "
        "tilbydere utformer utdanningsløpene sammen, også mellom forumets møter. Utdanningsløpene settes i gang.",
        "",
        "",
    ),
    GoalSpec(
        "RM3",
        "En todelt modell for regionalt samarbeid om desentraliserte utdanningsløp er beskrevet i en veileder og "
        "tatt i bruk i Kompetanseforum Trøndelag Sør.",
        "Kompetanseforum Trøndelag Sør lager en veileder for regionalt samarbeid; tilbyderne lager en veileder for "
        "utvikling av desentraliserte utdanningsløp. Erfaringene beskrives i en sluttrapport og presenteres i "
        "Kompetanseforum Trøndelag.",
        "",
        "",
    ),
]


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    goal: str
    start: tuple[int, int, int]  # (years after the project's start year, month, day)
    end: tuple[int, int, int]
    person: str
    organisation: str


ACTIVITIES = [
    ActivitySpec("Forankring i rådet og kommunedirektørutvalget", "RM1", (0, 9, 1), (0, 12, 31), SECRETARIAT, "ts-rad"),
    ActivitySpec(
        "Kommuner og næringsapparat kartlegger behov for kombinert arbeid og utdanning",
        "RM1",
        (0, 10, 1),
        (1, 6, 30),
        "jorunn.hoel@nasjonalparken-naeringshage.no",
        "npnh",
    ),
    ActivitySpec(
        "Behovene legges fram og drøftes med tilbyderne i Kompetanseforum Trøndelag Sør",
        "RM1",
        (1, 1, 1),
        (1, 6, 30),
        SECRETARIAT,
        "ts-rad",
    ),
    ActivitySpec(
        "Tilbyderne undersøker hvordan eksisterende studieløp kan tilpasses",
        "RM2",
        (1, 3, 1),
        (1, 12, 31),
        "camilla.strand@thyf.no",
        "thyf",
    ),
    ActivitySpec(
        "Tilbydere og etterspørrere utvikler desentraliserte utdanningsløp sammen",
        "RM2",
        (1, 8, 1),
        (2, 6, 30),
        "lars.fossum@ntnu.no",
        "ntnu-videre",
    ),
    ActivitySpec(
        "De desentraliserte utdanningsløpene settes i gang",
        "RM2",
        (2, 8, 1),
        (3, 6, 30),
        "astrid.nygard@roros.vgs.no",
        "roros-vgs",
    ),
    ActivitySpec(
        "Veileder for regionalt samarbeid om desentraliserte utdanningsløp, og sluttrapport",
        "RM3",
        (3, 1, 1),
        (3, 8, 31),
        SECRETARIAT,
        "ts-rad",
    ),
    ActivitySpec(
        "Resultatene presenteres i Kompetanseforum Trøndelag", "RM3", (3, 6, 1), (3, 8, 31), SECRETARIAT, "ts-rad"
    ),
]

# Seed 000's budget: kr 600 000.
BUDGET = [
    (CostCategory.HOURS, "Timebruk (planlegging, samarbeid, utvikling)", NOK("500000")),
    (CostCategory.TRAVEL, "Reisevirksomhet", NOK("15000")),
    (CostCategory.MEETINGS, "Møtevirksomhet (servering o.l.)", NOK("15000")),
    (CostCategory.DIGITAL_EQUIPMENT, "Digitalt utstyr (tilfaller tilbydere)", NOK("70000")),
]
GRANT = NOK("450000")
IN_KIND_HOURS = NOK("200")
HOURLY_RATE = NOK("750")  # 200 hours × kr 750 = kr 150 000, the seed's own contribution

# (years after the start year, month, day, budget category, description, amount); only those in the past.
COSTS = [
    (0, 11, 20, CostCategory.MEETINGS, "Servering, møte i Kompetanseforum Trøndelag Sør", NOK("2850")),
    (0, 12, 15, CostCategory.HOURS, "Faktura Nasjonalparken Næringshage: kartlegging av behov", NOK("46800")),
    (1, 1, 31, CostCategory.HOURS, "Faktura Rørosregionen Næringshage: kartlegging og bedriftsbesøk", NOK("39000")),
    (1, 2, 10, CostCategory.TRAVEL, "Reise til samling for delpilotene i Steinkjer", NOK("3640")),
    (1, 4, 15, CostCategory.DIGITAL_EQUIPMENT, "Videokonferanseutstyr til Røros videregående skole", NOK("27900")),
    (
        1,
        6,
        20,
        CostCategory.HOURS,
        "Faktura Næringsforeningen i Trondheimsregionen: kartlegging i Midtre Gauldal og Melhus",
        NOK("31500"),
    ),
    (1, 9, 25, CostCategory.MEETINGS, "Servering, fagdag om utdanning i bedrift på Berkåk", NOK("4300")),
    (1, 12, 15, CostCategory.HOURS, "Faktura Trøndelag høyere yrkesfagskole: tilpasning av emne", NOK("58000")),
    (2, 3, 5, CostCategory.TRAVEL, "Reiser, samlinger for studentene i Oppdal", NOK("5120")),
    (2, 8, 20, CostCategory.DIGITAL_EQUIPMENT, "Opptaksutstyr til NTNU Videres emner på nett", NOK("24500")),
]

RISKS = [
    (
        "Få bedrifter melder behov, fordi de ikke kjenner ordningen eller ikke har tid til kartleggingen.",
        3,
        4,
        "Næringshagene besøker bedriftene; behovene er fast sak i Kompetanseforum Trøndelag Sør.",
    ),
    (
        "Tilbyderne har ikke kapasitet til å tilpasse studieløp med løpende opptak.",
        3,
        4,
        "Avklare tidlig hvilke emner som kan tilpasses; prosjektet dekker digitalt utstyr hos tilbyderne.",
    ),
    (
        "Egenandelen dekkes bare som timeinnsats og er lavere enn de 30 prosentene ordningen krever.",
        4,
        3,
        "Føre timer løpende; be rådet vurdere en kontantandel eller flere timer fra deltakerne.",
    ),
    (
        "Prosjektleder slutter eller får andre oppgaver.",
        2,
        4,
        "Arbeidsgruppen kjenner prosjektet; rutiner og dokumenter ligger på et delt område.",
    ),
]

# (group, e-mail, organisation key, role)
GROUPS = [
    (ProjectGroup.STEERING, "geir.kvam@midtre-gauldal.kommune.no", "kommune-5027", "leder, rådets leder"),
    (ProjectGroup.STEERING, COUNTY_PILOT, "tfk", "prosjektleder Kompetansepilot Trøndelag"),
    (ProjectGroup.STEERING, CHAIR, "kommune-5027", "leder av Kompetanseforum Trøndelag Sør"),
    (ProjectGroup.WORKING, "jorunn.hoel@nasjonalparken-naeringshage.no", "npnh", "næringshage"),
    (ProjectGroup.WORKING, "line.brekken@rorosregionen-naeringshage.no", "rnh", "næringshage"),
    (ProjectGroup.WORKING, "tor.einar.dahl@oppdal.kommune.no", "kommune-5021", "kommunalsjef"),
    (ProjectGroup.WORKING, "eirik.bakken@roros.kommune.no", "kommune-5025", "kommunalsjef"),
    (ProjectGroup.REFERENCE, "lars.fossum@ntnu.no", "ntnu-videre", "tilbyder"),
    (ProjectGroup.REFERENCE, "camilla.strand@thyf.no", "thyf", "tilbyder"),
    (ProjectGroup.REFERENCE, "astrid.nygard@roros.vgs.no", "roros-vgs", "tilbyder"),
]

# Answers to the county's four questions, one set per submitted report (the last set is reused after that).
REPORT_ANSWERS = [
    [
        "Prosjektet er forankret i rådet og kommunedirektørutvalget. Kartleggingen (RM1) er i gang i alle seks "
        "kommunene, som planlagt.",
        "Næringshagene har besøkt 18 bedrifter; kommunalsjefene har kartlagt behov i helse og oppvekst. Størst "
        "behov: fagarbeidere i trearbeid, kokker og helsefagarbeidere.",
        "Behovene er lagt fram i Kompetanseforum Trøndelag Sør. Trøndelag høyere yrkesfagskole ser på et emne i "
        "trearbeid med løpende opptak.",
        "Fast sak om behov på forumets møter fungerer godt og kan brukes i de andre regionene.",
    ],
    [
        "Kartleggingen er avsluttet (RM1). Tilbyderne undersøker tilpasning av studieløp (RM2); arbeidet er "
        "omtrent en måned forsinket på grunn av ferieavvikling.",
        "34 virksomheter er besøkt, 19 ønsker å rekruttere til kombinert arbeid og utdanning.",
        "Fagskoleemne i trearbeid og naturguideutdanning med samlinger i Oppdal er under tilpasning; NTNU Videre "
        "vurderer pedagogikk for yrkesfaglærere på nett.",
        "Modellen med behov som fast sak og tilbydere ved samme bord deles med Namdalen og Fosen på "
        "samlingen for delpilotene.",
    ],
    [
        "Utdanningsløpene utvikles sammen med bedriftene (RM2). Tidsplanen holder.",
        "Fire nye bedrifter i Melhus og Midtre Gauldal er med gjennom Næringsforeningen.",
        "Det første emnet i trearbeid med løpende opptak starter til høsten; samlingene legges til Røros.",
        "Erfaringene med løpende opptak skrives inn i veilederen (RM3).",
    ],
]
ECONOMY_COMMENT = (
    "Egeninnsatsen (timer fra deltakerne i Kompetanseforum Trøndelag Sør) føres løpende og er foreløpig i tråd "
    "med planen."
)


@dataclass(frozen=True)
class ItemSpec:
    theme: str
    applicant: str  # organisation key
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class ListSpec:
    network: str  # organisation key
    person: str  # e-mail of who prepares and submits it
    created: tuple[int, int]  # (month, day) in the round's year
    submitted: tuple[int, int]
    items: list[ItemSpec]
    note: str = ""


DEKOM_FRAME = NOK("3000000")
PRIORITY_LISTS = [
    ListSpec(
        "knett-trondelag-sor",
        NETWORK,
        (3, 2),
        (3, 12),
        [
            ItemSpec(
                "Fagfornyelsen: dybdelæring og tverrfaglige temaer (fellestiltak)",
                "knett-trondelag-sor",
                NOK("450000"),
                "Felles tiltak for alle skolene i nettverket, med NTNU som utviklingspartner.",
            ),
            ItemSpec("Lesing som grunnleggende ferdighet i alle fag", "kommune-5026", NOK("300000")),
            ItemSpec("Inkluderende læringsmiljø og klasseledelse", "kommune-5025", NOK("300000")),
            ItemSpec("Vurdering for læring på ungdomstrinnet", "kommune-5027", NOK("250000")),
        ],
        note="Prioritert i nettverksmøtet etter analysen av kommunenes tilstandsrapporter.",
    ),
    ListSpec(
        "knett-namdal",
        NAMDAL_NETWORK,
        (3, 5),
        (3, 19),
        [
            ItemSpec("Begynneropplæring: lesing og skriving på 1.–4. trinn", "kommune-5007", NOK("400000")),
            ItemSpec(
                "Fagfornyelsen: profesjonsfellesskap og skolebasert utvikling (fellestiltak)",
                "knett-namdal",
                NOK("350000"),
            ),
            ItemSpec("Matematikk på mellomtrinnet", "kommune-5045", NOK("250000")),
        ],
    ),
    ListSpec(
        "knett-innherred",
        INNHERRED_NETWORK,
        (3, 10),
        (3, 24),  # after the deadline of 20 March: marked late
        [
            ItemSpec("Inkluderende læringsmiljø: forebygging av mobbing", "kommune-5037", NOK("450000")),
            ItemSpec("Tilpasset opplæring i klasserommet", "kommune-5038", NOK("300000")),
            ItemSpec("Lesing i alle fag på ungdomstrinnet", "kommune-5053", NOK("200000")),
        ],
        note="Sendt etter fristen: nettverksmøtet ble flyttet.",
    ),
]
# Trøndelag sør changes its list after submitting it: Røros widens its measure to every school.
CHANGED_LIST = "knett-trondelag-sor"
CHANGED_ON = (3, 18)
CHANGED_RANK, CHANGED_AMOUNT = 3, NOK("350000")
PROPOSED_ON = (3, 26)


@dataclass
class GrantsResult:
    organisations_created: int = 0
    people_created: int = 0
    schemes_created: int = 0
    rounds_created: int = 0
    allocations_created: int = 0
    payments_created: int = 0
    priority_lists_created: int = 0
    projects_created: int = 0
    logins: list[PersonSpec] = field(default_factory=lambda: list(LOGINS))


# ---- dates --------------------------------------------------------------------------------------------------


def project_start(today: datetime.date) -> datetime.date:
    """1 September of the year the project started: last year once this year's first report (due 15 February)
    is past, so there is always a submitted report; the year before otherwise."""
    year = today.year - 1 if today >= datetime.date(today.year, 2, 20) else today.year - 2
    return datetime.date(year, 9, 1)


def dekom_year(today: datetime.date) -> int:
    """The DEKOM cycle shown: this year's once its proposal (26 March) is in the past, last year's before."""
    return today.year if today > datetime.date(today.year, *PROPOSED_ON) else today.year - 1


def _day(start_year: int, spec: tuple[int, int, int]) -> datetime.date:
    years, month, day = spec
    return datetime.date(start_year + years, month, day)


# ---- organisations and people -------------------------------------------------------------------------------


def _organisations(admin: User, result: GrantsResult) -> dict[str, Organisation]:
    """The demo's organisations by key: the rest of the demo's, and this part's (created when missing)."""
    specs = [*trondelag_sor.ORGANISATIONS, *ORGANISATIONS]
    keys = {spec.org_number: spec.key for spec in specs}
    organisations = {keys[o.org_number]: o for o in Organisation.objects.filter(org_number__in=keys)}
    municipalities = {
        m.number: m for m in Municipality.objects.filter(number__in={spec.municipality for spec in ORGANISATIONS})
    }
    for spec in ORGANISATIONS:
        if spec.key not in organisations:
            organisations[spec.key] = organisation_create(
                actor=admin,
                data={
                    "name": spec.name,
                    "kind": spec.kind,
                    "org_number": spec.org_number,
                    "municipality": municipalities[spec.municipality],
                    "description": spec.description,
                },
            )
            result.organisations_created += 1
    return organisations


def _people(admin: User, organisations: dict[str, Organisation], result: GrantsResult) -> None:
    for spec in LOGINS:
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            user = User.objects.create_user(
                email=spec.email, password=DEMO_PASSWORD, full_name=spec.full_name, job_title=spec.job_title
            )
            log_action(actor=admin, action="accounts.user.created", target=user, data={"email": user.email})
            result.people_created += 1
        for key, role in spec.memberships:
            if not Membership.objects.filter(user=user, organisation=organisations[key]).exists():
                organisation_membership_add(
                    actor=admin, organisation=organisations[key], email=user.email, full_name=user.full_name, role=role
                )
    for full_name, email, key in INVITED:
        if not User.objects.filter(email__iexact=email).exists():
            organisation_membership_add(
                actor=admin,
                organisation=organisations[key],
                email=email,
                full_name=full_name,
                role=MembershipRole.MEMBER,
            )
            result.people_created += 1


def _person(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


# ---- 1. the Kompetansepilot chain ---------------------------------------------------------------------------


def _national_scheme(admin: User, organisations, start: datetime.date, result: GrantsResult) -> GrantScheme:
    scheme = GrantScheme.objects.filter(slug=NATIONAL_SCHEME).first()
    if scheme is not None:
        return scheme
    with _clock(_at(datetime.date(start.year, 6, 15), 10)):
        scheme = scheme_create(
            actor=admin,
            name="Kompetansepiloter",
            slug=NATIONAL_SCHEME,
            owner=organisations["kompetanse-norge"],
            source="Kommunal- og moderniseringsdepartementet (KMD)",
            purpose=(
                "Identifisere og mobilisere virksomheters behov for kompetansehevende tiltak, og koble og "
                "tilrettelegge for et tilpasset etter- og videreutdanningstilbud i Distrikts-Norge. Prosjektene skal "
                "utvikle og prøve ut nye måter og modeller for å nå dette målet, og støtte fylkeskommunens "
                "strategiske rolle og ansvar for regional kompetansepolitikk."
            ),
            eligibility=(
                "Fylkeskommuner, som prosjekteiere, for delregioner med overvekt av distriktskommuner på SSBs "
                "sentralitetsnivå 5 og 6, og områder med særegne utfordringer: små arbeidsmarkeder, lavt "
                "utdanningsnivå, lang avstand til studiested eller stor mismatch mellom tilbud og etterspørsel. "
                "Målgruppen er offentlige og private virksomheter, særlig små bedrifter."
            ),
            target_centrality_classes=[5, 6],
            max_grant_share=NOK("70"),
        )
    result.schemes_created += 1
    return scheme


def _county_scheme(actor: User, parent: GrantScheme, organisations, start: datetime.date) -> GrantScheme:
    with _clock(_at(datetime.date(start.year, 8, 10), 10)):
        scheme = scheme_create(
            actor=actor,
            name="Kompetansepilot Trøndelag",
            slug=COUNTY_SCHEME,
            owner=organisations["tfk"],
            source="Kommunal- og moderniseringsdepartementet, Kompetansepiloter",
            parent=parent,
            purpose=(
                "Kompetansepilot Trøndelag består av fylkesprosjektet og tre delpiloter: Namdalen, Trøndelag sør "
                "og Fosen. Delpilotene identifiserer og mobiliserer virksomheters behov, kobler dem til et "
                "tilpasset etter- og videreutdanningstilbud og prøver ut modeller som kan gi varige løsninger. "
                "Prosjektperioden er tre år."
            ),
            eligibility=(
                "Regionrådene i de tre delregionene. Egenandelen på minst 30 % kan dekkes som egeninnsats i form "
                "av timer i prosjektet."
            ),
            target_centrality_classes=[5, 6],
            max_grant_share=NOK("70"),
            in_kind_counts=True,
            in_kind_hourly_rate=HOURLY_RATE,
            requires_economic_report=True,
        )
        for text, help_text in COUNTY_QUESTIONS:
            question_add(actor=actor, scheme=scheme, text=text, help_text=help_text)
    return scheme


def _county_round(actor: User, scheme: GrantScheme, organisations, start: datetime.date, result: GrantsResult):
    """The round, its three allocations (adopted by the county with a note) and their payments. Returns the
    allocation to Trøndelag Sør."""
    county = Region.objects.filter(kind=RegionKind.COUNTY, county__number=COUNTY_NUMBER).first()
    year = start.year
    with _clock(_at(datetime.date(year, 8, 12), 9)):
        grant_round = round_create(
            actor=actor,
            scheme=scheme,
            name=f"Kompetansepilot Trøndelag – delpiloter {year}–{year + 3}",
            year=year,
            frame=COUNTY_FRAME,
            region=county,
        )
    result.rounds_created += 1
    allocations = {}
    with _clock(_at(datetime.date(year, 8, 20), 13)):
        for key, purpose, amount in SUB_PILOTS:
            allocations[key] = allocation_create(
                actor=actor, grant_round=grant_round, recipient=organisations[key], purpose=purpose, amount=amount
            )
            result.allocations_created += 1
    with _clock(_at(datetime.date(year, 8, 28), 14)):
        allocations_adopt(
            actor=actor,
            grant_round=grant_round,
            note=(
                f"Vedtatt av fylkesdirektør for utdanning og kompetanse {datetime.date(year, 8, 28):%d.%m.%Y} "
                f"(sak {year}/31877), etter tilsagn fra Kompetanse Norge. Tilskuddet utbetales i tre deler."
            ),
        )
    today = timezone.localdate()
    first_paid = datetime.date(year, 10, 1)
    end = datetime.date(year + 3, 8, 31)
    for key, _purpose, amount in SUB_PILOTS:
        allocation = Allocation.objects.get(pk=allocations[key].pk)
        instalment = (amount / 3).quantize(NOK("1")) if key == "ts-rad" else amount / 2
        with _clock(_at(datetime.date(year, 9, 1), 10)):
            first = payment_create(
                actor=actor,
                allocation=allocation,
                kind=PaymentKind.PAYMENT,
                amount=instalment,
                due_on=first_paid,
                reference=f"Tilsagn {year}/31877, 1. utbetaling",
            )
            result.payments_created += 1
            if key == "ts-rad":
                second = payment_create(
                    actor=actor,
                    allocation=allocation,
                    kind=PaymentKind.PAYMENT,
                    amount=instalment,
                    due_on=today + datetime.timedelta(days=21),
                    reference=f"Tilsagn {year}/31877, 2. utbetaling etter godkjent statusrapport",
                )
                result.payments_created += 1
            if key != "fosen-rad":  # Fosen's last part is not planned yet
                payment_create(
                    actor=actor,
                    allocation=allocation,
                    kind=PaymentKind.PAYMENT,
                    amount=amount - instalment * (2 if key == "ts-rad" else 1),
                    due_on=end,
                    reference=f"Tilsagn {year}/31877, sluttutbetaling etter sluttrapport",
                )
                result.payments_created += 1
        with _clock(_at(first_paid - datetime.timedelta(days=7), 11)):
            first = payment_update(
                actor=actor,
                payment=first,
                expected_version=first.version,
                kind=first.kind,
                amount=first.amount,
                status=PaymentStatus.APPROVED,
                due_on=first.due_on,
                reference=first.reference,
            )
        with _clock(_at(first_paid, 12)):
            payment_update(
                actor=actor,
                payment=first,
                expected_version=first.version,
                kind=first.kind,
                amount=first.amount,
                status=PaymentStatus.PAID,
                due_on=first.due_on,
                paid_on=first_paid,
                reference=first.reference,
            )
        if key == "ts-rad":
            # Approved now, after the latest status report: paid in three weeks.
            payment_update(
                actor=actor,
                payment=second,
                expected_version=second.version,
                kind=second.kind,
                amount=second.amount,
                status=PaymentStatus.APPROVED,
                due_on=second.due_on,
                reference=second.reference,
            )
    return allocations["ts-rad"]


def _kompetansepilot(admin: User, organisations, start: datetime.date, result: GrantsResult) -> None:
    parent = _national_scheme(admin, organisations, start, result)
    if GrantScheme.objects.filter(slug=COUNTY_SCHEME).exists():
        return
    actor = _person(COUNTY_PILOT)
    scheme = _county_scheme(actor, parent, organisations, start)
    result.schemes_created += 1
    _county_round(actor, scheme, organisations, start, result)


# ---- 2. Trøndelag Sør's project ------------------------------------------------------------------------------


def _project(organisations, start: datetime.date, result: GrantsResult) -> None:
    if Project.objects.filter(slug=PROJECT).exists():
        return
    scheme = GrantScheme.objects.filter(slug=COUNTY_SCHEME).first()
    allocation = (
        Allocation.objects.filter(round__scheme=scheme, recipient=organisations["ts-rad"])
        .exclude(status=AllocationStatus.WITHDRAWN)
        .first()
    )
    leader = _person(SECRETARIAT)
    region = Region.objects.get(code=REGION_CODE)
    today = timezone.localdate()
    year = start.year
    end = datetime.date(year + 3, 8, 31)
    with _clock(_at(datetime.date(year, 8, 31), 10)):
        project = project_create(
            actor=leader,
            name=PROJECT_NAME,
            slug=PROJECT,
            owner=organisations["ts-rad"],
            leader=leader,
            region=region,
            scheme=scheme,
            overall_goal=OVERALL_GOAL,
            description=PROJECT_DESCRIPTION,
            starts_on=start,
            ends_on=end,
            status=ProjectStatus.ACTIVE,
            needs=CompetenceNeed.objects.filter(external_id__in=PROJECT_NEEDS, municipality__regions=region),
        )
    result.projects_created += 1
    with _clock(_at(start, 9)):
        for group, email, key, role in GROUPS:
            person = _person(email)
            if person is not None:
                project_membership_add(
                    actor=leader,
                    project=project,
                    group=group,
                    person=person,
                    starts_on=start,
                    organisation=organisations[key],
                    role=role,
                )
    with _clock(_at(start + datetime.timedelta(days=1), 10)):
        goals = {
            spec.code: goal_create(
                actor=leader, project=project, code=spec.code, text=spec.text, planned_activities=spec.planned
            )
            for spec in GOALS
        }
        activities = [
            (
                spec,
                activity_create(
                    actor=leader,
                    project=project,
                    title=spec.title,
                    goal=goals[spec.goal],
                    starts_on=_day(year, spec.start),
                    ends_on=_day(year, spec.end),
                    responsible_person=_person(spec.person),
                    responsible_organisation=organisations[spec.organisation],
                ),
            )
            for spec in ACTIVITIES
        ]
        lines = {
            category: budget_line_add(
                actor=leader, project=project, category=category, description=description, amount=amount
            )
            for category, description, amount in BUDGET
        }
        financing_add(
            actor=leader,
            project=project,
            kind=FinancingKind.GRANT,
            description="Tilskudd fra KMD via Trøndelag fylkeskommune (Kompetansepiloter)",
            amount=GRANT,
            allocation=allocation,
        )
        financing_add(
            actor=leader,
            project=project,
            kind=FinancingKind.IN_KIND,
            description="Egeninnsats: timeinnsats fra deltakerne i Kompetanseforum Trøndelag Sør",
            hours=IN_KIND_HOURS,
        )
        for description, probability, impact, measure in RISKS:
            risk_create(
                actor=leader,
                project=project,
                description=description,
                probability=probability,
                impact=impact,
                measure=measure,
            )
    _activities_progress(leader, activities, today, start + datetime.timedelta(days=1))
    goal = goals["RM1"]
    phase_one_end = datetime.date(year + 1, 6, 30)
    if phase_one_end < today:
        with _clock(_at(phase_one_end + datetime.timedelta(days=1), 10)):
            goal_update(actor=leader, goal=goal, activities_done=GOALS[0].done, results=GOALS[0].results)
    for years, month, day, category, description, amount in COSTS:
        incurred_on = datetime.date(year + years, month, day)
        if incurred_on >= today:
            continue
        with _clock(_at(incurred_on, 14)):
            cost_add(
                actor=leader,
                budget_line=lines[category],
                incurred_on=incurred_on,
                description=description,
                amount=amount,
            )
    _reports(leader, project, start, today)


def _activities_progress(actor: User, activities, today: datetime.date, planned_on: datetime.date) -> None:
    """Each activity ongoing from its start and done at its end, as far as today has come."""
    for _spec, activity in activities:
        if activity.starts_on <= today:
            # Not before the plan was written (the day after the project started).
            with _clock(min(_at(max(activity.starts_on, planned_on), 15), timezone.now())):
                activity_update(actor=actor, activity=activity, status=ActivityStatus.ONGOING)
        if activity.ends_on < today:
            with _clock(_at(activity.ends_on, 16)):
                activity_update(actor=actor, activity=activity, status=ActivityStatus.DONE)


def _reports(leader: User, project: Project, start: datetime.date, today: datetime.date) -> None:
    """Two reports a year from the start: those already due filled in and submitted a few days before the
    due date, the next one waiting with a draft; the yearly orientation at the competence forum's next meeting."""
    for year in range(start.year, today.year + 1):
        day = start + datetime.timedelta(days=2) if year == start.year else datetime.date(year, 1, 5)
        with _clock(min(_at(day, 9), timezone.now())):
            report_schedule(actor=leader, project=project, year=year)
    reports = list(StatusReport.objects.filter(project=project).select_related("project__scheme").order_by("due_on"))
    submitted = []
    for report in reports:
        if report.due_on >= today:
            continue
        texts = REPORT_ANSWERS[min(len(submitted), len(REPORT_ANSWERS) - 1)]
        with _clock(_at(report.due_on - datetime.timedelta(days=6), 10)):
            _fill(leader, report, texts, economic=True)
            report_submit(actor=leader, report=report)
        submitted.append(report)
    upcoming = next((report for report in reports if report.due_on >= today), None)
    if upcoming is not None:
        _fill(leader, upcoming, REPORT_ANSWERS[min(len(submitted), len(REPORT_ANSWERS) - 1)][:2], economic=False)
    if submitted:
        forum = Forum.objects.filter(slug=COMPETENCE_FORUM).first()
        if forum is not None:
            meeting = Meeting.objects.filter(forum=forum, starts_at__gte=timezone.now()).order_by("starts_at").first()
            orientation_task_create(
                actor=leader,
                report=submitted[-1],
                forum=forum,
                meeting=meeting,
                due_on=None if meeting is not None else today + datetime.timedelta(days=60),
            )


def _fill(actor: User, report: StatusReport, texts: list[str], *, economic: bool) -> None:
    questions = report_questions(report)
    answers = {str(question.pk): text for question, text in zip(questions, texts, strict=False)}
    economic_report = f"{economic_summary(report)}\n\n{ECONOMY_COMMENT}" if economic else ""
    report_update(
        actor=actor, report=report, answers=answers, economic_report=economic_report, expected_version=report.version
    )


# ---- 3. DEKOM -------------------------------------------------------------------------------------------------


def _dekom(organisations, result: GrantsResult) -> None:
    if GrantScheme.objects.filter(slug=DEKOM_SCHEME).exists():
        return
    actor = _person(STATE_GOVERNOR)
    year = dekom_year(timezone.localdate())
    forum = Forum.objects.filter(slug=DEKOM).first()
    county = Region.objects.filter(kind=RegionKind.COUNTY, county__number=COUNTY_NUMBER).first()
    with _clock(_at(datetime.date(year - 1, 9, 1), 10)):
        scheme = scheme_create(
            actor=actor,
            name="DEKOM – desentralisert kompetanseutvikling i skolen, Trøndelag",
            slug=DEKOM_SCHEME,
            owner=organisations["sf"],
            source="Utdanningsdirektoratet",
            purpose=(
                "Lokal kompetanseutvikling i grunnopplæringen: skoleeierne i kompetansenettverkene analyserer "
                "behovene og utvikler tiltak sammen med universiteter og høgskoler. Målet er at elevene i "
                "Trøndelag skal utvikle kunnskap, ferdigheter og holdninger slik at de kan mestre livene sine og "
                "delta i arbeid og fellesskap i samfunnet."
            ),
            eligibility=(
                "Skoleeiere gjennom kompetansenettverkene, med universiteter og høgskoler som utviklingspartnere. "
                "Samarbeidsforumet prioriterer tiltakene; Statsforvalteren fordeler midlene. Skoleeierne bidrar "
                "med egenfinansiering."
            ),
            eligible_kinds=[K.MUNICIPALITY, K.COUNTY_COUNCIL],
            invited_organisations=[organisations[spec.network] for spec in PRIORITY_LISTS],
            max_grant_share=NOK("70"),
            requires_economic_report=True,
        )
        for text, help_text in DEKOM_QUESTIONS:
            question_add(actor=actor, scheme=scheme, text=text, help_text=help_text)
        grant_round = round_create(
            actor=actor,
            scheme=scheme,
            name=f"DEKOM {year}",
            year=year,
            frame=DEKOM_FRAME,
            priority_deadline=datetime.date(year, 3, 20),
            region=county,
            forum=forum,
        )
        _wheel(actor, scheme, grant_round, forum, year)
    result.schemes_created += 1
    result.rounds_created += 1
    lists = {}
    for spec in PRIORITY_LISTS:
        person = _person(spec.person)
        with _clock(_at(datetime.date(year, *spec.created), 10)):
            priority_list = priority_list_create(
                actor=person, grant_round=grant_round, submitter=organisations[spec.network], note=spec.note
            )
            priority_list_save(
                actor=person,
                priority_list=priority_list,
                expected_version=priority_list.version,
                note=spec.note,
                items=[
                    ItemInput(
                        rank=rank,
                        theme=item.theme,
                        applicant=organisations[item.applicant],
                        amount=item.amount,
                        description=item.description,
                    )
                    for rank, item in enumerate(spec.items, start=1)
                ],
            )
        with _clock(_at(datetime.date(year, *spec.submitted), 15)):
            priority_list_submit(actor=person, priority_list=priority_list)
        lists[spec.network] = priority_list
        result.priority_lists_created += 1
    _change_after_submission(lists[CHANGED_LIST], year)
    with _clock(_at(datetime.date(year, *PROPOSED_ON), 10)):
        lines = allocation_propose(actor=actor, grant_round=grant_round)
    result.allocations_created += sum(1 for line in lines if line.amount > 0)


def _change_after_submission(priority_list: PriorityList, year: int) -> None:
    spec = next(spec for spec in PRIORITY_LISTS if spec.network == CHANGED_LIST)
    person = _person(spec.person)
    priority_list.refresh_from_db()
    items = list(priority_list.items.select_related("applicant").order_by("rank"))
    with _clock(_at(datetime.date(year, *CHANGED_ON), 11)):
        priority_list_save(
            actor=person,
            priority_list=priority_list,
            expected_version=priority_list.version,
            note=spec.note + " Røros kommune har utvidet tiltaket for læringsmiljø til alle skolene.",
            items=[
                ItemInput(
                    rank=item.rank,
                    theme=item.theme,
                    applicant=item.applicant,
                    amount=CHANGED_AMOUNT if item.rank == CHANGED_RANK else item.amount,
                    description=item.description,
                    pk=item.pk,
                )
                for item in items
            ],
        )


def _wheel(actor: User, scheme: GrantScheme, grant_round: GrantRound, forum: Forum | None, year: int) -> None:
    """The annual wheel of seed 004 for `year` (every step repeats yearly)."""
    steps = [
        (
            WheelStepKind.SEMINAR,
            "Det årlige erfaringsseminaret for skoleeiere, rektorer, UH og hovedtillitsvalgte",
            "Grunn- og videregående skoler i Trøndelag.",
            datetime.date(year, 2, 4),
            datetime.date(year, 2, 5),
            None,
            None,
        ),
        (
            WheelStepKind.FORUM_MEETING,
            "Møte i samarbeidsforum på erfaringsseminaret",
            "Erfaringer med midlene for året som gikk, og eventuelle fellestiltak.",
            datetime.date(year, 2, 5),
            None,
            None,
            forum,
        ),
        (
            WheelStepKind.PRIORITY_DEADLINE,
            "Frist for prioriteringslister",
            "Kompetansenettverkene sender prioriteringslistene (tema = hva, rekkefølge = hvem) til "
            "Statsforvalteren og kontaktpersonene for poolen, innenfor rammene samarbeidsforumet har gitt.",
            datetime.date(year, 3, 20),
            None,
            grant_round,
            None,
        ),
        (
            WheelStepKind.FORUM_MEETING,
            "Samarbeidsforum beslutter bruken av midlene",
            "Forslaget til fordeling etter prioriteringslistene legges fram for samarbeidsforumet. Evaluering og "
            "oppfølging av erfaringsseminaret.",
            datetime.date(year, 4, 16),
            None,
            grant_round,
            forum,
        ),
        (
            WheelStepKind.PAYMENT,
            "Utbetaling til kompetansenettverkene og UH (poolen)",
            "",
            datetime.date(year, 6, 20),
            datetime.date(year, 6, 30),
            grant_round,
            None,
        ),
        (
            WheelStepKind.REPORT_DUE,
            "Rapportering: de fire sentrale spørsmålene og økonomirapport",
            "Lokal forankring, fragmentering, skolebasert tilnærming og elevstemmen, og regnskap for midlene.",
            datetime.date(year, 9, 30),
            None,
            grant_round,
            None,
        ),
        (
            WheelStepKind.FORUM_MEETING,
            "Møte i samarbeidsforum",
            "Rapportene fra nettverkene og rammene for neste års prioriteringer.",
            datetime.date(year, 10, 15),
            None,
            None,
            forum,
        ),
        (
            WheelStepKind.ANALYSIS,
            "Kompetansenettverkene analyserer, planlegger og prioriterer for neste år",
            "Nettverkene prioriterer tema (hva) og rekkefølge (hvem), både fellestiltak og tiltak for den enkelte "
            "kommune, med støtte fra poolen av utviklingspartnere.",
            datetime.date(year, 10, 1),
            datetime.date(year + 1, 3, 20),
            None,
            None,
        ),
    ]
    for kind, title, description, starts_on, ends_on, step_round, step_forum in steps:
        step_create(
            actor=actor,
            scheme=scheme,
            kind=kind,
            title=title,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            round=step_round,
            forum=step_forum,
        )


# ---- all of it ------------------------------------------------------------------------------------------------


def load_grants() -> GrantsResult:
    """Create the grants and projects part of the demo where it is missing; return what was created."""
    result = GrantsResult()
    today = timezone.localdate()
    start = project_start(today)
    with transaction.atomic():
        admin = User.objects.get(email=ADMIN)
        organisations = _organisations(admin, result)
        _people(admin, organisations, result)
        _kompetansepilot(admin, organisations, start, result)
        _project(organisations, start, result)
        _dekom(organisations, result)
    return result
