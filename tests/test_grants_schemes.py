"""Grant schemes: the rules in words, the check of target municipalities, validation, the chain of schemes passed
down, the report template, rounds' frames, the history and query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.geography.models import Municipality
from kompetansebro.grants import selectors
from kompetansebro.grants.models import AllocationStatus, GrantRound, GrantScheme, ReportQuestion
from kompetansebro.grants.services import schemes as services
from tests.grant_factories import AllocationFactory, GrantRoundFactory, GrantSchemeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def scheme_data(**changes) -> dict:
    data = {
        "name": "Kompetansepiloter",
        "slug": "kompetansepiloter",
        "owner": "",
        "source": "Kommunal- og distriktsdepartementet",
        "parent": "",
        "purpose": "Utdanning i bedrift i distriktene.",
        "eligibility": "Regionråd og kommuner.",
        "target_centrality_classes": ["5", "6"],
        "max_grant_share": "70",
        "in_kind_counts": "on",
        "in_kind_hourly_rate": "700",
        "requires_economic_report": "on",
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def owned_by_holtalen(world, **kwargs) -> GrantScheme:
    kwargs.setdefault("owner", world.holtalen)
    return GrantSchemeFactory(**kwargs)


# ---- the rules in words and the eligibility check ----------------------------------------------------------


def test_scheme_page_says_the_rules_in_plain_words(world, client_for):
    county = GrantSchemeFactory(name="Kompetansepiloter (KDD)", owner=world.council)
    scheme = owned_by_holtalen(world, name="Kompetansepilot Trøndelag Sør", parent=county)
    child = GrantSchemeFactory(name="Delpilot Holtålen", parent=scheme, owner=world.holtalen)
    GrantRoundFactory(scheme=scheme, name="Runde 2027", year=2027, frame=Decimal("690000"))
    ReportQuestion.objects.create(scheme=scheme, position=1, text="Lokal forankring")
    response = client_for("anonymous").get(scheme.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Municipalities in centrality classes 5 and 6" in page
    assert "at least 30 % own contribution" in page
    assert "kr\xa0700 per hour" in page
    assert "kr\xa0690\xa0000" in page and "Runde 2027" in page
    assert county.name in page and child.name in page
    assert "Lokal forankring" in page


def test_centrality_text_and_eligibility_check(world):
    holtalen = Municipality.objects.get(number="5026")
    trondheim = Municipality.objects.get(number="5001")
    scheme = GrantSchemeFactory(target_centrality_classes=[5, 6])
    assert holtalen.centrality_class in (5, 6) and trondheim.centrality_class < 5
    assert selectors.scheme_allows_municipality(scheme, holtalen)
    assert not selectors.scheme_allows_municipality(scheme, trondheim)
    assert not selectors.scheme_allows_municipality(scheme, None)
    everyone = GrantSchemeFactory(target_centrality_classes=[])
    assert selectors.scheme_allows_municipality(everyone, trondheim)
    assert selectors.scheme_allows_municipality(everyone, None)
    assert selectors.centrality_text([6]) == "Municipalities in centrality class 6"
    assert selectors.centrality_text([4, 6, 5]) == "Municipalities in centrality classes 4, 5 and 6"
    assert "Every municipality" in selectors.centrality_text([])


def test_norwegian_own_share_and_percent(world, client_for, settings):
    settings.LANGUAGE_CODE = "nb"
    scheme = owned_by_holtalen(world, max_grant_share=Decimal("70.6"))
    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    page = client.get(scheme.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "70,6" in page and "29,4" in page


# ---- creating and changing -------------------------------------------------------------------------------


def test_org_admin_creates_a_scheme_owned_by_their_organisation(world, client_for):
    client = client_for("holtalen_admin")
    response = client.post(reverse("grants:scheme_create"), scheme_data(owner=world.holtalen.pk))
    scheme = GrantScheme.objects.get(slug="kompetansepiloter")
    assert response.status_code == 302 and response.url == scheme.get_absolute_url()
    assert scheme.target_centrality_classes == [5, 6]
    assert scheme.max_grant_share == Decimal("70") and scheme.in_kind_hourly_rate == Decimal("700")
    entry = AuditEntry.objects.get(action="grants.scheme.created")
    assert entry.actor == world.users["holtalen_admin"] and entry.object_id == str(scheme.pk)
    # another organisation's admin cannot choose Holtålen as the owner
    refused = client_for("ntnu_admin").post(
        reverse("grants:scheme_create"), scheme_data(slug="annen", owner=world.holtalen.pk)
    )
    assert refused.status_code == 200 and "Choose an organisation from the list." in refused.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"max_grant_share": "101"}, "max_grant_share", "between 0 and 100"),
        ({"max_grant_share": "-1"}, "max_grant_share", "between 0 and 100"),
        ({"in_kind_hourly_rate": ""}, "in_kind_hourly_rate", "Give the hourly rate"),
        ({"in_kind_hourly_rate": "-5"}, "in_kind_hourly_rate", "cannot be negative"),
        ({"target_centrality_classes": ["7"]}, "target_centrality_classes", "1 to 6"),
        ({"slug": "ny"}, "slug", "reserved"),
    ],
)
def test_form_refuses_invalid_rules(world, client_for, changes, field, message):
    response = client_for("platform_admin").post(
        reverse("grants:scheme_create"), scheme_data(owner=world.holtalen.pk, **changes)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert not GrantScheme.objects.exists()


def test_rate_is_optional_when_in_kind_hours_do_not_count(world):
    scheme = services.scheme_create(
        actor=None,
        name="DEKOM",
        slug="dekom",
        owner=world.council,
        in_kind_counts=False,
        max_grant_share=Decimal("100"),
    )
    assert scheme.in_kind_hourly_rate is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"max_grant_share": Decimal("100.5")}, "max_grant_share"),
        ({"in_kind_counts": True, "in_kind_hourly_rate": None}, "in_kind_hourly_rate"),
        ({"in_kind_hourly_rate": Decimal("-1")}, "in_kind_hourly_rate"),
        ({"target_centrality_classes": [0, 5]}, "target_centrality_classes"),
        ({"target_centrality_classes": ["x"]}, "target_centrality_classes"),
        ({"name": " "}, "name"),
    ],
)
def test_service_refuses_invalid_rules(world, values, field):
    base = {"name": "Ordning", "slug": "ordning", "owner": world.council}
    with pytest.raises(ValidationError) as error:
        services.scheme_create(actor=None, **{**base, **values})
    assert field in error.value.error_dict


def test_a_scheme_cannot_be_its_own_ancestor(world, client_for):
    ministry = GrantSchemeFactory(slug="kdd", owner=world.council)
    county = GrantSchemeFactory(slug="fylke", parent=ministry, owner=world.council)
    region = owned_by_holtalen(world, slug="region", parent=county)
    for parent in (ministry, county, region):
        with pytest.raises(ValidationError) as error:
            services.scheme_update(actor=None, scheme=ministry, expected_version=ministry.version, parent=parent)
        assert "parent" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.scheme_update(actor=None, scheme=county, expected_version=county.version, parent=county)
    # the form says the same beside the field
    client = client_for("platform_admin")
    data = scheme_data(
        name=ministry.name, slug=ministry.slug, owner=world.council.pk, parent=region.pk, version=ministry.version
    )
    response = client.post(reverse("grants:scheme_edit", args=[ministry.slug]), data)
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    ministry.refresh_from_db()
    assert ministry.parent is None


def test_edit_is_versioned_and_logged(world, client_for):
    scheme = owned_by_holtalen(world)
    client = client_for("holtalen_admin")
    data = scheme_data(name=scheme.name, slug=scheme.slug, owner=world.holtalen.pk, version=scheme.version)
    data["max_grant_share"] = "60"
    assert client.post(reverse("grants:scheme_edit", args=[scheme.slug]), data).status_code == 302
    scheme.refresh_from_db()
    assert scheme.max_grant_share == Decimal("60") and scheme.version == 2
    entry = AuditEntry.objects.get(action="grants.scheme.changed")
    assert entry.changes["max_grant_share"]["old"] == "70.00" and entry.changes["max_grant_share"]["new"] == "60.00"
    # a stale form shows the conflict instead of saving
    stale = client.post(reverse("grants:scheme_edit", args=[scheme.slug]), {**data, "max_grant_share": "50"})
    assert stale.status_code == 200 and stale.context["conflict"]
    scheme.refresh_from_db()
    assert scheme.max_grant_share == Decimal("60")
    with pytest.raises(ConcurrentEditError):
        services.scheme_update(actor=None, scheme=scheme, expected_version=1, name="Annet")


# ---- the report template ----------------------------------------------------------------------------------


DEKOM_QUESTIONS = [
    "Lokal forankring",
    "Unngå fragmentering",
    "Skolebasert tilnærming",
    "Elevenes stemme",
]


def test_report_template_add_move_remove(world, client_for):
    scheme = owned_by_holtalen(world)
    client = client_for("holtalen_admin")
    url = reverse("grants:scheme_questions", args=[scheme.slug])
    for text in DEKOM_QUESTIONS:
        assert client.post(url, {"action": "add", "text": text, "help_text": ""}).status_code == 302
    assert [q.text for q in selectors.report_questions(scheme)] == DEKOM_QUESTIONS
    last = ReportQuestion.objects.get(scheme=scheme, text="Elevenes stemme")
    client.post(url, {"action": "up", "question": last.pk})
    assert [q.text for q in selectors.report_questions(scheme)][2:] == ["Elevenes stemme", "Skolebasert tilnærming"]
    first = ReportQuestion.objects.get(scheme=scheme, text="Lokal forankring")
    client.post(url, {"action": "up", "question": first.pk})  # already first: nothing moves
    client.post(url, {"action": "remove", "question": first.pk})
    questions = selectors.report_questions(scheme)
    assert [q.text for q in questions] == ["Unngå fragmentering", "Elevenes stemme", "Skolebasert tilnærming"]
    assert [q.position for q in questions] == [1, 2, 3]
    actions = list(AuditEntry.objects.filter(object_id=str(scheme.pk)).values_list("action", flat=True))
    assert actions.count("grants.scheme.question_added") == 4
    assert "grants.scheme.question_moved" in actions and "grants.scheme.question_removed" in actions
    page = client.get(url).content.decode()
    assert "Elevenes stemme" in page
    # an empty question is refused beside the field; a question of another scheme is not found
    empty = client.post(url, {"action": "add", "text": " "})
    assert empty.status_code == 200 and "text" in empty.context["form"].errors
    other = ReportQuestion.objects.create(scheme=GrantSchemeFactory(), position=1, text="Annen")
    client.post(url, {"action": "remove", "question": other.pk})
    assert ReportQuestion.objects.filter(pk=other.pk).exists()


# ---- rounds -----------------------------------------------------------------------------------------------


def round_data(**changes) -> dict:
    data = {
        "name": "DEKOM 2027",
        "year": "2027",
        "frame": "2 500 000",
        "priority_deadline": "20.03.2027",
        "region": "",
        "forum": "",
    }
    data.update(changes)
    return data


def test_round_create_and_edit_with_the_frame(world, client_for):
    scheme = owned_by_holtalen(world)
    client = client_for("holtalen_admin")
    response = client.post(reverse("grants:round_create", args=[scheme.slug]), round_data(region=world.region.pk))
    assert response.status_code == 302
    grant_round = GrantRound.objects.get(scheme=scheme)
    assert grant_round.frame == Decimal("2500000") and grant_round.priority_deadline.isoformat() == "2027-03-20"
    assert grant_round.region == world.region
    assert AuditEntry.objects.filter(action="grants.round.created", object_id=str(grant_round.pk)).exists()
    # the region's secretariat manages the round: changes the frame
    GrantRound.objects.filter(pk=grant_round.pk).update(frame_to_be_adjusted=True)
    secretariat = client_for("secretariat_sor")
    url = reverse("grants:round_edit", args=[grant_round.pk])
    assert "last year" in secretariat.get(url).content.decode()
    data = round_data(frame="2600000", region=world.region.pk, version=grant_round.version)
    assert secretariat.post(url, data).status_code == 302
    grant_round.refresh_from_db()
    assert grant_round.frame == Decimal("2600000") and not grant_round.frame_to_be_adjusted
    entry = AuditEntry.objects.get(action="grants.round.changed")
    assert entry.changes["frame"]["new"] == "2600000.00"


def test_frame_cannot_go_below_what_is_allocated(world):
    grant_round = GrantRoundFactory(frame=Decimal("500000"))
    AllocationFactory(round=grant_round, amount=Decimal("300000"))
    AllocationFactory(round=grant_round, amount=Decimal("150000"), status=AllocationStatus.ADOPTED)
    AllocationFactory(round=grant_round, amount=Decimal("400000"), status=AllocationStatus.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        services.round_update(
            actor=None, grant_round=grant_round, expected_version=grant_round.version, frame=Decimal("449999")
        )
    assert "frame" in error.value.error_dict and "450\xa0000" in " ".join(error.value.messages)
    services.round_update(
        actor=None, grant_round=grant_round, expected_version=grant_round.version, frame=Decimal("450000")
    )
    grant_round.refresh_from_db()
    assert grant_round.frame == Decimal("450000")


def test_round_form_refuses_a_negative_frame_and_a_bad_year(world, client_for):
    scheme = owned_by_holtalen(world)
    response = client_for("holtalen_admin").post(
        reverse("grants:round_create", args=[scheme.slug]), round_data(frame="-1", year="27")
    )
    assert response.status_code == 200
    assert {"frame", "year"} <= set(response.context["form"].errors)
    assert not GrantRound.objects.exists()


# ---- history and query counts ------------------------------------------------------------------------------


def test_history_shows_the_scheme_its_template_and_its_rounds(world, client_for):
    scheme = owned_by_holtalen(world)
    services.question_add(actor=world.users["holtalen_admin"], scheme=scheme, text="Lokal forankring")
    services.round_create(actor=None, scheme=scheme, name="Runde 2027", year=2027, frame=Decimal("1000"))
    page = client_for("holtalen_admin").get(reverse("grants:scheme_history", args=[scheme.slug])).content.decode()
    assert "Lokal forankring" in page and "Runde 2027" in page


@pytest.mark.parametrize("persona", ["anonymous", "holtalen_admin", "platform_admin"])
def test_scheme_pages_query_counts_do_not_grow(world, client_for, persona):
    scheme = owned_by_holtalen(world)
    client = client_for(persona)
    urls = [
        reverse("grants:scheme_list"),
        scheme.get_absolute_url(),
        reverse("grants:scheme_questions", args=[scheme.slug]),
    ]
    counts = {url: [] for url in urls}
    for size in (1, 6):
        for n in range(size):
            child = GrantSchemeFactory(parent=scheme)
            GrantRoundFactory(scheme=scheme, region=world.region)
            GrantRoundFactory(scheme=child)
            ReportQuestion.objects.create(scheme=scheme, position=100 + n, text=f"Spørsmål {n}")
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code in (200, 302, 403)
            counts[url].append(len(queries))
    for url, (small, large) in counts.items():
        assert large <= small, (url, small, large)


def test_admin_is_read_only(world, client_for):
    scheme = owned_by_holtalen(world)
    GrantRoundFactory(scheme=scheme)
    client = client_for("platform_admin")
    for model in ("grantscheme", "grantround", "wheelstep", "allocation", "payment"):
        assert client.get(reverse(f"admin:grants_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:grants_grantscheme_change", args=[scheme.pk])).status_code == 200
    assert client.get(reverse("admin:grants_grantscheme_add")).status_code == 403
