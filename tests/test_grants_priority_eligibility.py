"""Only a round's eligible recipients may submit priority lists (issue 11 item 11): the scheme's eligible kinds in
the round's region, or organisations the scheme's owner invites. A sawmill's employee could create one in DEKOM."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants.eligibility import eligible_recipients
from kompetansebro.grants.models import PriorityList
from kompetansebro.grants.services import priorities as services
from kompetansebro.organisations.models import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory
from tests.test_grants_priorities import round_in
from tests.test_grants_schemes import scheme_data

pytestmark = pytest.mark.django_db


def create_url(grant_round):
    return reverse("grants:priority_list_create", args=[grant_round.pk])


def test_a_company_member_may_not_create_a_list_in_a_round_for_school_owners(world, client_for):
    grant_round = round_in(world, name="DEKOM 2027")
    client = client_for("company_member")
    assert client.get(create_url(grant_round)).status_code == 403
    assert client.post(create_url(grant_round), {"submitter": world.company.pk}).status_code == 403
    assert not PriorityList.objects.exists()
    assert create_url(grant_round) not in client.get(grant_round.get_absolute_url()).content.decode()
    assert (
        create_url(grant_round) in client_for("holtalen_contact").get(grant_round.get_absolute_url()).content.decode()
    )


def test_the_service_refuses_an_ineligible_submitter_whoever_asks(world, english):
    grant_round = round_in(world)
    for submitter in (world.company, world.garden, world.ntnu):
        with pytest.raises(ValidationError) as error:
            services.priority_list_create(
                actor=world.users["platform_admin"], grant_round=grant_round, submitter=submitter
            )
        assert "may not receive money from this round" in error.value.message_dict["submitter"][0]
    assert not PriorityList.objects.exists()


def test_the_managers_are_offered_only_eligible_recipients(world, client_for):
    grant_round = round_in(world)
    for persona in ("secretariat_sor", "platform_admin"):
        choices = set(client_for(persona).get(create_url(grant_round)).context["form"].fields["submitter"].queryset)
        assert {world.holtalen, world.roros} <= choices
        assert not {world.company, world.garden, world.ntnu, world.oslo_company} & choices
    response = client_for("secretariat_sor").post(create_url(grant_round), {"submitter": world.company.pk})
    assert response.status_code == 200 and "submitter" in response.context["form"].errors


def test_a_municipality_outside_the_rounds_region_is_not_eligible_by_kind(world):
    grant_round = round_in(world)
    oslo = OrganisationFactory(
        name="Oslo kommune", kind=OrganisationKind.MUNICIPALITY, municipality=world.oslo_company.municipality
    )
    assert oslo not in eligible_recipients(grant_round)
    assert world.holtalen in eligible_recipients(grant_round)
    # an inactive municipality in the region neither
    world.roros.is_active = False
    world.roros.save(update_fields=["is_active"])
    assert world.roros not in eligible_recipients(grant_round)


def test_an_invited_organisation_may_create_a_list_whatever_its_kind_and_place(world, client_for):
    grant_round = round_in(world)
    network = OrganisationFactory(
        name="Kompetansenettverk Oslo", kind=OrganisationKind.OTHER, municipality=world.oslo_company.municipality
    )
    grant_round.scheme.invited_organisations.add(network)
    member = MembershipFactory(organisation=network).user
    client = client_for("anonymous")
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(create_url(grant_round), {"submitter": network.pk})
    assert response.status_code == 302
    assert PriorityList.objects.get(round=grant_round).submitter == network


def test_a_scheme_with_no_kinds_and_no_invitations_accepts_no_lists(world, client_for):
    grant_round = round_in(world, scheme__eligible_kinds=[])
    assert client_for("holtalen_contact").get(create_url(grant_round)).status_code == 403
    assert not eligible_recipients(grant_round).exists()


def test_the_scheme_owner_chooses_kinds_and_invites_and_it_is_recorded(world, client_for, english):
    grant_round = round_in(world, scheme__eligible_kinds=[])
    scheme = grant_round.scheme
    data = scheme_data(
        name=scheme.name,
        slug=scheme.slug,
        owner=world.council.pk,
        version=scheme.version,
        eligible_kinds=[OrganisationKind.MUNICIPALITY],
        invited_organisations=[world.garden.pk],
    )
    admin = MembershipFactory(organisation=world.council, role="admin").user
    client = client_for("anonymous")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("grants:scheme_edit", args=[scheme.slug]), data).status_code == 302
    scheme.refresh_from_db()
    assert scheme.eligible_kinds == ["municipality"]
    assert list(scheme.invited_organisations.all()) == [world.garden]
    assert set(eligible_recipients(grant_round)) >= {world.holtalen, world.roros, world.garden}
    assert world.company not in eligible_recipients(grant_round)
    entry = AuditEntry.objects.get(action="grants.scheme.changed")
    assert entry.changes["invited_organisations"]["new"] == [world.garden.name]
    page = client_for("anonymous").get(scheme.get_absolute_url()).content.decode()
    assert "Priority lists may be submitted by" in page and world.garden.name in page
