import factory
from stdnum.no import orgnr

from kompetansebro.accounts.models import User
from kompetansebro.geography.models import Municipality
from kompetansebro.organisations.models import Membership, MembershipRole, Organisation, OrganisationKind, RegionRole


def valid_org_number(sequence: int) -> str:
    """The sequence-th nine-digit number starting with 9 whose MOD11 check digit exists."""
    base = 91000000 + sequence * 7
    while True:
        for digit in "0123456789":
            if orgnr.is_valid(f"{base:08d}{digit}"):
                return f"{base:08d}{digit}"
        base += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    full_name = factory.Sequence(lambda n: f"Person Nummer {n}")
    password = factory.PostGenerationMethodCall("set_password", "Passord-for-test-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n} AS")
    kind = OrganisationKind.COMPANY
    org_number = factory.Sequence(valid_org_number)
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(number="5026"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER


class RegionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionRole

    user = factory.SubFactory(UserFactory)


def _health_field():
    from kompetansebro.competences.models import CompetenceField

    return CompetenceField.objects.get(code="helse-og-omsorg")


class NeedFactory(factory.django.DjangoModelFactory):
    """A competence need (visible to the region by default); pass organisation= to choose whose."""

    class Meta:
        model = "needs.CompetenceNeed"

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Behov {n}: helsefagarbeidere")
    description = "Vi trenger flere med fagbrev i helsearbeiderfaget."
    field = factory.LazyFunction(_health_field)
    persons = 3
    municipality = factory.LazyAttribute(lambda need: need.organisation.municipality)
    visibility = "region"


class OfferingFactory(factory.django.DjangoModelFactory):
    """An open, online offering of a new education provider; pass provider=world.ntnu to reuse one.
    Goes straight to the database: search_text is filled from the title and description only."""

    class Meta:
        model = "offerings.Offering"
        skip_postgeneration_save = True

    provider = factory.SubFactory(
        OrganisationFactory, kind=OrganisationKind.EDUCATION_PROVIDER, provider_kind="university"
    )
    title = factory.Sequence(lambda n: f"Utdanningstilbud {n}")
    description = "Et tilbud for voksne i arbeid."
    field = factory.LazyFunction(lambda: _competence_field("helse-og-omsorg"))
    level = "fagbrev"
    delivery_online = True
    status = "open"
    search_text = factory.LazyAttribute(lambda o: _search_words(f"{o.title} {o.description}"))


def _competence_field(code):
    from kompetansebro.competences.models import CompetenceField

    return CompetenceField.objects.get(code=code)


def _search_words(text):
    from kompetansebro.offerings.search import search_words

    return search_words(text)


class MatchStateFactory(factory.django.DjangoModelFactory):
    """The matching engine's state for a need, without running the engine: a low best score by default
    (no good match), so the need shows in the gap analysis."""

    class Meta:
        model = "matching.MatchState"

    need = factory.SubFactory(NeedFactory)
    stale = False
    best_score = 0.1
    computed_at = factory.LazyFunction(lambda: _now())


def _now():
    from django.utils import timezone

    return timezone.now()
