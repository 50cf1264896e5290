"""Every forums URL of the core part (forums, members, meetings, cases, attachments, the needs item) × every
persona: allowed, forbidden (403), sent to log in, or not found (404: a forum that is not public, a closed case
and its attachments are never revealed to those who may not see them).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404).
The forum belongs to the Trøndelag Sør council in the Trøndelag Sør region: its secretariat manages it;
Holtålen's contact person has a seat (an insider who does not manage); the county observer has a role on the
county-level region only, so sees a forum that is not public no more than an outsider does. Public pages
(the meeting portal) are open to anonymous visitors; pages that change something send them to log in.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from kompetansebro.forums.models import ForumMembership
from kompetansebro.forums.services.attachments import attachment_add
from tests.conftest import PERSONAS
from tests.forum_factories import AgendaCaseFactory, MeetingFactory
from tests.test_forums import forum_in
from tests.test_permissions import outcome

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def public(w):
    return forum_in(w, slug="kompetanseforum-sor")


def private(w):
    return forum_in(w, slug="arbeidsgruppe-helse", is_public=False)


def meeting(forum_of=public):
    return lambda w: MeetingFactory(forum=forum_of(w))


def case(forum_of=public, closed=False):
    def make(w):
        extra = {"is_closed": True, "legal_basis": "Offl. § 13, jf. fvl. § 13"} if closed else {}
        return AgendaCaseFactory(meeting=MeetingFactory(forum=forum_of(w)), **extra)

    return make


def attachment(forum_of=public, closed=False):
    def make(w):
        upload = SimpleUploadedFile("Saksframlegg.pdf", PDF_BYTES)
        return attachment_add(actor=None, case=case(forum_of, closed)(w), uploaded=upload)

    return make


def seat(forum_of=public):
    return lambda w: ForumMembership.objects.get(forum=forum_of(w), person=w.users["holtalen_contact"])


def forum_url(name, forum_of=public):
    return lambda w: reverse(name, args=[forum_of(w).slug])


def object_url(name, object_of):
    def make(w):
        obj = object_of(w)
        slug = obj.forum.slug if hasattr(obj, "forum") else obj.case.forum.slug
        return reverse(name, args=[slug, obj.pk])

    return make


EVERYONE = "O O O O O O O O O"
PRIVATE_VIEW = "N N N O N N O N O"
CREATE = "L F F F F F O F O"
MANAGE = "L F F F F F O F O"
MANAGE_PRIVATE = "L N N F N N O N O"
HISTORY = "L F F O F F O F O"
HISTORY_PRIVATE = "L N N O N N O N O"
CLOSED_VIEW = "N N N O N N O N O"
CLOSED_MANAGE = "L N N F N N O N O"
MISSING = "N N N N N N N N N"
MISSING_MANAGE = "L N N N N N N N N"

MATRIX = [
    ("forums:list", "get", lambda w: reverse("forums:list"), EVERYONE),
    ("forums:create", "get", lambda w: reverse("forums:create"), CREATE),
    ("forums:create", "post", lambda w: reverse("forums:create"), CREATE),
    ("forums:detail", "get", forum_url("forums:detail"), EVERYONE),
    ("forums:detail", "get", forum_url("forums:detail", private), PRIVATE_VIEW),
    ("forums:detail", "get", lambda w: reverse("forums:detail", args=["finnes-ikke"]), MISSING),
    ("forums:edit", "get", forum_url("forums:edit"), MANAGE),
    ("forums:edit", "post", forum_url("forums:edit"), MANAGE),
    ("forums:edit", "get", forum_url("forums:edit", private), MANAGE_PRIVATE),
    ("forums:edit", "get", lambda w: reverse("forums:edit", args=["finnes-ikke"]), MISSING_MANAGE),
    ("forums:history", "get", forum_url("forums:history"), HISTORY),
    ("forums:history", "get", forum_url("forums:history", private), HISTORY_PRIVATE),
    ("forums:members", "get", forum_url("forums:members"), EVERYONE),
    ("forums:members", "get", forum_url("forums:members", private), PRIVATE_VIEW),
    ("forums:member_add", "get", forum_url("forums:member_add"), MANAGE),
    ("forums:member_add", "post", forum_url("forums:member_add"), MANAGE),
    ("forums:member_add", "get", forum_url("forums:member_add", private), MANAGE_PRIVATE),
    ("forums:member_end", "post", object_url("forums:member_end", seat()), MANAGE),
    ("forums:member_end", "post", object_url("forums:member_end", seat(private)), MANAGE_PRIVATE),
    ("forums:meeting_create", "get", forum_url("forums:meeting_create"), MANAGE),
    ("forums:meeting_create", "post", forum_url("forums:meeting_create"), MANAGE),
    ("forums:meeting_create", "get", forum_url("forums:meeting_create", private), MANAGE_PRIVATE),
    ("forums:meeting", "get", object_url("forums:meeting", meeting()), EVERYONE),
    ("forums:meeting", "get", object_url("forums:meeting", meeting(private)), PRIVATE_VIEW),
    ("forums:meeting", "get", lambda w: reverse("forums:meeting", args=[public(w).slug, 999999]), MISSING),
    ("forums:meeting_edit", "get", object_url("forums:meeting_edit", meeting()), MANAGE),
    ("forums:meeting_edit", "post", object_url("forums:meeting_edit", meeting()), MANAGE),
    ("forums:meeting_edit", "get", object_url("forums:meeting_edit", meeting(private)), MANAGE_PRIVATE),
    ("forums:needs_case", "post", object_url("forums:needs_case", meeting()), MANAGE),
    ("forums:needs_case", "post", object_url("forums:needs_case", meeting(private)), MANAGE_PRIVATE),
    ("forums:case_create", "get", object_url("forums:case_create", meeting()), MANAGE),
    ("forums:case_create", "post", object_url("forums:case_create", meeting()), MANAGE),
    ("forums:case_create", "get", object_url("forums:case_create", meeting(private)), MANAGE_PRIVATE),
    ("forums:case", "get", object_url("forums:case", case()), EVERYONE),
    ("forums:case", "get", object_url("forums:case", case(private)), PRIVATE_VIEW),
    ("forums:case", "get", object_url("forums:case", case(closed=True)), CLOSED_VIEW),
    ("forums:case", "get", object_url("forums:case", case(private, closed=True)), CLOSED_VIEW),
    ("forums:case_edit", "get", object_url("forums:case_edit", case()), MANAGE),
    ("forums:case_edit", "post", object_url("forums:case_edit", case()), MANAGE),
    ("forums:case_edit", "get", object_url("forums:case_edit", case(closed=True)), CLOSED_MANAGE),
    ("forums:case_move", "post", object_url("forums:case_move", case()), MANAGE),
    ("forums:case_move", "post", object_url("forums:case_move", case(closed=True)), CLOSED_MANAGE),
    ("forums:needs_case_present", "post", object_url("forums:needs_case_present", case()), MANAGE),
    ("forums:needs_case_present", "post", object_url("forums:needs_case_present", case(private)), MANAGE_PRIVATE),
    ("forums:attachment_add", "get", object_url("forums:attachment_add", case()), MANAGE),
    ("forums:attachment_add", "post", object_url("forums:attachment_add", case()), MANAGE),
    ("forums:attachment_add", "get", object_url("forums:attachment_add", case(closed=True)), CLOSED_MANAGE),
    ("forums:attachment", "get", object_url("forums:attachment", attachment()), EVERYONE),
    ("forums:attachment", "get", object_url("forums:attachment", attachment(private)), PRIVATE_VIEW),
    ("forums:attachment", "get", object_url("forums:attachment", attachment(closed=True)), CLOSED_VIEW),
    ("forums:attachment_delete", "get", object_url("forums:attachment_delete", attachment()), MANAGE),
    ("forums:attachment_delete", "post", object_url("forums:attachment_delete", attachment()), MANAGE),
    (
        "forums:attachment_delete",
        "post",
        object_url("forums:attachment_delete", attachment(closed=True)),
        CLOSED_MANAGE,
    ),
]

CASES = [
    pytest.param(method, url_of, persona, expected, id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, codes) in enumerate(MATRIX)
    for persona, expected in zip(PERSONAS, codes.split(), strict=True)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    target = url_of(world)
    client = client_for(persona)
    response = client.get(target) if method == "get" else client.post(target, {})
    assert outcome(response) == expected


def test_anonymous_sees_the_open_case_but_not_the_closed_one_or_its_attachment(world, client_for):
    forum = public(world)
    meeting_ = MeetingFactory(forum=forum)
    open_case = AgendaCaseFactory(meeting=meeting_, title="Åpen sak")
    closed_case = AgendaCaseFactory(meeting=meeting_, title="Lukket sak", is_closed=True, legal_basis="Offl. § 13")
    closed_file = attachment_add(actor=None, case=closed_case, uploaded=SimpleUploadedFile("Lukket.pdf", PDF_BYTES))
    open_file = attachment_add(actor=None, case=open_case, uploaded=SimpleUploadedFile("Åpen.pdf", PDF_BYTES))
    client = client_for("anonymous")
    assert client.get(open_case.get_absolute_url()).status_code == 200
    assert client.get(reverse("forums:attachment", args=[forum.slug, open_file.pk])).status_code == 200
    assert client.get(closed_case.get_absolute_url()).status_code == 404
    assert client.get(reverse("forums:attachment", args=[forum.slug, closed_file.pk])).status_code == 404
    # the attachment id of a closed case is not reachable through another forum either
    other = private(world)
    assert (
        client_for("holtalen_contact").get(reverse("forums:attachment", args=[other.slug, closed_file.pk])).status_code
        == 404
    )


def test_the_owner_organisations_admin_manages_the_forum(world, client_for):
    from kompetansebro.organisations.models import MembershipRole
    from tests.factories import MembershipFactory

    forum = private(world)
    owner_admin = MembershipFactory(organisation=world.council, role=MembershipRole.ADMIN).user
    client = client_for("anonymous")
    client.force_login(owner_admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("forums:edit", args=[forum.slug])).status_code == 200
    assert client.get(reverse("forums:create")).status_code == 403


def test_matrix_covers_every_core_view():
    """A new URL in urls_forums.py without a row in the matrix fails here."""
    from kompetansebro.forums import urls_forums

    names = {f"forums:{pattern.name}" for pattern in urls_forums.urlpatterns}
    assert "forums" in get_resolver().namespace_dict
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()


# ---- closed (exempt) papers by seat: issue 11 item 12 -----------------------------------------------------
# Norwegian practice: the members, chair and secretariat get every meeting's exempt papers; a deputy member only
# for the meeting they are called in to (the attendance has them attending for a member); an observer never,
# whether seated in the forum or with a role in its region. Columns: the closed case's page, its attachment,
# whether the meeting's notice shows the closed case's title, and the forum's history (it holds the changes of
# every case, closed ones too, so not for deputies or observers).
SEAT_MATRIX = [
    ("chair", "O O yes O"),
    ("deputy_chair", "O O yes O"),
    ("member", "O O yes O"),
    ("secretariat", "O O yes O"),
    ("deputy", "N N no F"),
    ("deputy_called_in", "O O yes F"),
    ("deputy_called_in_elsewhere", "N N no F"),
    ("observer", "N N no F"),
    ("region_observer", "N N no F"),
    ("region_observer_seated_as_observer", "N N no F"),
]


def seated_person(world, forum, meeting_, seat):
    from kompetansebro.forums.models import AttendanceStatus, MemberRole
    from kompetansebro.forums.services.minutes import AttendanceEntry, attendance_record
    from kompetansebro.organisations.models import RegionRoleKind
    from tests.factories import RegionRoleFactory, UserFactory
    from tests.forum_factories import ForumMembershipFactory

    person = UserFactory()
    if seat.startswith("region_observer"):
        RegionRoleFactory(region=world.region, role=RegionRoleKind.OBSERVER, user=person)
        if seat.endswith("seated_as_observer"):
            ForumMembershipFactory(forum=forum, person=person, role=MemberRole.OBSERVER, may_decide=False)
        return person
    role = MemberRole.DEPUTY if seat.startswith("deputy_called") else seat
    deputy_seat = ForumMembershipFactory(forum=forum, person=person, role=role, may_decide=False)
    if seat.startswith("deputy_called"):
        called_to = meeting_ if seat == "deputy_called_in" else MeetingFactory(forum=forum)
        member_seat = ForumMembership.objects.get(forum=forum, person=world.users["holtalen_contact"])
        attendance_record(
            actor=None,
            meeting=called_to,
            entries=[AttendanceEntry(membership=member_seat, status=AttendanceStatus.DEPUTY, deputy=deputy_seat)],
        )
    return person


@pytest.mark.parametrize("forum_of", [public, private], ids=["public", "private"])
@pytest.mark.parametrize(("seat", "expected"), SEAT_MATRIX, ids=[seat for seat, _ in SEAT_MATRIX])
def test_closed_papers_by_seat(world, client_for, forum_of, seat, expected):
    forum = forum_of(world)
    meeting_ = MeetingFactory(forum=forum)
    closed_case = AgendaCaseFactory(
        meeting=meeting_, title="Lukket sak om en ansatt", is_closed=True, legal_basis="Offl. § 13"
    )
    closed_file = attachment_add(actor=None, case=closed_case, uploaded=SimpleUploadedFile("Lukket.pdf", PDF_BYTES))
    client = client_for("anonymous")
    client.force_login(seated_person(world, forum, meeting_, seat), backend="django.contrib.auth.backends.ModelBackend")
    case_code, file_code, in_notice, history_code = expected.split()
    assert outcome(client.get(closed_case.get_absolute_url())) == case_code
    assert outcome(client.get(reverse("forums:attachment", args=[forum.slug, closed_file.pk]))) == file_code
    notice = client.get(reverse("forums:notice", args=[forum.slug, meeting_.pk]))
    assert notice.status_code == 200
    assert ("Lukket sak om en ansatt" in notice.content.decode()) == (in_notice == "yes")
    assert outcome(client.get(reverse("forums:history", args=[forum.slug]))) == history_code
