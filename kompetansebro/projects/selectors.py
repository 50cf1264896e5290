"""Reads of projects and their plan for pages. The visibility filter matches projects/rules.py
(projects.view_project) exactly, and every page's reads are a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kompetansebro.audit.models import AuditEntry
from kompetansebro.grants.models import Payment
from kompetansebro.needs.selectors import needs_visible_to
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_platform_admin
from kompetansebro.projects.access import project_ids
from kompetansebro.projects.models import (
    Activity,
    ActualCost,
    BudgetLine,
    FinancingSource,
    Project,
    ProjectGroup,
    ProjectMembership,
    ResultGoal,
    Risk,
    StatusReport,
)

GROUP_ORDER = [ProjectGroup.STEERING, ProjectGroup.WORKING, ProjectGroup.REFERENCE]


def _visible_condition(user) -> Q | None:
    """Q for the projects the person sees (projects.view_project); None means all of them."""
    if is_platform_admin(user):
        return None
    condition = Q(pk__in=[])
    seats = project_ids(user)
    if seats:
        condition |= Q(pk__in=seats)
    profile = access_profile(user)
    if profile.member_org_ids:  # administrators are members too
        condition |= Q(owner_id__in=profile.member_org_ids)
    if profile.region_ids:  # the secretariat has a role in its region
        condition |= Q(region_id__in=profile.region_ids)
    return condition


def projects_visible_to(user, *, region=None, status: str = "", scheme=None) -> QuerySet[Project]:
    projects = Project.objects.select_related("owner", "leader", "region", "scheme")
    condition = _visible_condition(user)
    if condition is not None:
        projects = projects.filter(condition)
    if region is not None:
        projects = projects.filter(region=region)
    if status:
        projects = projects.filter(status=status)
    if scheme is not None:
        projects = projects.filter(scheme=scheme)
    return projects.order_by("name", "pk")


def project_by_slug(slug: str) -> Project | None:
    return (
        Project.objects.select_related("owner", "leader", "region", "scheme", "development_request")
        .filter(slug=slug)
        .first()
    )


def _current(today) -> Q:
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


@dataclass
class Group:
    group: str
    label: str
    current: list = field(default_factory=list)
    coming: list = field(default_factory=list)
    former: list = field(default_factory=list)


def groups(project: Project) -> list[Group]:
    """Every group with its current, coming and former seats; one query."""
    today = timezone.localdate()
    result = {group: Group(group=group.value, label=group.label) for group in GROUP_ORDER}
    seats = (
        ProjectMembership.objects.filter(project=project)
        .select_related("person", "organisation")
        .order_by("person__full_name", "starts_on", "pk")
    )
    for seat in seats:
        seat.project = project
        group = result[ProjectGroup(seat.group)]
        if seat.starts_on > today:
            group.coming.append(seat)
        elif seat.ends_on is not None and seat.ends_on < today:
            group.former.append(seat)
        else:
            group.current.append(seat)
    return list(result.values())


def goals(project: Project, activity_rows: list[Activity] | None = None) -> list[ResultGoal]:
    """The result goals in code order (RM1, RM2 … RM10), each with its activities (pass the project's
    activities when they are read anyway); one query."""
    rows = list(ResultGoal.objects.filter(project=project))
    rows.sort(key=_code_key)
    by_pk = {goal.pk: goal for goal in rows}
    for goal in rows:
        goal.project = project
        goal.activity_list = []
    for activity in activity_rows or []:
        if activity.goal_id in by_pk:
            by_pk[activity.goal_id].activity_list.append(activity)
    return rows


def _code_key(goal: ResultGoal):
    """RM2 before RM10: the letters, then the number."""
    letters = goal.code.rstrip("0123456789")
    digits = goal.code[len(letters) :]
    return (letters.upper(), int(digits) if digits else 0, goal.code, goal.pk)


def activities(project: Project) -> list[Activity]:
    rows = list(
        Activity.objects.filter(project=project)
        .select_related("goal", "responsible_person", "responsible_organisation")
        .order_by("starts_on", "ends_on", "pk")
    )
    for activity in rows:
        activity.project = project
    return rows


def risks(project: Project) -> list[Risk]:
    """Risks with the highest score (probability × impact) first; one query."""
    rows = list(Risk.objects.filter(project=project))
    for risk in rows:
        risk.project = project
        risk.score = risk.probability * risk.impact
        risk.level = "high" if risk.score >= 15 else "medium" if risk.score >= 8 else "low"
    rows.sort(key=lambda risk: (-risk.score, risk.pk))
    return rows


def visible_needs(project: Project, user) -> list:
    """The needs linked to the project that this person may see; one query."""
    return list(
        needs_visible_to(user)
        .filter(projects=project)
        .select_related("organisation", "municipality")
        .order_by("title", "pk")
    )


def has_payments(project: Project) -> bool:
    """Whether any payment (planned, approved or paid) exists on an allocation of the project: linked to it
    directly, or financing it through a line of its financing plan."""
    return Payment.objects.filter(Q(allocation__project=project) | Q(allocation__financing__project=project)).exists()


# ---- the timeline chart -----------------------------------------------------------------------------------

CHART_WIDTH = 880
LABEL_WIDTH = 260
ROW_HEIGHT = 28
AXIS_HEIGHT = 40


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(month=day.month + 1)


@dataclass
class Timeline:
    months: list[dict]
    bars: list[dict]
    width: int
    height: int
    first: datetime.date | None
    last: datetime.date | None
    today_x: float | None = None

    @property
    def is_empty(self) -> bool:
        return not self.bars


def timeline(project: Project, rows: list[Activity]) -> Timeline:
    """A Gantt-like chart of the activities by month: one bar per activity from the first day of its start
    month to the end of its end month, over the project's period (or the activities' own span)."""
    if not rows:
        return Timeline(months=[], bars=[], width=CHART_WIDTH, height=0, first=None, last=None)
    starts = [activity.starts_on for activity in rows] + ([project.starts_on] if project.starts_on else [])
    ends = [activity.ends_on for activity in rows] + ([project.ends_on] if project.ends_on else [])
    first, last = _month_start(min(starts)), _month_start(max(ends))
    month_starts = []
    cursor = first
    while cursor <= last:
        month_starts.append(cursor)
        cursor = _next_month(cursor)
    area = CHART_WIDTH - LABEL_WIDTH
    column = area / len(month_starts)
    # Label every month when there is room, otherwise every quarter or every year.
    step = 1 if column >= 34 else 3 if column * 3 >= 34 else 12
    months = []
    for index, start in enumerate(month_starts):
        x = LABEL_WIDTH + index * column
        show = step == 1 or (start.month - 1) % step == 0
        months.append(
            {
                "x": round(x, 1),
                "width": round(column, 1),
                "label": formats.date_format(start, "M") if show else "",
                "year": str(start.year) if (start.month == 1 or index == 0) else "",
                "shade": index % 2 == 0,
            }
        )
    index_of = {start: index for index, start in enumerate(month_starts)}
    bars = []
    for row, activity in enumerate(rows):
        begin = index_of[_month_start(activity.starts_on)]
        end = index_of[_month_start(activity.ends_on)]
        y = AXIS_HEIGHT + row * ROW_HEIGHT
        label = f"{activity.goal.code} {activity.title}" if activity.goal_id else activity.title
        bars.append(
            {
                "activity": activity,
                "label": label,
                "x": round(LABEL_WIDTH + begin * column, 1),
                "width": round(max((end - begin + 1) * column - 2, 2), 1),
                "y": y + 4,
                "text_y": y + 18,
                "status": activity.status,
            }
        )
    today = timezone.localdate()
    today_x = None
    if first <= today < _next_month(last):
        index = index_of[_month_start(today)]
        days_in_month = (_next_month(_month_start(today)) - _month_start(today)).days
        today_x = round(LABEL_WIDTH + (index + (today.day - 1) / days_in_month) * column, 1)
    return Timeline(
        months=months,
        bars=bars,
        width=CHART_WIDTH,
        height=AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 8,
        first=first,
        last=last,
        today_x=today_x,
    )


def timeline_description(chart: Timeline) -> str:
    if chart.is_empty:
        return ""
    return _("Activities by month from %(first)s to %(last)s. The same activities are listed in the table below.") % {
        "first": formats.date_format(chart.first, "F Y"),
        "last": formats.date_format(chart.last, "F Y"),
    }


# ---- history ----------------------------------------------------------------------------------------------


def project_history(project: Project, *, page: int | str = 1, per_page: int = 50):
    """One page of the history of the project and its parts (groups and risks are recorded on the project;
    goals, activities, budget lines, financing, costs and reports on themselves), newest first."""
    models = (Project, ResultGoal, Activity, BudgetLine, FinancingSource, ActualCost, StatusReport)
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)

    def ids(queryset):
        return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")

    condition = Q(content_type=types[Project], object_id=str(project.pk))
    for model, queryset in (
        (ResultGoal, ResultGoal.objects.filter(project=project)),
        (Activity, Activity.objects.filter(project=project)),
        (BudgetLine, BudgetLine.objects.filter(project=project)),
        (FinancingSource, FinancingSource.objects.filter(project=project)),
        (ActualCost, ActualCost.objects.filter(budget_line__project=project)),
        (StatusReport, StatusReport.objects.filter(project=project)),
    ):
        condition |= Q(content_type=types[model], object_id__in=ids(queryset))
    entries = AuditEntry.objects.filter(condition).select_related("actor").order_by("-created_at", "-id")
    return Paginator(entries, per_page).get_page(page)
