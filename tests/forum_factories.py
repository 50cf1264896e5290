"""Factories for forums, meetings, cases and tasks (the forums app)."""

import datetime

import factory
from django.utils import timezone

from kompetansebro.forums.models import CaseKind, ForumKind, MemberRole
from tests.factories import OrganisationFactory, UserFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Forum"

    name = factory.Sequence(lambda n: f"Kompetanseforum {n}")
    slug = factory.Sequence(lambda n: f"kompetanseforum-{n}")
    kind = ForumKind.REGIONAL_COMPETENCE_FORUM
    owner = factory.SubFactory(OrganisationFactory)
    mandate = "Forumet samordner behov for kompetanse og utdanning i regionen."
    is_public = True


class ForumMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.ForumMembership"

    forum = factory.SubFactory(ForumFactory)
    person = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER
    may_decide = True
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting two weeks ahead, 10:00–14:00 Oslo time."""

    class Meta:
        model = "forums.Meeting"

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Møte {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(
            datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=14), datetime.time(10))
        )
    )
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + datetime.timedelta(hours=4))
    place = "Røros rådhus"


class AgendaCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.AgendaCase"

    meeting = factory.SubFactory(MeetingFactory)
    forum = factory.LazyAttribute(lambda case: case.meeting.forum)
    kind = CaseKind.DECISION
    year = factory.LazyAttribute(lambda case: timezone.localtime(case.meeting.starts_at).year)
    number = factory.Sequence(lambda n: n + 1)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Sak {n}: kompetansebehov i regionen")
    background = "Bakgrunn for saken."
    recommendation = "Forumet tar saken til orientering."


class FollowUpTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.FollowUpTask"

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Oppfølging {n}")
    responsible_person = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
