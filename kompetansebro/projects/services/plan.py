"""The project's plan: result goals (RM1, RM2 …), activities on the timeline and risks. Every write is atomic
and recorded in the history: goals and activities on themselves, risks (which may be deleted) on the project.

Callers decide permissions with projects/rules.py first (projects.manage_project); these functions check the
data: a goal's code is unique in its project, an activity lies within the project's period when it has one
and its goal belongs to the same project, risk scores are 1–5."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.organisations.models import Organisation
from kompetansebro.projects.models import Activity, ActivityStatus, Project, ResultGoal, Risk

GOAL_FIELDS = ["code", "text", "planned_activities", "activities_done", "results"]
ACTIVITY_FIELDS = [
    "title",
    "goal",
    "starts_on",
    "ends_on",
    "responsible_person",
    "responsible_organisation",
    "status",
]
RISK_FIELDS = ["description", "probability", "impact", "measure"]


def _strip(values: dict, names) -> dict:
    for name in names:
        if name in values:
            values[name] = (values[name] or "").strip()
    return values


def _unknown(values: dict, allowed: list[str], what: str) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


# ---- result goals -----------------------------------------------------------------------------------------


def _check_goal(*, project: Project, code: str, text: str, exclude_pk: int | None = None) -> None:
    errors = {}
    if not code:
        errors["code"] = [_("Give the result goal a code, e.g. RM1.")]
    elif ResultGoal.objects.filter(project=project, code__iexact=code).exclude(pk=exclude_pk).exists():
        errors["code"] = [_("The project already has a result goal %(code)s. Choose another code.") % {"code": code}]
    if not text:
        errors["text"] = [_("Describe the result goal.")]
    if errors:
        raise ValidationError(errors)


def goal_create(
    *,
    actor,
    project: Project,
    code: str,
    text: str,
    planned_activities: str = "",
    activities_done: str = "",
    results: str = "",
) -> ResultGoal:
    values = _strip(
        {
            "code": code,
            "text": text,
            "planned_activities": planned_activities,
            "activities_done": activities_done,
            "results": results,
        },
        GOAL_FIELDS,
    )
    values["code"] = values["code"].upper()
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # codes are checked one writer at a time
        _check_goal(project=project, code=values["code"], text=values["text"])
        goal = ResultGoal.objects.create(project=project, **values)
        log_action(
            actor=actor,
            action="projects.goal.created",
            target=goal,
            changes=diff({}, snapshot(goal, GOAL_FIELDS), model=ResultGoal),
        )
    return goal


def goal_update(*, actor, goal: ResultGoal, **values) -> ResultGoal:
    _unknown(values, GOAL_FIELDS, "result goal")
    _strip(values, GOAL_FIELDS)
    if "code" in values:
        values["code"] = values["code"].upper()
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=goal.project_id)
        merged = {name: values.get(name, getattr(goal, name)) for name in GOAL_FIELDS}
        _check_goal(project=goal.project, code=merged["code"], text=merged["text"], exclude_pk=goal.pk)
        before = snapshot(ResultGoal.objects.get(pk=goal.pk), GOAL_FIELDS)
        for name, value in values.items():
            setattr(goal, name, value)
        goal.save(update_fields=list(values))
        changes = diff(before, snapshot(goal, GOAL_FIELDS), model=ResultGoal)
        if changes:
            log_action(actor=actor, action="projects.goal.changed", target=goal, changes=changes)
    return goal


# ---- activities -------------------------------------------------------------------------------------------


def _check_activity(*, project: Project, title, goal, starts_on, ends_on, status) -> None:
    errors = {}
    if not title:
        errors["title"] = [_("Describe the activity.")]
    if goal is not None and goal.project_id != project.pk:
        errors["goal"] = [_("Choose one of this project's result goals.")]
    if status not in ActivityStatus.values:
        errors["status"] = [_("Choose the status of the activity.")]
    if starts_on is None:
        errors["starts_on"] = [_("Give the date the activity starts.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the date the activity ends.")]
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = [_("The activity cannot end before it starts.")]
        else:
            period = {
                "start": project.starts_on.strftime("%d.%m.%Y") if project.starts_on else "…",
                "end": project.ends_on.strftime("%d.%m.%Y") if project.ends_on else "…",
            }
            if project.starts_on and starts_on < project.starts_on:
                errors["starts_on"] = [
                    _("The activity cannot start before the project does (the project runs %(start)s–%(end)s).")
                    % period
                ]
            if project.ends_on and ends_on > project.ends_on:
                errors["ends_on"] = [
                    _("The activity cannot end after the project does (the project runs %(start)s–%(end)s).") % period
                ]
    if errors:
        raise ValidationError(errors)


def activity_create(
    *,
    actor,
    project: Project,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    goal: ResultGoal | None = None,
    responsible_person=None,
    responsible_organisation: Organisation | None = None,
    status: str = ActivityStatus.PLANNED,
) -> Activity:
    title = (title or "").strip()
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)  # the period as stored now
        _check_activity(project=locked, title=title, goal=goal, starts_on=starts_on, ends_on=ends_on, status=status)
        activity = Activity.objects.create(
            project=project,
            title=title,
            goal=goal,
            starts_on=starts_on,
            ends_on=ends_on,
            responsible_person=responsible_person,
            responsible_organisation=responsible_organisation,
            status=status,
        )
        log_action(
            actor=actor,
            action="projects.activity.created",
            target=activity,
            changes=diff({}, snapshot(activity, ACTIVITY_FIELDS), model=Activity),
        )
    return activity


def activity_update(*, actor, activity: Activity, **values) -> Activity:
    _unknown(values, ACTIVITY_FIELDS, "activity")
    _strip(values, ["title"])
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=activity.project_id)
        merged = {name: values.get(name, getattr(activity, name)) for name in ACTIVITY_FIELDS}
        _check_activity(
            project=locked,
            title=merged["title"],
            goal=merged["goal"],
            starts_on=merged["starts_on"],
            ends_on=merged["ends_on"],
            status=merged["status"],
        )
        before = snapshot(
            Activity.objects.select_related("goal", "responsible_person", "responsible_organisation").get(
                pk=activity.pk
            ),
            ACTIVITY_FIELDS,
        )
        for name, value in values.items():
            setattr(activity, name, value)
        activity.save(update_fields=list(values))
        changes = diff(before, snapshot(activity, ACTIVITY_FIELDS), model=Activity)
        if changes:
            log_action(actor=actor, action="projects.activity.changed", target=activity, changes=changes)
    return activity


# ---- risks ------------------------------------------------------------------------------------------------


def _check_risk(*, description, probability, impact) -> None:
    errors = {}
    if not description:
        errors["description"] = [_("Describe the risk.")]
    if probability not in range(1, 6):
        errors["probability"] = [_("Give the probability as a number from 1 (very low) to 5 (very high).")]
    if impact not in range(1, 6):
        errors["impact"] = [_("Give the impact as a number from 1 (very small) to 5 (very large).")]
    if errors:
        raise ValidationError(errors)


def risk_create(*, actor, project: Project, description: str, probability: int, impact: int, measure: str = "") -> Risk:
    description, measure = (description or "").strip(), (measure or "").strip()
    _check_risk(description=description, probability=probability, impact=impact)
    with transaction.atomic():
        risk = Risk.objects.create(
            project=project, description=description, probability=probability, impact=impact, measure=measure
        )
        log_action(
            actor=actor,
            action="projects.risk.created",
            target=project,
            changes=diff({}, snapshot(risk, RISK_FIELDS), model=Risk),
        )
    return risk


def risk_update(*, actor, risk: Risk, **values) -> Risk:
    _unknown(values, RISK_FIELDS, "risk")
    _strip(values, ["description", "measure"])
    merged = {name: values.get(name, getattr(risk, name)) for name in RISK_FIELDS}
    _check_risk(description=merged["description"], probability=merged["probability"], impact=merged["impact"])
    with transaction.atomic():
        before = snapshot(Risk.objects.get(pk=risk.pk), RISK_FIELDS)
        for name, value in values.items():
            setattr(risk, name, value)
        risk.save(update_fields=list(values))
        changes = diff(before, snapshot(risk, RISK_FIELDS), model=Risk)
        if changes:
            log_action(actor=actor, action="projects.risk.changed", target=risk.project, changes=changes)
    return risk


def risk_delete(*, actor, risk: Risk) -> None:
    """Delete a risk; the deletion is recorded on the project, like its creation and changes, with what the
    risk said."""
    with transaction.atomic():
        stored = Risk.objects.select_related("project").get(pk=risk.pk)
        log_action(
            actor=actor,
            action="projects.risk.deleted",
            target=stored.project,
            changes={
                "risk": {
                    "old": f"{stored.description} ({stored.probability} × {stored.impact})",
                    "new": None,
                    "label": gettext_noop("risk"),
                }
            },
            data=snapshot(stored, RISK_FIELDS),
        )
        stored.delete()
