"""The working part of the Trøndelag Sør demo: needs, offerings and an open mapping round."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kompetansebro.audit.models import AuditEntry
from kompetansebro.competences.models import CompetenceField, CreditUnit, Level
from kompetansebro.demo import trondelag_sor
from kompetansebro.demo import trondelag_sor_catalogue as catalogue
from kompetansebro.geography.models import Region
from kompetansebro.mapping.models import MappingRound, RoundInvitation, RoundNeed, RoundStatus
from kompetansebro.needs.models import NEXT_STATUSES, CompetenceNeed, NeedStatus, NeedStatusChange, Visibility
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db

ORG_KEYS = {spec.key for spec in trondelag_sor.ORGANISATIONS}
ORG_NAMES = {spec.key: spec.name for spec in trondelag_sor.ORGANISATIONS}


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    return trondelag_sor.load_trondelag_sor()


def demo_needs():
    return CompetenceNeed.objects.filter(external_id__startswith="demo-behov-")


def demo_offerings():
    return Offering.objects.filter(external_id__startswith="demo-tilbud-")


def demo_round():
    return MappingRound.objects.get(title=catalogue.ROUND_TITLE)


def catalogue_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (CompetenceNeed, NeedStatusChange, Offering, MappingRound, RoundInvitation, RoundNeed, AuditEntry)
    }


# --- the content itself (no database) ----------------------------------------------------------------------------


def test_catalogue_refers_only_to_demo_organisations_and_people():
    emails = set(trondelag_sor.DEMO_EMAILS)
    for spec in catalogue.NEEDS:
        assert spec.organisation in ORG_KEYS, spec.external_id
        assert spec.registered_by in emails, spec.external_id
        assert spec.contact is None or spec.contact in emails, spec.external_id
    for spec in catalogue.OFFERINGS:
        assert spec.provider in ORG_KEYS, spec.external_id
    assert set(catalogue.ROUND_INVITED) <= ORG_KEYS
    assert catalogue.ROUND_OPENED_BY in emails
    assert all(email in emails for email, _note in catalogue.ROUND_NO_NEEDS.values())
    assert set(catalogue.PROVIDER_EDITORS.values()) <= emails


def test_external_ids_are_unique_and_stable():
    need_ids = [spec.external_id for spec in catalogue.NEEDS]
    offering_ids = [spec.external_id for spec in catalogue.OFFERINGS]
    assert len(set(need_ids)) == len(need_ids)
    assert len(set(offering_ids)) == len(offering_ids)
    assert all(external_id.startswith("demo-behov-") for external_id in need_ids)
    assert all(external_id.startswith("demo-tilbud-") for external_id in offering_ids)


def test_status_paths_follow_the_life_cycle():
    for spec in catalogue.NEEDS:
        path = [NeedStatus.REGISTERED, *catalogue.status_path(spec)]
        assert path[-1] == spec.status, spec.external_id
        for before, after in zip(path, path[1:], strict=False):
            assert after in NEXT_STATUSES[before], (spec.external_id, before, after)
    closed = [spec for spec in catalogue.NEEDS if spec.status == NeedStatus.CLOSED]
    assert closed and all(spec.closed_reason for spec in closed)
    # Needs in the round stay registered until the secretariat closes the round.
    assert all(spec.status == NeedStatus.REGISTERED for spec in catalogue.NEEDS if spec.in_round)


def test_relative_dates():
    today = datetime.date(2026, 11, 23)
    assert catalogue.resolve_date(None, today) is None
    assert catalogue.resolve_date(14, today) == datetime.date(2026, 12, 7)
    assert catalogue.resolve_date(-30, today) == datetime.date(2026, 10, 24)
    assert catalogue.resolve_date((1, 11), today) == datetime.date(2027, 1, 11)
    assert catalogue.resolve_date((12, 1), today) == datetime.date(2027, 12, 1)  # less than three weeks ahead
    assert catalogue.resolve_date((8, 15), datetime.date(2027, 3, 1)) == datetime.date(2027, 8, 15)
    spec = next(s for s in catalogue.OFFERINGS if s.status == OfferingStatus.OPEN and s.deadline_days_before)
    start = today + datetime.timedelta(days=10)
    deadline = catalogue.application_deadline(spec, start, today)
    assert today <= deadline <= start


# --- what the loader creates ---------------------------------------------------------------------------------------


def test_first_run_creates_needs_offerings_and_a_round(demo):
    assert demo.needs_created == len(catalogue.NEEDS) == demo_needs().count()
    assert 20 <= demo.needs_created <= 30
    assert demo.offerings_created == len(catalogue.OFFERINGS) == demo_offerings().count()
    assert 35 <= demo.offerings_created <= 45
    assert demo.rounds_created == 1
    assert MappingRound.objects.filter(title=catalogue.ROUND_TITLE).count() == 1


def test_second_run_creates_nothing(demo):
    first = catalogue_counts()
    again = trondelag_sor.load_trondelag_sor()
    assert (again.needs_created, again.offerings_created, again.rounds_created) == (0, 0, 0)
    assert catalogue_counts() == first


def test_the_demo_command_is_still_idempotent():
    call_command("demo", stdout=StringIO())
    first = catalogue_counts()
    output = StringIO()
    call_command("demo", stdout=output)
    assert catalogue_counts() == first
    assert "already there" in output.getvalue()


def test_needs_spread_over_the_life_cycle_with_history(demo):
    needs = list(demo_needs().prefetch_related("status_changes"))
    statuses = Counter(need.status for need in needs)
    assert set(statuses) == set(NeedStatus.values), statuses
    assert statuses[NeedStatus.CLOSED] == 1
    assert max(statuses.values()) <= len(needs) // 2
    for need in needs:
        changes = list(need.status_changes.all())
        assert changes[0].from_status == "" and changes[0].to_status == NeedStatus.REGISTERED
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_status == before.to_status, need.external_id
            assert after.to_status in NEXT_STATUSES[NeedStatus(after.from_status)], need.external_id
            assert after.changed_by is not None
        assert changes[-1].to_status == need.status, need.external_id
    closed = next(need for need in needs if need.status == NeedStatus.CLOSED)
    assert closed.status_changes.last().reason
    fulfilled = [need for need in needs if need.status == NeedStatus.FULFILLED]
    assert fulfilled and all(need.status_changes.count() >= 6 for need in fulfilled)
    assert NeedStatusChange.objects.filter(need__in=needs).count() > 3 * len(needs)


def test_needs_are_varied_and_believable(demo):
    needs = list(demo_needs().select_related("organisation", "contact_person", "registered_on_behalf_by"))
    today = timezone.localdate()
    assert len({need.field_id for need in needs}) >= 8
    assert len({need.level for need in needs}) >= 5
    assert len({need.urgency for need in needs}) == 3
    assert len({need.persons for need in needs}) >= 6
    visibility = Counter(need.visibility for need in needs)
    assert visibility[Visibility.REGION] > len(needs) // 2
    assert visibility[Visibility.PUBLIC_ANONYMISED] >= 3
    assert visibility[Visibility.ORGANISATION] == 1
    # Companies' needs are registered by their business garden; the secretariat registered at least one.
    companies = [need for need in needs if need.organisation.kind == OrganisationKind.COMPANY]
    assert len(companies) >= 6
    assert all(need.registered_on_behalf_by_id == need.organisation.represented_by_id for need in companies)
    assert all(need.registered_on_behalf_by_id is not None for need in companies)
    assert any(need.registered_by_region_id for need in needs)
    assert any(need.organisation.parent_id for need in needs)  # departments have needs too
    assert all(need.contact_person and need.contact_person.email in trondelag_sor.DEMO_EMAILS for need in needs)
    assert any(need.combined_work_education for need in needs)
    assert all(
        need.wants_online or need.wants_local_gatherings or need.wants_workplace or need.campus_acceptable
        for need in needs
    )
    starts = [need.wanted_start for need in needs if need.wanted_start]
    soon = [start for start in starts if today < start <= today + datetime.timedelta(days=31)]
    later = [start for start in starts if start > today + datetime.timedelta(days=31)]
    assert len(soon) >= 3 and len(later) >= 10


def test_offerings_have_delivery_credits_and_sensible_dates(demo):
    offerings = list(demo_offerings().select_related("provider").prefetch_related("gathering_locations"))
    region_municipalities = set(
        Region.objects.get(code=trondelag_sor.REGION_CODE).municipalities.values_list("pk", flat=True)
    )
    today = timezone.localdate()
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
        if offering.credits is None:
            assert offering.credit_unit == "", offering.title
        else:
            assert offering.credit_unit in CreditUnit.values and offering.credits > 0, offering.title
        if offering.credit_unit == CreditUnit.STUDY_POINTS:
            assert offering.level in (Level.FURTHER_EDUCATION, Level.BACHELOR, Level.MASTER)
        if offering.credit_unit == CreditUnit.VOCATIONAL_POINTS:
            assert offering.level == Level.VOCATIONAL_COLLEGE
        assert offering.level in Level.values
        assert offering.price is not None and offering.price >= 0
        assert offering.start_date is not None
        if offering.application_deadline:
            assert offering.application_deadline <= offering.start_date
            if offering.status in (OfferingStatus.OPEN, OfferingStatus.PLANNED):
                assert offering.application_deadline >= today, offering.title
        if offering.status == OfferingStatus.OPEN:
            assert offering.start_date > today, offering.title
        if offering.delivery_gatherings:
            assert offering.gathering_locations.all(), offering.title
        assert {m.pk for m in offering.gathering_locations.all()} <= region_municipalities, offering.title
        assert offering.search_text
        assert 2 <= offering.description.count(". ") + 1 <= 5, offering.title
    statuses = Counter(offering.status for offering in offerings)
    assert statuses[OfferingStatus.OPEN] > len(offerings) // 2
    assert statuses[OfferingStatus.RUNNING] >= 2 and statuses[OfferingStatus.PLANNED] >= 2
    assert statuses[OfferingStatus.CLOSED] == 1
    assert any(offering.price == 0 for offering in offerings)
    assert any(offering.price > 0 for offering in offerings)
    assert any(offering.continuous_admission for offering in offerings)
    assert len({offering.provider_id for offering in offerings}) >= 5
    assert {CreditUnit.STUDY_POINTS, CreditUnit.VOCATIONAL_POINTS} <= {o.credit_unit for o in offerings}


def test_some_needs_have_fitting_offerings_and_some_have_none(demo):
    offerings = [
        (offering.field_id, set(offering.tags.values_list("name", flat=True)))
        for offering in demo_offerings().exclude(status=OfferingStatus.CLOSED)
    ]
    fitting, unmet = [], []
    for need in demo_needs():
        tags = set(need.tags.values_list("name", flat=True))
        matches = [1 for field_id, offering_tags in offerings if field_id == need.field_id and tags & offering_tags]
        (fitting if matches else unmet).append(need.title)
    assert len(fitting) >= 12, unmet
    assert len(unmet) >= 3, fitting
    # Several offerings are relevant to more than one need.
    needs = [(need.field_id, set(need.tags.values_list("name", flat=True))) for need in demo_needs()]
    shared = [tags for field_id, tags in offerings if sum(1 for f, t in needs if f == field_id and t & tags) >= 2]
    assert len(shared) >= 3


def test_open_mapping_round_with_answered_and_unanswered_invitations(demo):
    mapping_round = demo_round()
    today = timezone.localdate()
    assert mapping_round.status == RoundStatus.OPEN
    assert mapping_round.region.code == trondelag_sor.REGION_CODE
    assert mapping_round.created_by.email == "marte.oyen@trondelagsor.no"
    assert today + datetime.timedelta(days=14) <= mapping_round.deadline <= today + datetime.timedelta(days=42)
    invitations = list(mapping_round.invitations.select_related("organisation"))
    invited = {invitation.organisation.name for invitation in invitations}
    assert {f"{name} kommune" for name in trondelag_sor.MEMBER_MUNICIPALITIES.values()} <= invited
    assert any(invitation.organisation.kind == OrganisationKind.COMPANY for invitation in invitations)
    with_needs = set(mapping_round.round_needs.values_list("need__organisation_id", flat=True))
    answered = [invitation for invitation in invitations if invitation.answered_at]
    unanswered = [invitation for invitation in invitations if not invitation.answered_at]
    no_needs = [invitation for invitation in answered if invitation.organisation_id not in with_needs]
    assert len(with_needs) >= 3
    assert {invitation.organisation_id for invitation in answered} >= with_needs
    assert len(no_needs) == 1 and no_needs[0].answer_note
    assert len(unanswered) >= 2
    round_needs = CompetenceNeed.objects.filter(mapping_round_link__round=mapping_round)
    assert round_needs.count() == sum(1 for spec in catalogue.NEEDS if spec.in_round)
    assert set(round_needs.values_list("status", flat=True)) == {NeedStatus.REGISTERED}
    assert not round_needs.filter(visibility=Visibility.ORGANISATION).exists()
    # A company in the round answered through its business garden.
    assert round_needs.filter(registered_on_behalf_by__kind=OrganisationKind.BUSINESS_GARDEN).exists()


def test_everything_is_in_the_history_with_a_person_as_actor(demo):
    needs = demo_needs().count()
    offerings = demo_offerings().count()
    entries = AuditEntry.objects.exclude(action__startswith="organisations.").exclude(action__startswith="accounts.")
    actions = Counter(entries.values_list("action", flat=True))
    assert actions["needs.need.created"] == needs
    assert actions["needs.need.status_changed"] == NeedStatusChange.objects.exclude(from_status="").count() > needs
    assert actions["offerings.offering.created"] == offerings
    assert actions["offerings.offering.status_changed"] >= offerings // 2
    assert actions["mapping.round.opened"] == 1
    assert actions["mapping.round.need_registered"] == RoundNeed.objects.count()
    assert actions["mapping.round.answered"] == 1
    assert not entries.filter(actor__isnull=True).exists()
    # The people who would do it in real life: the secretariat moves needs, providers keep their offerings.
    assert entries.filter(action="needs.need.status_changed", actor__email="marte.oyen@trondelagsor.no").exists()
    assert entries.filter(action="offerings.offering.created", actor__email="lars.fossum@ntnu.no").exists()
    assert entries.filter(action="needs.need.created", actor__email__contains="naeringshage").exists()


def test_fields_of_competence_are_loaded_when_missing():
    CompetenceField.objects.all().delete()
    result = trondelag_sor.load_trondelag_sor()
    assert result.reference_loaded
    assert CompetenceField.objects.exists()
    assert result.needs_created == len(catalogue.NEEDS)


def test_public_needs_have_a_public_text_that_names_neither_employer_nor_place(demo):
    """Issue 11 item 14: the demo shows the registering person's public text, not the neutral fallback."""
    public = demo_needs().filter(visibility=Visibility.PUBLIC_ANONYMISED).select_related("organisation", "municipality")
    assert public.count() == 8
    for need in public:
        assert need.public_title and need.public_description, need.external_id
        text = f"{need.public_title} {need.public_description}".lower()
        employer = need.organisation.name.split(",")[0].lower()  # "Holtålen kommune, hjemmetjenesten": the employer
        for word in employer.split():
            if len(word) > 3 and word != "kommune":
                assert word not in text, f"{need.external_id}: “{word}” from {need.organisation.name}"
        assert need.municipality.name.lower() not in text, need.external_id
