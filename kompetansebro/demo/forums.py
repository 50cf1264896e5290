"""The forums of the Trøndelag Sør demo (seeds 000, 002 and 004): Kompetanseforum Trøndelag Sør with a past
meeting and an upcoming one, the regional council that owns it with its working group for business
development, and the county's DEKOM collaboration forum.

The competence forum's past meeting has gone the whole way: notice sent, cases for decision (PS) and for
information (RS), one closed case with its legal basis, the competence needs as a fixed agenda item (built
from the region's qualified needs and presented, so they are "presented in forum" now), a case paper as PDF,
decisions (as recommended, and one amended with votes and dissent), attendance with apologies and a deputy,
minutes approved and locked, and follow-up tasks from a decision (one recurring yearly, one twice a year and
overdue, one done). The upcoming meeting has its agenda, with the needs qualified since the past meeting, and
its notice sent.

Everything is written through the forum services with the secretariat as actor, so the forums' history is
real. A service refuses a meeting or a notice in the past and a task due in the past, as it should; the
steps before and just after the past meeting are therefore run with the clock set back to when they would
have happened (`_clock`), and the history shows those dates. Steps that touch the needs (presenting them,
qualifying one more) run at the real time, after the needs were registered, so each need's status history
stays in order.

The members are the demo people from trondelag_sor.PEOPLE, the chair of the competence forum (a new demo
login), and a few fictional people without a login (mayors, a school leader, NAV's representatives, the
State Governor's adviser), invited through the organisation services like any new person.

Idempotent: a forum is found by its short name (slug); an existing forum is left as it is, with its meetings.
Call after the rest of the demo is loaded (the needs, the mapping round and the development request), with
e-mail discarded: the notices and invitations go to fictional people.

    load_forums()
"""

import datetime
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import log_action
from kompetansebro.demo.orgnr import stable_org_number
from kompetansebro.demo.trondelag_sor import COUNTY_REGION, DEMO_PASSWORD, REGION_CODE, PersonSpec
from kompetansebro.demo.trondelag_sor_catalogue import ROUND_DEADLINE_DAYS, STEP_REASONS
from kompetansebro.forums import documents
from kompetansebro.forums.models import (
    AgendaCase,
    AttendanceStatus,
    CaseKind,
    Forum,
    ForumKind,
    ForumMembership,
    Meeting,
    MemberRole,
    Recurrence,
)
from kompetansebro.forums.services.attachments import attachment_add
from kompetansebro.forums.services.cases import case_create
from kompetansebro.forums.services.decisions import decision_record
from kompetansebro.forums.services.forums import forum_create, membership_add, membership_end
from kompetansebro.forums.services.meetings import meeting_create
from kompetansebro.forums.services.minutes import (
    AttendanceEntry,
    attendance_record,
    attendance_seats,
    meeting_mark_held,
    minutes_approve,
    minutes_draft,
)
from kompetansebro.forums.services.needs_item import needs_case_build, needs_case_present, needs_for_agenda
from kompetansebro.forums.services.notices import notice_send
from kompetansebro.forums.services.tasks import task_complete, task_create
from kompetansebro.geography.models import Region, RegionKind
from kompetansebro.matching.services import rematch_need
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.needs.services import need_change_status
from kompetansebro.organisations.models import Membership, MembershipRole, Organisation
from kompetansebro.organisations.services import membership_add as organisation_membership_add

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")

ADMIN = "admin@kompetansebro.no"
SECRETARIAT = "marte.oyen@trondelagsor.no"
CHAIR = "randi.moen@midtre-gauldal.kommune.no"

COMPETENCE_FORUM = "kompetanseforum-trondelag-sor"
COUNCIL = "trondelag-sor-radet"
WORKING_GROUP = "arbeidsgruppe-naeringsutvikling"
DEKOM = "samarbeidsforum-dekom-trondelag"

# The chair of the competence forum is a demo login: a forum member who is no administrator anywhere.
LOGINS: list[PersonSpec] = [
    PersonSpec(
        "Chair, Kompetanseforum Trøndelag Sør",
        "Randi Moen",
        CHAIR,
        "Kommunalsjef næring og kultur",
        "chairs the competence forum: sees its closed cases, draft minutes and tasks",
        memberships=(("kommune-5027", MembershipRole.MEMBER),),
    ),
]


@dataclass(frozen=True)
class Invited:
    """A forum member without a demo login: invited through the organisation services (no password)."""

    full_name: str
    email: str
    organisation: str  # key in trondelag_sor.ORGANISATIONS


INVITED: list[Invited] = [
    Invited("Astrid Nygård", "astrid.nygard@roros.vgs.no", "roros-vgs"),
    Invited("Bjørn Sætre", "bjorn.saetre@nav.no", "nav"),
    Invited("Nina Aasen", "nina.aasen@nav.no", "nav"),
    Invited("Geir Kvam", "geir.kvam@midtre-gauldal.kommune.no", "kommune-5027"),
    Invited("Sissel Haugan", "sissel.haugan@roros.kommune.no", "kommune-5025"),
    Invited("Arne Gjelten", "arne.gjelten@holtalen.kommune.no", "kommune-5026"),
    Invited("Trude Snekvik", "trude.snekvik@rennebu.kommune.no", "kommune-5022"),
    Invited("Jon Olav Hårstad", "jon.olav.harstad@melhus.kommune.no", "kommune-5028"),
    Invited("Marit Rise", "marit.rise@oppdal.kommune.no", "kommune-5021"),
    Invited("Kjersti Myhre", "kjersti.myhre@statsforvalteren.no", "sf"),
]


@dataclass(frozen=True)
class Seat:
    email: str
    role: str
    organisation: str | None  # key in trondelag_sor.ORGANISATIONS
    starts_after_days: int = 0  # the seat began this many days after the appointment period
    ends_after_days: int | None = None  # the seat ended this many days after the appointment period began


M = MemberRole

COMPETENCE_FORUM_MANDATE = (
    "Kompetanseforum Trøndelag Sør er faglig råd for Trøndelag Sør-Interkommunalt politisk råd i saker og "
    "prosjekter som gjelder kompetanse. Forumet samler kommunene, næringshagene og næringsforeningen, "
    "utdanningstilbyderne (de videregående skolene, Trøndelag høyere yrkesfagskole og NTNU Videre), NAV, "
    "opplæringskontoret og Trøndelag fylkeskommune.\n\n"
    "Forumet skal gi et samlet bilde av utfordringene og mulighetene i regionens kompetansefelt, og være "
    "møteplassen der kommunene og næringslivet legger fram behovene sine for etter- og videreutdanning for "
    "tilbyderne. Sammen avklarer de om eksisterende studieløp kan tilpasses med nettundervisning, løpende "
    "opptak og samlinger i regionen, eller om noe nytt må utvikles. Kompetansebehov meldt siden forrige møte "
    "er fast sak på hvert møte."
)

COUNCIL_MANDATE = (
    "Interkommunalt politisk råd (kommuneloven kapittel 18) for Holtålen, Røros, Midtre Gauldal, Rennebu, "
    "Melhus og Oppdal. Rådet arbeider for næringsutvikling og bosetting i regionen, eier "
    "Verdiskapingsprogrammet og Kompetanseforum Trøndelag Sør, og følger opp prosjektene det har satt i gang. "
    "Ordførerne er rådets medlemmer."
)

WORKING_GROUP_MANDATE = (
    "Rådets arbeidsgruppe for næringsutvikling utvikler og følger opp prosjektene i Verdiskapingsprogrammet, "
    "kartlegger behov i næringslivet sammen med kommunene og rapporterer til rådet to ganger i året."
)

DEKOM_MANDATE = (
    "Samarbeidsforum for desentralisert kompetanseutvikling i skolen (DEKOM) i Trøndelag er oppnevnt av "
    "Statsforvalteren. Skoleeierne og universitetene og høgskolene er representert med myndighet til å ta "
    "beslutninger. Forumet prioriterer tiltak fra kompetansenettverkene, fordeler midlene mellom skoleeiere og "
    "utviklingspartnere, og følger opp at tiltakene evalueres. Representantene oppnevnes for to år av gangen."
)

COMPETENCE_FORUM_SEATS = [
    Seat(CHAIR, M.CHAIR, "kommune-5027"),
    Seat("jorunn.hoel@nasjonalparken-naeringshage.no", M.DEPUTY_CHAIR, "npnh"),
    Seat("line.brekken@rorosregionen-naeringshage.no", M.MEMBER, "rnh"),
    Seat("gunn.reitan@holtalen.kommune.no", M.MEMBER, "kommune-5026"),
    Seat("siri.lien@holtalen.kommune.no", M.DEPUTY, "kommune-5026"),
    Seat("eirik.bakken@roros.kommune.no", M.MEMBER, "kommune-5025"),
    Seat("ola.berg@rennebu.kommune.no", M.MEMBER, "kommune-5022"),
    Seat("kristin.lokken@melhus.kommune.no", M.MEMBER, "kommune-5028"),
    Seat("tor.einar.dahl@oppdal.kommune.no", M.MEMBER, "kommune-5021"),
    Seat("lars.fossum@ntnu.no", M.MEMBER, "ntnu-videre"),
    Seat("camilla.strand@thyf.no", M.MEMBER, "thyf"),
    Seat("astrid.nygard@roros.vgs.no", M.MEMBER, "roros-vgs"),
    Seat("bjorn.saetre@nav.no", M.MEMBER, "nav", ends_after_days=180),
    Seat("nina.aasen@nav.no", M.MEMBER, "nav", starts_after_days=181),
    Seat("henrik.aune@trondelagfylke.no", M.OBSERVER, "tfk"),
    Seat(SECRETARIAT, M.SECRETARIAT, "ts-rad"),
]

COUNCIL_SEATS = [
    Seat("geir.kvam@midtre-gauldal.kommune.no", M.CHAIR, "kommune-5027"),
    Seat("sissel.haugan@roros.kommune.no", M.DEPUTY_CHAIR, "kommune-5025"),
    Seat("arne.gjelten@holtalen.kommune.no", M.MEMBER, "kommune-5026"),
    Seat("trude.snekvik@rennebu.kommune.no", M.MEMBER, "kommune-5022"),
    Seat("jon.olav.harstad@melhus.kommune.no", M.MEMBER, "kommune-5028"),
    Seat("marit.rise@oppdal.kommune.no", M.MEMBER, "kommune-5021"),
    Seat(SECRETARIAT, M.SECRETARIAT, "ts-rad"),
]

WORKING_GROUP_SEATS = [
    Seat("jorunn.hoel@nasjonalparken-naeringshage.no", M.CHAIR, "npnh"),
    Seat("line.brekken@rorosregionen-naeringshage.no", M.MEMBER, "rnh"),
    Seat(CHAIR, M.MEMBER, "kommune-5027"),
    Seat("tor.einar.dahl@oppdal.kommune.no", M.MEMBER, "kommune-5021"),
    Seat(SECRETARIAT, M.SECRETARIAT, "ts-rad"),
]

DEKOM_SEATS = [
    Seat("kjersti.myhre@statsforvalteren.no", M.CHAIR, "sf"),
    Seat("eirik.bakken@roros.kommune.no", M.MEMBER, "kommune-5025"),
    Seat("hilde.forseth@midtre-gauldal.kommune.no", M.MEMBER, "kommune-5027"),
    Seat("lars.fossum@ntnu.no", M.MEMBER, "ntnu-videre"),
    Seat("henrik.aune@trondelagfylke.no", M.OBSERVER, "tfk"),
]

ALL_SEATS = (COMPETENCE_FORUM_SEATS, COUNCIL_SEATS, WORKING_GROUP_SEATS, DEKOM_SEATS)
LOGIN_ORGANISATIONS = {key for spec in LOGINS for key, _role in spec.memberships}

# Who attends the past meeting differently from "present": Holtålen's member sends apologies and the
# deputy attends; Melhus's member sends apologies without a deputy.
HOLTALEN_MEMBER, HOLTALEN_DEPUTY = "gunn.reitan@holtalen.kommune.no", "siri.lien@holtalen.kommune.no"
APOLOGIES = "kristin.lokken@melhus.kommune.no"

# A need registered but not yet qualified in the catalogue: the secretariat qualifies it after the past meeting,
# so it waits for the upcoming one.
QUALIFIED_SINCE = "demo-behov-27"

PROJECT_PAPER_HTML = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; font-size: 11pt; }} h1 {{ font-size: 16pt; }}</style></head>
<body>
<h1>{title}</h1>
<p>Trøndelag Sør-Interkommunalt politisk råd, {date}</p>
<h2>Bakgrunn</h2>
<p>Bedrifter og kommuner i regionen har vanskelig for å rekruttere folk med riktig formell kompetanse, og lang
avstand til utdanningsinstitusjonene gjør etter- og videreutdanning dyr og vanskelig å få til.</p>
<h2>Mål</h2>
<ul>
<li>En modell der virksomheter og tilbydere sammen utvikler desentraliserte utdanningsløp med nettundervisning,
løpende opptak og samlinger i nærmiljøet.</li>
<li>Virksomheter skal kunne ansette folk uten formell kompetanse og gi dem utdanningen i jobben.</li>
</ul>
<h2>Organisering</h2>
<p>Rådgiver i Trøndelag Sør er prosjektleder. Kommunene og næringshagene kartlegger behovene og legger dem fram
for tilbyderne i Kompetanseforum Trøndelag Sør.</p>
<h2>Budsjett</h2>
<table>
<tr><th scope="row">Timeinnsats i næringshager og næringsforeninger</th><td>kr 430 000</td></tr>
<tr><th scope="row">Reiser og møter</th><td>kr 70 000</td></tr>
<tr><th scope="row">Sum</th><td>kr 500 000</td></tr>
</table>
</body></html>
"""


@dataclass
class ForumsResult:
    forums_created: int = 0
    meetings_created: int = 0
    people_created: int = 0
    logins: list[PersonSpec] = field(default_factory=lambda: list(LOGINS))


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as if it were `moment`: `django.utils.timezone.now` (and with it `localdate` and
    the auto_now fields of the records and the history) starts at `moment` and runs on from there. Only for
    this single-threaded loader."""
    real_now = timezone.now
    offset = moment - real_now()
    timezone.now = lambda: real_now() + offset
    try:
        yield
    finally:
        timezone.now = real_now


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def _in_holidays(day: datetime.date) -> bool:
    """Christmas and the summer holidays, when a forum does not meet."""
    return (day.month == 12 and day.day >= 18) or (day.month == 1 and day.day <= 6) or day.month == 7


def _meeting_day(day: datetime.date, *, later: bool) -> datetime.date:
    """The Thursday on or after `day` (`later`) or on or before it, a week further out of the holidays."""
    step = datetime.timedelta(days=7 if later else -7)
    day += datetime.timedelta(days=(3 - day.weekday()) % 7 if later else -((day.weekday() - 3) % 7))
    while _in_holidays(day):
        day += step
    return day


def _organisations() -> dict[str, Organisation]:
    """The demo organisations by their key in trondelag_sor.ORGANISATIONS (found by organisation number)."""
    keys = {seat.organisation for seats in ALL_SEATS for seat in seats if seat.organisation}
    keys |= {"ts-rad", "sf", *(person.organisation for person in INVITED), *LOGIN_ORGANISATIONS}
    numbers = {stable_org_number(f"demo/{key}"): key for key in keys}
    return {numbers[o.org_number]: o for o in Organisation.objects.filter(org_number__in=numbers)}


def _people(admin: User, organisations: dict[str, Organisation], result: ForumsResult) -> dict[str, User]:
    """The chair (a demo login) and the invited members, created when missing."""
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
    for person in INVITED:
        if not User.objects.filter(email__iexact=person.email).exists():
            organisation_membership_add(
                actor=admin,
                organisation=organisations[person.organisation],
                email=person.email,
                full_name=person.full_name,
                role=MembershipRole.MEMBER,
            )
            result.people_created += 1
    emails = {seat.email for seats in ALL_SEATS for seat in seats} | {SECRETARIAT}
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _forum(
    *,
    actor: User,
    slug: str,
    name: str,
    kind: str,
    owner: Organisation,
    region: Region,
    mandate: str,
    appointed_from: datetime.date,
    appointed_until: datetime.date,
    seats: list[Seat],
    people: dict[str, User],
    organisations: dict[str, Organisation],
) -> Forum:
    """The forum, created when its appointment period began, and its seats, each added and ended on its own
    date."""
    with _clock(_at(appointed_from, 9)):
        forum = forum_create(
            actor=actor,
            name=name,
            slug=slug,
            kind=kind,
            owner=owner,
            region=region,
            mandate=mandate,
            appointed_from=appointed_from,
            appointed_until=appointed_until,
        )
    events = []
    for seat in seats:
        events.append((seat.starts_after_days, 0, seat))
        if seat.ends_after_days is not None:
            events.append((seat.ends_after_days, 1, seat))
    memberships: dict[str, ForumMembership] = {}
    for days, ends, seat in sorted(events, key=lambda event: event[:2]):
        day = appointed_from + datetime.timedelta(days=days)
        with _clock(_at(day, 9)):
            if ends:
                membership_end(actor=actor, membership=memberships[seat.email], ends_on=day)
            else:
                memberships[seat.email] = membership_add(
                    actor=actor,
                    forum=forum,
                    person=people[seat.email],
                    role=seat.role,
                    organisation=organisations[seat.organisation] if seat.organisation else None,
                    starts_on=day,
                )
    return forum


def _agenda_approval(actor: User, meeting: Meeting) -> AgendaCase:
    return case_create(
        actor=actor,
        meeting=meeting,
        title="Godkjenning av innkalling og saksliste",
        recommendation="Innkalling og saksliste godkjennes.",
    )


def _needs_case(actor: User, meeting: Meeting) -> AgendaCase | None:
    """The competence needs as a fixed agenda item, with their best matches computed first (the demo's
    matching runs after loading). None when no qualified need is waiting, e.g. after people changed them."""
    waiting = list(needs_for_agenda(meeting).prefetch_related("tags"))
    if not waiting:
        return None
    for need in waiting:
        rematch_need(need)
    return needs_case_build(actor=actor, meeting=meeting)


def _past_meeting(
    *, forum: Forum, people: dict[str, User], organisations: dict[str, Organisation], today: datetime.date
) -> Meeting:
    """Held six weeks ago: notice, agenda, decisions, attendance, approved minutes and follow-up tasks."""
    secretariat = people[SECRETARIAT]
    project_leader = people["jorunn.hoel@nasjonalparken-naeringshage.no"]
    day = _meeting_day(today - datetime.timedelta(days=42), later=False)
    year = day.year
    with _clock(_at(day - datetime.timedelta(days=21), 9)):
        meeting = meeting_create(
            actor=secretariat,
            forum=forum,
            starts_at=_at(day, 10),
            ends_at=_at(day, 14),
            place="Kommunestyresalen, Støren rådhus",
        )
        approval = _agenda_approval(secretariat, meeting)
        needs_case = _needs_case(secretariat, meeting)
        pilot = case_create(
            actor=secretariat,
            meeting=meeting,
            title="Kompetansepilot Trøndelag Sør – oppfølging og rapportering",
            archive_number=f"{year}/24503",
            background=(
                "Rådet har vedtatt prosjektet «Utdanning i bedrift» som Trøndelag Sørs delprosjekt i "
                "Kompetansepiloter i Trøndelag. Prosjektforslaget kom fra Nasjonalparken Næringshage og ble "
                "videreutviklet med innspill fra tilbyderne i Kompetanseforum Trøndelag Sør. Prosjektskissen "
                "ligger ved."
            ),
            facts=(
                "Trøndelag fylkeskommune er prosjekteier og forvalter tilskuddet. Rådgiver i Trøndelag Sør er "
                "prosjektleder, og Trøndelag Sørs egenandel på 30 prosent dekkes som egeninnsats i form av "
                "prosjektleders timer. Kommunedirektørutvalget har bedt om faste rutiner for rapportering til "
                "rådet."
            ),
            assessment=(
                "Faste rutiner gir god informasjonsflyt mellom prosjektledelsen og rådet, forankrer prosjektet i "
                "kommunene og gjør det forutsigbart for prosjekteier og prosjektleder. Kompetanseforumet er "
                "arenaen der behovene legges fram for tilbyderne, og bør følge framdriften tett."
            ),
            recommendation=(
                "Kompetanseforum Trøndelag Sør anbefaler disse rutinene for oppfølging av Kompetansepilot "
                "Trøndelag Sør: Prosjektleder utarbeider to skriftlige rapporter per kalenderår, og orienterer "
                "rådet om aktivitetene i prosjektet minst én gang per kalenderår."
            ),
        )
        closed = case_create(
            actor=secretariat,
            meeting=meeting,
            title="Søknad om tilskudd til utdanning i bedrift – Hitterdalen Sag og Høvleri AS",
            archive_number=f"{year}/25110",
            is_closed=True,
            legal_basis="Offl. § 13 jf. fvl. § 13 første ledd nr. 2",
            background=(
                "Bedriften søker om tilskudd fra prosjektet til å ansette to ungdommer uten fagbrev og gi dem "
                "fagbrev i trearbeiderfaget mens de jobber. Søknaden inneholder opplysninger om bedriftens "
                "økonomi og driftsplaner."
            ),
            assessment="Søknaden oppfyller kriteriene for tilskudd i prosjektet.",
            recommendation="Hitterdalen Sag og Høvleri AS får tilskudd på kr 60 000 til utdanning i bedrift.",
        )
        information = case_create(
            actor=secretariat,
            meeting=meeting,
            kind=CaseKind.INFORMATION,
            title="Protokoll fra møte i kommunedirektørutvalget",
            archive_number=f"{year}/23976",
            background="Kommunedirektørutvalget har gitt innspill til rutiner for oppfølging av rådets prosjekter.",
            recommendation="Referatsaken tas til orientering.",
        )
        paper = documents.render_pdf(
            PROJECT_PAPER_HTML.format(
                title=escape("Prosjektskisse – Kompetansepilot Trøndelag Sør"),
                date=day.strftime("%d.%m.%Y"),
            )
        )
        attachment_add(
            actor=secretariat,
            case=pilot,
            uploaded=SimpleUploadedFile("prosjektskisse-kompetansepilot.pdf", paper, "application/pdf"),
            title="Prosjektskisse Kompetansepilot Trøndelag Sør",
        )
    with _clock(_at(day - datetime.timedelta(days=14), 9)):
        notice_send(actor=secretariat, meeting=meeting)
    with _clock(_at(day, 14, 30)):
        meeting_mark_held(actor=secretariat, meeting=meeting)
        _record_attendance(secretariat, meeting)
        for case in (approval, needs_case, closed, information):
            if case is not None:
                decision_record(actor=secretariat, case=case, as_recommended=True)
        decision_record(
            actor=secretariat,
            case=pilot,
            as_recommended=False,
            text=(
                "Kompetanseforum Trøndelag Sør anbefaler disse rutinene for oppfølging av Kompetansepilot "
                "Trøndelag Sør: Prosjektleder utarbeider to skriftlige rapporter per kalenderår. Rapportene "
                "legges fram for kompetanseforumet før de sendes rådet. Prosjektleder orienterer rådet om "
                "aktivitetene i prosjektet minst én gang per kalenderår."
            ),
            votes_for=9,
            votes_against=2,
            votes_abstaining=0,
            dissent=(
                "Line Brekken (Rørosregionen Næringshage) og Camilla Strand (Trøndelag høyere yrkesfagskole) "
                "stemte for rådgivers innstilling: rapportene bør gå direkte til rådet, så de ikke blir "
                "forsinket til neste møte i forumet."
            ),
        )
    with _clock(_at(day + datetime.timedelta(days=1), 9)):
        minutes = minutes_draft(actor=secretariat, meeting=meeting)
        task_create(
            actor=secretariat,
            forum=forum,
            case=pilot,
            title="Prosjektleder orienterer rådet minst én gang per kalenderår",
            description="Orientering om aktivitetene i Kompetansepilot Trøndelag Sør på et rådsmøte.",
            responsible_person=secretariat,
            responsible_organisation=organisations["ts-rad"],
            due_on=day + datetime.timedelta(days=150),
            recurrence=Recurrence.YEARLY,
        )
        task_create(
            actor=secretariat,
            forum=forum,
            case=pilot,
            title="To skriftlige rapporter per kalenderår",
            description=(
                "Skriftlig rapport om framdrift, aktiviteter og økonomi i «Utdanning i bedrift». Legges fram "
                "for kompetanseforumet før den sendes rådet."
            ),
            responsible_person=project_leader,
            responsible_organisation=organisations["npnh"],
            due_on=day + datetime.timedelta(days=28),
            recurrence=Recurrence.HALF_YEARLY,
        )
        sketch = task_create(
            actor=secretariat,
            forum=forum,
            case=pilot,
            title="Detaljert prosjektskisse med tidsplan og ansvarsfordeling",
            responsible_person=project_leader,
            responsible_organisation=organisations["npnh"],
            due_on=day + datetime.timedelta(days=21),
        )
    with _clock(_at(day + datetime.timedelta(days=19), 15)):
        task_complete(actor=project_leader, task=sketch)
    # At the real time: the needs were registered now, so they are presented after that.
    if needs_case is not None:
        needs_case_present(actor=secretariat, case=needs_case)
    minutes_approve(actor=secretariat, minutes=minutes)
    return meeting


def _record_attendance(actor: User, meeting: Meeting) -> None:
    seats, deputies = attendance_seats(meeting)
    deputy = next((seat for seat in deputies if seat.person.email == HOLTALEN_DEPUTY), None)
    entries = []
    for seat in seats:
        if seat.person.email == HOLTALEN_MEMBER and deputy is not None:
            entries.append(AttendanceEntry(seat, AttendanceStatus.DEPUTY, deputy))
        elif seat.person.email == APOLOGIES:
            entries.append(AttendanceEntry(seat, AttendanceStatus.APOLOGIES))
        else:
            entries.append(AttendanceEntry(seat, AttendanceStatus.PRESENT))
    attendance_record(actor=actor, meeting=meeting, entries=entries)


def _upcoming_meeting(
    *, forum: Forum, people: dict[str, User], region: Region, today: datetime.date, previous: Meeting
) -> Meeting:
    """After the mapping round's deadline: agenda with the needs qualified since, notice sent."""
    secretariat = people[SECRETARIAT]
    day = _meeting_day(today + datetime.timedelta(days=ROUND_DEADLINE_DAYS + 4), later=True)
    need = CompetenceNeed.objects.filter(
        external_id=QUALIFIED_SINCE, status=NeedStatus.REGISTERED, municipality__regions=region
    ).first()
    if need is not None:
        need_change_status(
            actor=secretariat, need=need, to_status=NeedStatus.QUALIFIED, reason=STEP_REASONS[NeedStatus.QUALIFIED]
        )
    meeting = meeting_create(
        actor=secretariat,
        forum=forum,
        starts_at=_at(day, 10),
        ends_at=_at(day, 14),
        place="Rennebu rådhus, Berkåk",
        video_link="https://video.example.com/kompetanseforum-trondelag-sor",
    )
    _agenda_approval(secretariat, meeting)
    previous_day = timezone.localtime(previous.starts_at).strftime("%d.%m.%Y")
    case_create(
        actor=secretariat,
        meeting=meeting,
        title=f"Godkjenning av protokoll fra møtet {previous_day}",
        recommendation=f"Protokollen fra møtet {previous_day} godkjennes.",
    )
    _needs_case(secretariat, meeting)
    case_create(
        actor=secretariat,
        meeting=meeting,
        title="Revisjon av Kompetansestrategi Trøndelag – innspill fra Trøndelag Sør",
        archive_number=f"{day.year}/3120",
        background=(
            "Trøndelag fylkeskommune reviderer Kompetansestrategi Trøndelag med handlingsprogram. Kompetanseforum "
            "Trøndelag er styringsgruppe, og de regionale kompetanseforaene er bedt om innspill."
        ),
        facts=(
            "Fylkestinget har vedtatt at regional kompetansepolitikk er prioritert, og at desentralisert høyere "
            "utdanning og etterutdanning tilpasset lokale behov skal løses i tett samarbeid mellom universitetene, "
            "fagskolene og de videregående skolene."
        ),
        assessment=(
            "Erfaringene fra Kompetansepilot Trøndelag Sør viser at behovene i distriktet best møtes med "
            "nettundervisning, løpende opptak og samlinger i regionen. Det bør strategien ta med seg."
        ),
        recommendation=(
            "Kompetanseforum Trøndelag Sør gir innspill til revisjonen i tråd med vurderingen, og ber sekretariatet "
            "sende innspillet til Trøndelag fylkeskommune innen fristen."
        ),
    )
    case_create(
        actor=secretariat,
        meeting=meeting,
        kind=CaseKind.INFORMATION,
        title="Felles kommunikasjonsplattform for Kompetanseforum Trøndelag – orientering",
        background=(
            "Kompetanseforum Trøndelag arbeider med en felles nettside og nyhetsbrev for kompetansefeltet, og "
            "ønsker bidrag fra partene til en arbeidsgruppe for kommunikasjon."
        ),
        recommendation="Orienteringen tas til orientering.",
    )
    notice_send(actor=secretariat, meeting=meeting)
    return meeting


def load_forums() -> ForumsResult:
    """Create the demo's forums that are missing (with their members, meetings and tasks); return what was
    created."""
    result = ForumsResult()
    today = timezone.localdate()
    region = Region.objects.get(code=REGION_CODE)
    county = Region.objects.get(kind=RegionKind.COUNTY, county__number=COUNTY_REGION.removeprefix("county:"))
    with transaction.atomic():
        admin = User.objects.get(email=ADMIN)
        organisations = _organisations()
        people = _people(admin, organisations, result)
        secretariat = people[SECRETARIAT]
        period = {
            "appointed_from": datetime.date(today.year - 1, 1, 1),
            "appointed_until": datetime.date(today.year + 2, 12, 31),
        }
        common = {"actor": secretariat, "people": people, "organisations": organisations, "region": region}
        if not Forum.objects.filter(slug=COMPETENCE_FORUM).exists():
            forum = _forum(
                slug=COMPETENCE_FORUM,
                name="Kompetanseforum Trøndelag Sør",
                kind=ForumKind.REGIONAL_COMPETENCE_FORUM,
                owner=organisations["ts-rad"],
                mandate=COMPETENCE_FORUM_MANDATE,
                seats=COMPETENCE_FORUM_SEATS,
                **period,
                **common,
            )
            past = _past_meeting(forum=forum, people=people, organisations=organisations, today=today)
            _upcoming_meeting(forum=forum, people=people, region=region, today=today, previous=past)
            result.forums_created += 1
            result.meetings_created += 2
        if not Forum.objects.filter(slug=COUNCIL).exists():
            _forum(
                slug=COUNCIL,
                name="Trøndelag Sør-Interkommunalt politisk råd",
                kind=ForumKind.COUNCIL,
                owner=organisations["ts-rad"],
                mandate=COUNCIL_MANDATE,
                seats=COUNCIL_SEATS,
                **period,
                **common,
            )
            result.forums_created += 1
        if not Forum.objects.filter(slug=WORKING_GROUP).exists():
            _forum(
                slug=WORKING_GROUP,
                name="Arbeidsgruppe for næringsutvikling, Trøndelag Sør",
                kind=ForumKind.WORKING_GROUP,
                owner=organisations["ts-rad"],
                mandate=WORKING_GROUP_MANDATE,
                seats=WORKING_GROUP_SEATS,
                **period,
                **common,
            )
            result.forums_created += 1
        if not Forum.objects.filter(slug=DEKOM).exists():
            _forum(
                slug=DEKOM,
                name="Samarbeidsforum for desentralisert kompetanseutvikling i Trøndelag",
                kind=ForumKind.DEKOM_FORUM,
                owner=organisations["sf"],
                mandate=DEKOM_MANDATE,
                seats=DEKOM_SEATS,
                appointed_from=datetime.date(today.year - 1, 1, 1),
                appointed_until=datetime.date(today.year, 12, 31),
                **{**common, "actor": admin, "region": county},
            )
            result.forums_created += 1
    return result
