"""Projects that grants pay for: owner, leader and groups, goals (RM1, RM2 …), activities, budget and
financing plan with the scheme's co-financing rules, actual costs, risks, and the status reports the
council's follow-up routines ask for (seed 000)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompetansebro.core.constraints import ConstraintErrorsBesideFields, check, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.development.models import DevelopmentRequest
from kompetansebro.forums.models import FollowUpTask
from kompetansebro.geography.models import Region
from kompetansebro.grants.models import MONEY, Allocation, GrantScheme
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.organisations.models import Organisation


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class Project(ConstraintErrorsBesideFields, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("project owner"), on_delete=models.PROTECT, related_name="projects"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    scheme = models.ForeignKey(
        GrantScheme,
        verbose_name=_("grant scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("The scheme whose co-financing rules the financing plan is checked against."),
    )
    overall_goal = models.TextField(_("overall goal"), blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(pgettext_lazy("date", "starts"), null=True, blank=True)
    ends_on = models.DateField(pgettext_lazy("date", "ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    development_request = models.ForeignKey(
        DevelopmentRequest,
        verbose_name=_("started from the development request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    needs = models.ManyToManyField(CompetenceNeed, verbose_name=_("needs"), blank=True, related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name", "pk"]
        constraints = [
            check(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="project_period_in_order",
                message=_("The end date cannot be before the start date."),
                field="ends_on",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.slug])


class ProjectGroup(models.TextChoices):
    STEERING = "steering", _("steering group")
    WORKING = "working", _("working group")
    REFERENCE = "reference", _("reference group")


class ProjectMembership(models.Model):
    """A seat in one of the project's groups, kept with its period like forum memberships."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    group = models.CharField(_("group"), max_length=20, choices=ProjectGroup.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="project_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("represents"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("project group membership")
        verbose_name_plural = _("project group memberships")
        ordering = ["project", "group", "person__full_name", "pk"]

    def __str__(self):
        return f"{self.person} – {self.get_group_display()}"


class ResultGoal(ConstraintErrorsBesideFields, models.Model):
    """A result goal (RM1, RM2 …) with what was planned, what was done and what came of it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=10, help_text=_("For example RM1."))
    text = models.TextField(_("result goal"))
    planned_activities = models.TextField(_("planned activities"), blank=True)
    activities_done = models.TextField(_("activities done"), blank=True)
    results = models.TextField(_("results"), blank=True)

    class Meta:
        verbose_name = _("result goal")
        verbose_name_plural = _("result goals")
        ordering = ["project", "code", "pk"]
        constraints = [
            unique(
                fields=["project", "code"],
                name="result_goal_code_unique",
                message=_("The project already has a result goal with this code."),
                field="code",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Activity(ConstraintErrorsBesideFields, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(ResultGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    title = models.CharField(_("activity"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["project", "starts_on", "pk"]
        constraints = [
            check(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_period_in_order",
                message=_("The end date cannot be before the start date."),
                field="ends_on",
            )
        ]

    def __str__(self):
        return self.title


class CostCategory(models.TextChoices):
    HOURS = "hours", _("hours (planning, cooperation, development)")
    BUSINESS_GARDEN_HOURS = "business_garden_hours", _("hours of business gardens and associations")
    PROJECT_MANAGEMENT = "project_management", _("project management")
    TRAVEL = "travel", _("travel")
    MEETINGS = "meetings", _("meetings")
    DIGITAL_EQUIPMENT = "digital_equipment", _("digital equipment")
    OTHER = "other", _("other")


class BudgetLine(ConstraintErrorsBesideFields, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=30, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("budget (NOK)"), **MONEY)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "pk"]
        constraints = [
            check(
                condition=models.Q(amount__gte=0),
                name="budget_line_not_negative",
                message=_("The amount cannot be negative."),
                field="amount",
            )
        ]

    def __str__(self):
        return self.description or self.get_category_display()


class ActualCost(models.Model):
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="actual_costs")
    incurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (NOK)"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        ordering = ["budget_line", "incurred_on", "pk"]

    def __str__(self):
        return self.description


class FinancingKind(models.TextChoices):
    GRANT = "grant", _("grant")
    CASH = "cash", _("own contribution in cash")
    IN_KIND = "in_kind", _("own contribution as in-kind hours")
    OTHER = "other", _("other financing")


class FinancingSource(ConstraintErrorsBesideFields, models.Model):
    """A line of the financing plan. In-kind hours are valued as hours × rate (the scheme's rate unless
    another is given)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="financing")
    kind = models.CharField(pgettext_lazy("category", "kind"), max_length=20, choices=FinancingKind.choices)
    description = models.CharField(_("source"), max_length=300)
    scheme = models.ForeignKey(GrantScheme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey(
        Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="financing"
    )
    amount = models.DecimalField(_("amount (NOK)"), null=True, blank=True, **MONEY)
    hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=1, null=True, blank=True)
    hourly_rate = models.DecimalField(_("hourly rate (NOK)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("financing source")
        verbose_name_plural = _("financing sources")
        ordering = ["project", "kind", "pk"]
        constraints = [
            check(
                condition=~models.Q(kind="in_kind") | models.Q(hours__isnull=False),
                name="in_kind_financing_has_hours",
                message=_("Write the number of hours, e.g. 200."),
                field="hours",
            ),
            check(
                condition=models.Q(kind="in_kind") | models.Q(amount__isnull=False),
                name="financing_has_amount",
                message=_("Write the amount in kroner, e.g. 450 000."),
                field="amount",
            ),
        ]

    def __str__(self):
        return self.description


class Risk(ConstraintErrorsBesideFields, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"))
    probability = models.PositiveSmallIntegerField(
        _("probability (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    measure = models.TextField(_("measure"), blank=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["project", "pk"]
        constraints = [
            check(
                condition=models.Q(probability__gte=1, probability__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_one_to_five",
                message=_("Probability and impact are given as numbers from 1 to 5."),
            )
        ]

    def __str__(self):
        return self.description[:60]


class ReportStatus(models.TextChoices):
    DUE = "due", _("not yet submitted")
    SUBMITTED = "submitted", _("submitted")


class StatusReport(ConstraintErrorsBesideFields, VersionedModel):
    """A status report (two per calendar year in seed 000), filled in from the scheme's template: answers to
    its questions and an economic report. Reminders are decided by the sent-at fields, never by time
    windows, so each is sent once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    economic_report = models.TextField(_("economic report"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    orientation_task = models.ForeignKey(
        FollowUpTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["project", "due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            check(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
                message=_("The end date cannot be before the start date."),
                field="period_end",
            )
        ]

    def __str__(self):
        return self.title
