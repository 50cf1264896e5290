"""Creating, changing, closing and deleting projects, and the seats of their groups. Every write is atomic and
recorded in the history.

Callers decide permissions with projects/rules.py first; these functions check that the data are valid.
Group seats are recorded on the project, so the project's history shows who joined and left."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, model_label, snapshot
from kompetansebro.core.seats import end_seat
from kompetansebro.core.versioning import save_versioned
from kompetansebro.development.models import DevelopmentRequest
from kompetansebro.geography.models import Region
from kompetansebro.grants.models import GrantScheme
from kompetansebro.organisations.models import Organisation
from kompetansebro.projects.access import forget_project_access
from kompetansebro.projects.models import (
    Activity,
    ActualCost,
    Project,
    ProjectGroup,
    ProjectMembership,
    ProjectStatus,
)
from kompetansebro.projects.selectors import has_payments

PROJECT_FIELDS = [
    "name",
    "slug",
    "owner",
    "leader",
    "region",
    "scheme",
    "overall_goal",
    "description",
    "starts_on",
    "ends_on",
    "status",
]
# A seat in a project group, as its history records it when it is added.
SEAT_FIELDS = ["person", "group", "role", "organisation", "starts_on", "ends_on"]
# Addresses under /prosjekter/ that are pages, not projects.
RESERVED_SLUGS = {"ny"}


class ProjectHasPayments(ValidationError):
    """Deleting a project is refused when money has been planned, approved or paid on its allocations."""


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A free short name made from `name`: prosjekt, prosjekt-2, prosjekt-3 …"""
    base = slugify(name)[:70].strip("-") or "prosjekt"
    taken = (
        set(Project.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_project(
    *, name, slug, owner, status, starts_on, ends_on, exclude_pk: int | None = None, activities_of=None
) -> None:
    errors = {}
    if not name:
        errors["name"] = [_("Give the project a name.")]
    if not slug:
        errors["slug"] = [_("Give the project a short name for its address.")]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [_("This short name is reserved. Choose another.")]
    elif Project.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        errors["slug"] = [_("Another project already uses this short name. Choose another.")]
    if owner is None:
        errors["owner"] = [_("Choose the organisation that owns the project.")]
    if status not in ProjectStatus.values:
        errors["status"] = [_("Choose the status of the project.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The project cannot end before it starts.")]
    elif activities_of is not None and (starts_on or ends_on):
        outside = Activity.objects.filter(project=activities_of)
        outside = outside.filter(
            (Q(starts_on__lt=starts_on) if starts_on else Q(pk__in=[]))
            | (Q(ends_on__gt=ends_on) if ends_on else Q(pk__in=[]))
        ).order_by("starts_on", "pk")
        first = outside.first()
        if first is not None:
            errors["starts_on" if starts_on and first.starts_on < starts_on else "ends_on"] = [
                _(
                    "The activity “%(title)s” (%(start)s–%(end)s) lies outside this period. "
                    "Change the activity first, or choose a period that covers it."
                )
                % {
                    "title": first.title,
                    "start": first.starts_on.strftime("%d.%m.%Y"),
                    "end": first.ends_on.strftime("%d.%m.%Y"),
                }
            ]
    if errors:
        raise ValidationError(errors)


def project_create(
    *,
    actor,
    name: str,
    owner: Organisation,
    slug: str = "",
    leader=None,
    region: Region | None = None,
    scheme: GrantScheme | None = None,
    overall_goal: str = "",
    description: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = ProjectStatus.PLANNED,
    development_request: DevelopmentRequest | None = None,
    needs=(),
) -> Project:
    """A new project, possibly started from a development request or a group of needs (linked to it)."""
    name, overall_goal, description = (name or "").strip(), (overall_goal or "").strip(), (description or "").strip()
    slug = (slug or "").strip() or unique_slug(name)
    _check_project(name=name, slug=slug, owner=owner, status=status, starts_on=starts_on, ends_on=ends_on)
    needs = list(needs)
    with transaction.atomic():
        project = Project.objects.create(
            name=name,
            slug=slug,
            owner=owner,
            leader=leader,
            region=region,
            scheme=scheme,
            overall_goal=overall_goal,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            development_request=development_request,
        )
        if needs:
            project.needs.set(needs)
        fields = [*PROJECT_FIELDS, "development_request", "needs"]
        log_action(
            actor=actor,
            action="projects.project.created",
            target=project,
            changes=diff({}, snapshot(project, fields), model=Project),
        )
    if leader is not None:
        forget_project_access(leader)
    return project


def project_update(*, actor, project: Project, expected_version: int, **values) -> Project:
    """Change the project's details. Raises ConcurrentEditError when someone else saved it since
    `expected_version` was read."""
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    for key in ("name", "slug", "overall_goal", "description"):
        if key in values:
            values[key] = (values[key] or "").strip()
    merged = {name: values.get(name, getattr(project, name)) for name in PROJECT_FIELDS}
    _check_project(
        name=merged["name"],
        slug=merged["slug"],
        owner=merged["owner"],
        status=merged["status"],
        starts_on=merged["starts_on"],
        ends_on=merged["ends_on"],
        exclude_pk=project.pk,
        activities_of=project,
    )
    with transaction.atomic():
        stored = Project.objects.get(pk=project.pk)
        before = snapshot(stored, PROJECT_FIELDS)
        for name, value in values.items():
            setattr(project, name, value)
        save_versioned(project, expected_version=expected_version, update_fields=list(values))
        changes = diff(before, snapshot(project, PROJECT_FIELDS), model=Project)
        if changes:
            log_action(actor=actor, action="projects.project.changed", target=project, changes=changes)
    for person in {stored.leader, project.leader} - {None}:
        forget_project_access(person)
    return project


def project_close(*, actor, project: Project) -> Project:
    """Close the project. Allowed at any time, also with payments; the project and its history stay."""
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if current.status == ProjectStatus.CLOSED:
            raise ValidationError(_("The project is already closed."))
        before = current.status
        project.status = ProjectStatus.CLOSED
        project.version = current.version + 1
        project.save(update_fields=["status", "version"])
        log_action(
            actor=actor,
            action="projects.project.closed",
            target=project,
            changes={"status": {"old": before, "new": project.status, "model": model_label(Project)}},
        )
    return project


def project_delete(*, actor, project: Project) -> None:
    """Delete the project with its plan, budget and reports. Refused (ProjectHasPayments) when any payment
    exists on an allocation linked to it: such a project is closed instead, so the money can be accounted for."""
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if has_payments(current):
            raise ProjectHasPayments(
                _(
                    "The project cannot be deleted: payments have been recorded on its grants. "
                    "Close the project instead; it and its history are kept."
                )
            )
        leader = current.leader
        members = list(ProjectMembership.objects.filter(project=current).select_related("person"))
        log_action(
            actor=actor,
            action="projects.project.deleted",
            target=current,
            changes=diff(snapshot(current, PROJECT_FIELDS), {}, model=Project),
        )
        # Costs protect their budget lines; they belong to the project and go with it.
        ActualCost.objects.filter(budget_line__project=current).delete()
        current.delete()
    for person in {leader, *(seat.person for seat in members)} - {None}:
        forget_project_access(person)


# ---- groups -----------------------------------------------------------------------------------------------


def _seat_snapshot(seat: ProjectMembership) -> dict:
    return {
        "person": seat.person.get_full_name(),
        "group": seat.group,
        "role": seat.role,
        "represents": seat.organisation.name if seat.organisation_id else None,
        "starts_on": seat.starts_on.isoformat(),
        "ends_on": seat.ends_on.isoformat() if seat.ends_on else None,
    }


def membership_add(
    *,
    actor,
    project: Project,
    group: str,
    person,
    starts_on: datetime.date,
    organisation: Organisation | None = None,
    role: str = "",
    ends_on: datetime.date | None = None,
) -> ProjectMembership:
    """Give `person` a seat in one of the project's groups. A person holds at most one seat in a group at a
    time; the same person may sit in several groups."""
    errors = {}
    if person is None:
        errors["person"] = [_("Choose a registered person.")]
    elif not person.is_active:
        errors["person"] = [_("This person's account is deactivated.")]
    if group not in ProjectGroup.values:
        errors["group"] = [_("Choose the group.")]
    if starts_on is None:
        errors["starts_on"] = [_("Give the date the seat starts.")]
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The seat cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # one seat change per project at a time
        clash = ProjectMembership.objects.filter(project=project, person=person, group=group).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        if ends_on is not None:
            clash = clash.filter(starts_on__lte=ends_on)
        clash = clash.first()
        if clash is not None:
            raise ValidationError(
                {
                    "person": _("%(name)s already has a seat in the %(group)s from %(start)s in the same period.")
                    % {
                        "name": person.get_full_name(),
                        "group": clash.get_group_display(),
                        "start": clash.starts_on.strftime("%d.%m.%Y"),
                    }
                }
            )
        seat = ProjectMembership.objects.create(
            project=project,
            group=group,
            person=person,
            organisation=organisation,
            role=(role or "").strip(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        log_action(
            actor=actor,
            action="projects.membership.added",
            target=project,
            changes=diff({}, snapshot(seat, SEAT_FIELDS), model=ProjectMembership),
            data=_seat_snapshot(seat),
        )
    forget_project_access(person)
    return seat


def membership_end(*, actor, membership: ProjectMembership, ends_on: datetime.date | None = None):
    """End a seat on `ends_on` (today if not given). The seat stays in the project's history."""
    end_seat(
        actor=actor,
        seat=membership,
        owner=membership.project,
        action="projects.membership.ended",
        record=_seat_snapshot,
        ends_on=ends_on,
    )
    forget_project_access(membership.person)
    return membership
