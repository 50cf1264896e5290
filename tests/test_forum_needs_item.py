"""Needs as a fixed agenda item: which needs the case carries, its facts (best matches, development
requests, anonymised in a public forum), and presenting it (all or nothing, once)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kompetansebro.development.models import DevelopmentRequest, RequestNeed, RequestStatus
from kompetansebro.forums.models import AgendaCase
from kompetansebro.forums.services import needs_item
from kompetansebro.geography.models import Municipality
from kompetansebro.matching.models import MatchState, MatchSuggestion
from kompetansebro.needs.models import NeedStatus, NeedStatusChange
from tests.factories import NeedFactory, OfferingFactory
from tests.forum_factories import MeetingFactory
from tests.test_forums import forum_in, in_days

pytestmark = pytest.mark.django_db


def qualified(world, **kwargs):
    kwargs.setdefault("organisation", world.holtalen)
    return NeedFactory(status=NeedStatus.QUALIFIED, **kwargs)


def with_match(world, need, title="Helsefagarbeider, fagbrev for voksne", score=0.91):
    offering = OfferingFactory(provider=world.ntnu, title=title)
    MatchSuggestion.objects.create(need=need, offering=offering, rank=1, score=score, computed_at=timezone.now())
    MatchState.objects.update_or_create(
        need=need, defaults={"stale": False, "best_score": score, "computed_at": timezone.now()}
    )
    return offering


def with_request(world, need, title="Helsefag med samlinger i Holtålen"):
    request = DevelopmentRequest.objects.create(
        region=world.region,
        title=title,
        description="Fagbrev lokalt.",
        answer_deadline=timezone.localdate() + datetime.timedelta(days=14),
        status=RequestStatus.SENT,
    )
    RequestNeed.objects.create(request=request, need=need)
    return request


def test_which_needs_the_case_carries(world):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    in_region = qualified(world)
    # the need's municipality is outside, its organisation's is inside the region
    elsewhere_but_ours = qualified(
        world, organisation=world.roros, municipality=Municipality.objects.get(number="5001")
    )
    qualified(world, organisation=world.oslo_company)  # another region
    NeedFactory(organisation=world.holtalen)  # only registered
    NeedFactory(organisation=world.holtalen, status=NeedStatus.PRESENTED)  # presented already
    qualified(world, visibility="organisation")  # the region does not see it
    registered_by_region = qualified(world, visibility="organisation", registered_by_region=world.region)
    carried = set(needs_item.needs_for_agenda(meeting))
    assert carried == {in_region, elsewhere_but_ours, registered_by_region}


def test_build_from_the_meeting_page_in_a_private_forum(world, client_for):
    forum = forum_in(world, is_public=False)
    previous = MeetingFactory(forum=forum, starts_at=in_days(-40), ends_at=in_days(-40, 14))
    meeting = MeetingFactory(forum=forum)
    need = qualified(world, title="Fagbrev i helsearbeiderfaget", persons=4, level="fagbrev")
    offering = with_match(world, need)
    request = with_request(world, need)
    without_match = qualified(world, organisation=world.roros, title="Regnskap for landbruk")
    client = client_for("secretariat_sor")
    assert client.get(meeting.get_absolute_url()).context["waiting_needs"] == 2
    response = client.post(reverse("forums:needs_case", args=[forum.slug, meeting.pk]))
    case = AgendaCase.objects.get(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert set(case.needs.all()) == {need, without_match}
    assert list(case.development_requests.all()) == [request]
    assert "Holtålen kommune" in case.facts and "Fagbrev i helsearbeiderfaget" in case.facts
    assert offering.title in case.facts and "NTNU Videre" in case.facts and "0,91" in case.facts
    assert request.title in case.facts and "Røros kommune" in case.facts
    assert previous.starts_at.astimezone().strftime("%d.%m.%Y") in case.background
    assert case.kind == "PS" and case.number == 1
    # nothing new is waiting: a second build is refused
    client.post(reverse("forums:needs_case", args=[forum.slug, meeting.pk]))
    assert AgendaCase.objects.filter(meeting=meeting).count() == 1
    with pytest.raises(ValidationError):
        needs_item.needs_case_build(actor=None, meeting=meeting)


def test_public_forum_facts_are_anonymised(world, client_for):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    need = qualified(world, title="Hemmelig tittel hos Holtålen")
    with_request(world, need, title="Intern bestillingstittel")
    case = needs_item.needs_case_build(actor=world.users["secretariat_sor"], meeting=meeting)
    assert "Holtålen kommune" not in case.facts and "Hemmelig tittel" not in case.facts
    assert "Intern bestillingstittel" not in case.facts
    assert need.field.name in case.facts and need.municipality.name in case.facts
    anonymous = client_for("anonymous").get(case.get_absolute_url()).content.decode()
    assert "Hemmelig tittel hos Holtålen" not in anonymous
    insider = client_for("secretariat_sor").get(case.get_absolute_url()).content.decode()
    assert "Hemmelig tittel hos Holtålen" in insider


def test_a_forum_without_region_or_needs_is_refused(world, english):
    no_region = MeetingFactory(forum=forum_in(world, region=None))
    with pytest.raises(ValidationError, match="no region"):
        needs_item.needs_case_build(actor=None, meeting=no_region)
    with pytest.raises(ValidationError, match="No qualified needs"):
        needs_item.needs_case_build(actor=None, meeting=MeetingFactory(forum=forum_in(world)))
    assert not AgendaCase.objects.exists()


def test_presenting_moves_the_needs_once(world, client_for, english):
    forum = forum_in(world)
    meeting = MeetingFactory(forum=forum)
    needs = [qualified(world), qualified(world)]
    case = needs_item.needs_case_build(actor=None, meeting=meeting)
    client = client_for("secretariat_sor")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Mark 2 needs as presented in the forum" in page
    response = client.post(reverse("forums:needs_case_present", args=[forum.slug, case.pk]))
    assert response.status_code == 302
    for need in needs:
        need.refresh_from_db()
        assert need.status == NeedStatus.PRESENTED
        change = NeedStatusChange.objects.get(need=need, to_status=NeedStatus.PRESENTED)
        assert case.label in change.reason and forum.name in change.reason
        assert change.changed_by == world.users["secretariat_sor"]
    with pytest.raises(ValidationError, match="no needs in this case left to present"):
        needs_item.needs_case_present(actor=None, case=case)
    response = client.post(reverse("forums:needs_case_present", args=[forum.slug, case.pk]), follow=True)
    assert "There are no needs in this case left to present." in response.content.decode()
    assert NeedStatusChange.objects.filter(to_status=NeedStatus.PRESENTED).count() == 2


def test_presenting_is_all_or_nothing(world):
    meeting = MeetingFactory(forum=forum_in(world))
    first, second = qualified(world), qualified(world)
    case = needs_item.needs_case_build(actor=None, meeting=meeting)
    real = needs_item.need_change_status

    def fail_on_second(*, need, **kwargs):
        if need.pk == second.pk:
            raise ValidationError("boom")
        return real(need=need, **kwargs)

    with (
        mock.patch.object(needs_item, "need_change_status", side_effect=fail_on_second),
        pytest.raises(ValidationError),
    ):
        needs_item.needs_case_present(actor=None, case=case)
    first.refresh_from_db()
    assert first.status == NeedStatus.QUALIFIED
    assert not NeedStatusChange.objects.exists()


def test_stale_or_missing_suggestions_are_ranked_before_the_case_quotes_them(world):
    forum = forum_in(world, is_public=False)
    meeting = MeetingFactory(forum=forum)
    fresh = qualified(world)
    with_match(world, fresh)
    never_ranked = qualified(world)
    stale = qualified(world)
    with_match(world, stale, title="Demensomsorg, videreutdanning")
    MatchState.objects.filter(need=stale).update(stale=True)
    with mock.patch.object(needs_item, "current_state") as rank:
        needs_item.needs_case_build(actor=world.users["secretariat_sor"], meeting=meeting)
    assert {call.args[0] for call in rank.call_args_list} == {never_ranked, stale}
