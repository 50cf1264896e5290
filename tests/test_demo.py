"""The `demo` command: the small Trøndelag Sør demo and a scaled-down national data set."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from stdnum.no import orgnr

from kompetansebro.accounts.models import User
from kompetansebro.audit.models import AuditEntry
from kompetansebro.demo import grants as demo_grants
from kompetansebro.demo import national, trondelag_sor
from kompetansebro.demo.orgnr import check_digit, org_numbers, stable_org_number
from kompetansebro.geography.models import Municipality, Region, RegionKind
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundNeed, RoundStatus
from kompetansebro.needs.models import NEXT_STATUSES, CompetenceNeed, NeedStatus, NeedStatusChange, Visibility
from kompetansebro.offerings.models import Offering
from kompetansebro.offerings.services import offering_search_text
from kompetansebro.organisations.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    RegionRole,
    RegionRoleKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Membership, RegionRole, Region, Municipality, AuditEntry)
    }


def test_check_digit_agrees_with_stdnum():
    for number in [*range(80_000_000, 80_000_500), *range(97_476_000, 97_476_300)]:
        first = f"{number:08d}"
        digit = check_digit(first)
        valid = [d for d in range(10) if orgnr.is_valid(f"{first}{d}")]
        assert valid == ([] if digit is None else [digit])


def test_generated_org_numbers_are_valid_increasing_and_skip_check_digit_ten():
    numbers = [number for number, _ in zip(org_numbers(), range(2000), strict=False)]
    assert all(orgnr.is_valid(number) for number in numbers)
    assert numbers == sorted(set(numbers))
    assert len(numbers) == 2000
    assert stable_org_number("demo/x") == stable_org_number("demo/x")
    assert orgnr.is_valid(stable_org_number("demo/x"))


def test_small_demo_loads_reference_data_and_organisations():
    output = run_demo()
    assert Municipality.objects.count() == 357
    council = Organisation.objects.get(name="Trøndelag Sør-Interkommunalt politisk råd")
    assert council.kind == OrganisationKind.REGIONAL_COUNCIL
    assert council.municipality.number == "5027"
    for number in trondelag_sor.MEMBER_MUNICIPALITIES:
        assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, parent=None, municipality__number=number)
    assert Organisation.objects.get(name="Holtålen kommune, hjemmetjenesten").parent.name == "Holtålen kommune"
    for garden in ("Rørosregionen Næringshage", "Nasjonalparken Næringshage"):
        members = Organisation.objects.filter(represented_by__name=garden, kind=OrganisationKind.COMPANY)
        assert 3 <= members.count() <= 4
        assert all(company.name.endswith(" AS") for company in members)
    assert Organisation.objects.get(name="NTNU Videre").provider_kind == "university"
    # Written through the services, so the history says who registered the organisations.
    assert AuditEntry.objects.filter(action="organisations.organisation.created").count() == len(
        trondelag_sor.ORGANISATIONS
    ) + len(demo_grants.ORGANISATIONS)
    assert "admin@kompetansebro.no" in output
    assert trondelag_sor.DEMO_PASSWORD in output


def test_small_demo_is_idempotent():
    run_demo()
    first = counts()
    output = run_demo()
    assert counts() == first
    assert "already there" in output


def test_all_org_numbers_are_valid_and_unique():
    run_demo()
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert all(orgnr.is_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers) == len(trondelag_sor.ORGANISATIONS) + len(demo_grants.ORGANISATIONS)


def test_secretariat_and_county_observer_roles():
    run_demo()
    secretariat = User.objects.get(email="marte.oyen@trondelagsor.no")
    assert RegionRole.objects.filter(
        user=secretariat, region__code="trondelag-sor", role=RegionRoleKind.SECRETARIAT
    ).exists()
    advisor_role = RegionRole.objects.get(user__email="henrik.aune@trondelagfylke.no")
    assert advisor_role.role == RegionRoleKind.OBSERVER
    assert advisor_role.region.code.startswith("fylke-50-")
    assert advisor_role.user.memberships.get().organisation.name == "Trøndelag fylkeskommune"


def test_every_municipality_in_the_region_has_a_contact_person():
    run_demo()
    region = Region.objects.get(code="trondelag-sor")
    for municipality in region.municipalities.all():
        assert Membership.objects.filter(
            role=MembershipRole.CONTACT,
            organisation__kind=OrganisationKind.MUNICIPALITY,
            organisation__parent=None,
            organisation__municipality=municipality,
        ).exists(), municipality
    for name in ("Holtålen kommune", "Røros kommune"):
        assert Membership.objects.filter(organisation__name=name, role=MembershipRole.ADMIN).exists()


def test_demo_logins_work():
    run_demo()
    for person in trondelag_sor.PEOPLE:
        user = User.objects.get(email=person.email)
        assert user.check_password(trondelag_sor.DEMO_PASSWORD), person.email
        assert user.is_active
    admin = User.objects.get(email="admin@kompetansebro.no")
    assert admin.is_superuser and admin.is_staff
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="admin@kompetansebro.no", password=trondelag_sor.DEMO_PASSWORD) == admin


NATIONAL = {"scale": "national", "organisations": 900, "people": 1500, "needs": 600, "offerings": 300}


def test_national_scaled_down():
    output = run_demo(**NATIONAL)
    assert "National data generated" in output
    assert Organisation.objects.count() == 900
    assert User.objects.count() == 1500
    # Every municipality has a municipality organisation; the demo's are not duplicated.
    assert (
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, parent=None)
        .values("municipality")
        .distinct()
        .count()
        == Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, parent=None).count()
        == 357
    )
    assert all(orgnr.is_valid(number) for number in Organisation.objects.values_list("org_number", flat=True))
    generated = Region.objects.filter(description=national.NATIONAL_MARKER)
    assert generated.exists()
    for region in generated:
        assert region.roles.filter(role=RegionRoleKind.SECRETARIAT).exists()
    assert RegionRole.objects.filter(role=RegionRoleKind.OBSERVER, region__kind=RegionKind.COUNTY).count() > 1
    person = User.objects.filter(memberships__organisation__description=national.NATIONAL_MARKER).first()
    assert person.check_password(trondelag_sor.DEMO_PASSWORD)
    # No history for the generated data: only the small demo's entries.
    assert not AuditEntry.objects.filter(object_repr__in=generated.values("name")).exists()
    assert AuditEntry.objects.filter(action="organisations.organisation.created").count() == len(
        trondelag_sor.ORGANISATIONS
    ) + len(demo_grants.ORGANISATIONS)

    # A second run skips; --reset generates the same data again from the same seed.
    first = counts()
    names = sorted(Organisation.objects.values_list("name", flat=True))
    emails = sorted(User.objects.values_list("email", flat=True))
    assert "already generated" in run_demo(**NATIONAL)
    assert counts() == first
    run_demo(**NATIONAL, reset=True)
    assert sorted(Organisation.objects.values_list("name", flat=True)) == names
    assert sorted(User.objects.values_list("email", flat=True)) == emails
    assert User.objects.filter(email__in=trondelag_sor.DEMO_EMAILS).count() == len(trondelag_sor.PEOPLE)


def catalogue_counts() -> dict:
    """What the national generation made (the small demo may have needs, offerings and rounds of its own)."""
    marker = national.NATIONAL_MARKER
    return {
        "needs": CompetenceNeed.objects.filter(organisation__description=marker).count(),
        "status changes": NeedStatusChange.objects.filter(need__organisation__description=marker).count(),
        "offerings": Offering.objects.filter(provider__description=marker).count(),
        "rounds": MappingRound.objects.filter(region__description=marker).count(),
        "invitations": RoundInvitation.objects.filter(organisation__description=marker).count(),
        "needs in rounds": RoundNeed.objects.filter(round__region__description=marker).count(),
    }


def test_national_needs_offerings_and_rounds():
    run_demo()
    history_before = AuditEntry.objects.count()
    output = run_demo(**NATIONAL)
    assert "600 needs" in output and "300 offerings" in output
    generated = Organisation.objects.filter(description=national.NATIONAL_MARKER)
    assert CompetenceNeed.objects.filter(organisation__in=generated).count() == 600
    assert Offering.objects.filter(provider__in=generated).count() == 300
    assert MappingRound.objects.filter(region__description=national.NATIONAL_MARKER).exists()
    assert AuditEntry.objects.count() == history_before  # no history entries for the generated data

    # Offerings: from education providers, delivered somehow, searchable as the offerings app indexes them.
    offerings = (
        Offering.objects.filter(provider__in=generated)
        .select_related("provider", "field")
        .prefetch_related("tags", "gathering_locations")
    )
    for offering in offerings:
        assert offering.provider.kind == OrganisationKind.EDUCATION_PROVIDER
        assert any(
            [
                offering.delivery_campus,
                offering.delivery_gatherings,
                offering.delivery_online,
                offering.delivery_decentralised,
                offering.delivery_workplace,
            ]
        ), offering.title
        assert offering.search_text.strip()
        assert offering.search_text == offering_search_text(
            offering,
            tags=[tag.name for tag in offering.tags.all()],
            gathering_locations=list(offering.gathering_locations.all()),
            provider=offering.provider,
        )
        assert (offering.credits is None) == (offering.credit_unit == "")
        if offering.application_deadline and offering.start_date:
            assert offering.application_deadline <= offering.start_date
        county = offering.provider.municipality.county_id
        assert all(place.county_id == county for place in offering.gathering_locations.all())
    assert Offering.objects.filter(gathering_locations__isnull=False).exists()
    assert Offering.objects.filter(tags__isnull=False).exists()

    # Needs: the status history reads as the services write it, ending in the need's status.
    changes = {}
    for change in NeedStatusChange.objects.order_by("changed_at", "id"):
        changes.setdefault(change.need_id, []).append(change)
    needs = list(CompetenceNeed.objects.filter(organisation__in=generated).select_related("organisation"))
    assert {need.status for need in needs} >= {NeedStatus.REGISTERED, NeedStatus.QUALIFIED, NeedStatus.CLOSED}
    for need in needs:
        history = changes[need.pk]
        assert (history[0].from_status, history[0].to_status) == ("", NeedStatus.REGISTERED)
        assert history[0].changed_at == need.created_at
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.to_status in NEXT_STATUSES[NeedStatus(after.from_status)], need.pk
            assert after.changed_at >= before.changed_at
            if after.to_status == NeedStatus.CLOSED:
                assert after.reason
        assert history[-1].to_status == need.status
        assert need.status_changed_at == history[-1].changed_at
        assert need.version == len(history)
        if need.contact_person_id:
            member_of = set(
                Membership.objects.filter(user=need.contact_person_id).values_list("organisation_id", flat=True)
            )
            assert {need.organisation_id, need.organisation.parent_id} & member_of
    assert any(need.registered_on_behalf_by_id for need in needs)
    # A need in a round is shared with the region; the needs of a closed round were confirmed as qualified.
    for link in RoundNeed.objects.filter(round__region__description=national.NATIONAL_MARKER).select_related(
        "round", "need"
    ):
        assert link.need.visibility != Visibility.ORGANISATION
        assert RoundInvitation.objects.get(round=link.round, organisation=link.need.organisation_id).answered_at
        if link.round.status == RoundStatus.CLOSED:
            assert changes[link.need_id][1].to_status == NeedStatus.QUALIFIED

    # The same seed gives the same data; --reset deletes the needs, offerings and rounds too.
    before = catalogue_counts()
    titles = sorted(CompetenceNeed.objects.filter(organisation__in=generated).values_list("title", flat=True))
    output = run_demo(**NATIONAL, reset=True)
    assert "600 needs, 300 offerings" in output
    assert catalogue_counts() == before
    assert sorted(CompetenceNeed.objects.filter(organisation__in=generated).values_list("title", flat=True)) == titles
    national.national_reset()
    assert all(count == 0 for count in catalogue_counts().values())
    assert not Organisation.objects.filter(description=national.NATIONAL_MARKER).exists()
