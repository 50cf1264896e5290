"""Grant schemes (tilskuddsordninger), their rounds and annual wheel (årshjul), ranked priority lists,
allocations within a round's frame and the payments made on them (seeds 000, 001 and 004)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompetansebro.core.constraints import ConstraintErrorsBesideFields, check, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.forums.models import AgendaCase, Forum
from kompetansebro.geography.models import Region
from kompetansebro.organisations.models import Organisation, OrganisationKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class GrantScheme(ConstraintErrorsBesideFields, VersionedModel):
    """A scheme with its rules: who may receive it (centrality classes), how large a share of a project's
    costs it may cover, whether in-kind hours count as own contribution and at what rate, and what the
    recipients report. A scheme may pass down from another (ministry → county → region)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="grant_schemes"
    )
    source = models.CharField(
        _("source of the money"),
        max_length=200,
        blank=True,
        help_text=_("For example: Kommunal- og distriktsdepartementet."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("passed down from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    eligibility = models.TextField(_("who may apply"), blank=True)
    target_centrality_classes = models.JSONField(
        _("target centrality classes"),
        default=list,
        blank=True,
        help_text=_("SSB centrality classes the scheme is meant for, e.g. 5 and 6. Empty: every municipality."),
    )
    eligible_kinds = models.JSONField(
        _("kinds of organisation that may receive grants"),
        default=list,
        blank=True,
        help_text=_(
            "They may submit priority lists in the scheme's rounds (within the round's region). None chosen: only "
            "the invited organisations."
        ),
    )
    # How the history shows the stored values of a JSON list (audit/display.py).
    history_choices = {"eligible_kinds": OrganisationKind.choices}
    invited_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("invited organisations"),
        blank=True,
        related_name="grant_scheme_invitations",
        help_text=_("May submit priority lists in every round of the scheme, whatever their kind and place."),
    )
    max_grant_share = models.DecimalField(
        _("maximum grant share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("70 means the grant covers at most 70 % of the costs: at least 30 % own contribution."),
    )
    in_kind_counts = models.BooleanField(_("in-kind hours count as own contribution"), default=False)
    in_kind_hourly_rate = models.DecimalField(_("hourly rate for in-kind hours (NOK)"), null=True, blank=True, **MONEY)
    requires_economic_report = models.BooleanField(_("economic report with the status reports"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant scheme")
        verbose_name_plural = _("grant schemes")
        ordering = ["name", "pk"]
        constraints = [
            check(
                condition=models.Q(max_grant_share__gte=0) & models.Q(max_grant_share__lte=100),
                name="scheme_grant_share_is_a_percentage",
                message=_("The grant share is a percentage from 0 to 100."),
                field="max_grant_share",
            ),
            check(
                condition=models.Q(in_kind_hourly_rate__isnull=True) | models.Q(in_kind_hourly_rate__gte=0),
                name="scheme_hourly_rate_not_negative",
                message=_("The hourly rate cannot be negative."),
                field="in_kind_hourly_rate",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grants:scheme", args=[self.slug])

    @property
    def min_own_share(self) -> Decimal:
        return Decimal("100") - self.max_grant_share


class ReportQuestion(models.Model):
    """A question of the scheme's reporting template (DEKOM's four: local anchoring, avoiding fragmentation,
    a school-based approach, the pupils' voice)."""

    scheme = models.ForeignKey(GrantScheme, on_delete=models.CASCADE, related_name="report_questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=400)
    help_text = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("report question")
        verbose_name_plural = _("report questions")
        ordering = ["scheme", "position", "pk"]

    def __str__(self):
        return self.text


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open for priority lists")
    PROPOSED = "proposed", _("allocation proposed")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")


class GrantRound(ConstraintErrorsBesideFields, VersionedModel):
    """One year's (or one call's) money of a scheme: a frame that allocations can never exceed."""

    scheme = models.ForeignKey(GrantScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    frame = models.DecimalField(_("frame (NOK)"), **MONEY)
    priority_deadline = models.DateField(_("deadline for priority lists"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="grant_rounds"
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("deciding forum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_rounds",
    )
    decision_case = models.ForeignKey(
        AgendaCase,
        verbose_name=_("decision case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_rounds",
    )
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    frame_to_be_adjusted = models.BooleanField(
        _("frame to be adjusted"),
        default=False,
        help_text=_("Set when the round was created by rolling the annual wheel over: the frame is last year's."),
    )
    rolled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_to", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        ordering = ["-year", "name", "pk"]
        constraints = [
            check(
                condition=models.Q(frame__gte=0),
                name="round_frame_not_negative",
                message=_("The frame cannot be negative."),
                field="frame",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grants:round", args=[self.pk])


class WheelStepKind(models.TextChoices):
    ANALYSIS = "analysis", _("analysis and prioritising")
    PRIORITY_DEADLINE = "priority_deadline", _("deadline for priority lists")
    FORUM_MEETING = "forum_meeting", _("forum decides")
    PAYMENT = "payment", _("payment")
    SEMINAR = "seminar", _("seminar")
    REPORT_DUE = "report_due", _("reports due")
    OTHER = "other", _("other")


class WheelStep(ConstraintErrorsBesideFields, models.Model):
    """A dated step of a scheme's (or a forum's) annual wheel. Steps that repeat yearly are copied to the next
    year, dates shifted, when the wheel is rolled over."""

    scheme = models.ForeignKey(GrantScheme, null=True, blank=True, on_delete=models.CASCADE, related_name="wheel_steps")
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="wheel_steps")
    round = models.ForeignKey(GrantRound, null=True, blank=True, on_delete=models.CASCADE, related_name="wheel_steps")
    kind = models.CharField(
        pgettext_lazy("category", "kind"), max_length=30, choices=WheelStepKind.choices, default=WheelStepKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    repeats_yearly = models.BooleanField(_("repeats every year"), default=True)
    rolled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_to", editable=False
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        verbose_name = _("step of the annual wheel")
        verbose_name_plural = _("steps of the annual wheel")
        ordering = ["starts_on", "pk"]
        constraints = [
            check(
                condition=models.Q(scheme__isnull=False) | models.Q(forum__isnull=False),
                name="wheel_step_has_owner",
                message=_("A step of the annual wheel belongs to a grant scheme or a forum."),
            ),
            check(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="wheel_step_period_in_order",
                message=_("The end date cannot be before the start date."),
                field="ends_on",
            ),
        ]

    def __str__(self):
        return self.title


class PriorityList(ConstraintErrorsBesideFields, VersionedModel):
    """A network's or region's ranked list for a round: theme (what) and order (who). Submitted before the
    deadline, or marked late; a change after submission is marked too."""

    round = models.ForeignKey(
        GrantRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="priority_lists"
    )
    submitter = models.ForeignKey(
        Organisation, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="priority_lists"
    )
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_late = models.BooleanField(_("submitted after the deadline"), default=False)
    changed_after_submission = models.BooleanField(_("changed after it was submitted"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("priority list")
        verbose_name_plural = _("priority lists")
        ordering = ["round", "submitter__name", "pk"]
        constraints = [
            unique(
                fields=["round", "submitter"],
                name="priority_list_once_per_submitter",
                message=_("The organisation already has a priority list in this round."),
                field="submitter",
            ),
        ]

    def __str__(self):
        return f"{self.submitter} – {self.round}"


class PriorityItem(ConstraintErrorsBesideFields, models.Model):
    priority_list = models.ForeignKey(PriorityList, on_delete=models.CASCADE, related_name="items")
    rank = models.PositiveSmallIntegerField(_("priority"))
    theme = models.CharField(_("theme (what)"), max_length=300)
    applicant = models.ForeignKey(
        Organisation, verbose_name=_("for whom"), on_delete=models.PROTECT, related_name="priority_items"
    )
    amount = models.DecimalField(_("amount applied for (NOK)"), **MONEY)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["priority_list", "rank", "pk"]
        constraints = [
            unique(
                fields=["priority_list", "rank"],
                name="priority_rank_unique_in_list",
                message=_("Two priorities in the list cannot have the same place in the order."),
                field="rank",
            ),
            check(
                condition=models.Q(amount__gte=0),
                name="priority_amount_not_negative",
                message=_("The amount cannot be negative."),
                field="amount",
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.theme}"


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ADOPTED = "adopted", _("adopted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Allocation(ConstraintErrorsBesideFields, VersionedModel):
    """Money of a round given to a recipient. The round's allocations never add up to more than its frame
    (checked under a lock on the round)."""

    round = models.ForeignKey(GrantRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="allocations")
    recipient = models.ForeignKey(
        Organisation, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="allocations"
    )
    priority_item = models.ForeignKey(
        PriorityItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocations"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="allocations"
    )
    purpose = models.CharField(_("for"), max_length=300)
    amount = models.DecimalField(_("amount (NOK)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["round", "pk"]
        constraints = [
            check(
                condition=models.Q(amount__gt=0),
                name="allocation_amount_positive",
                message=_("The amount must be more than kr 0."),
                field="amount",
            )
        ]

    def __str__(self):
        return f"{self.recipient}: {self.purpose}"


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("payment")
    REPAYMENT = "repayment", _("repayment")


class PaymentStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")


class Payment(ConstraintErrorsBesideFields, VersionedModel):
    """A (partial) payment on an allocation, or a repayment of one. What is planned, approved and paid,
    less what is repaid, never exceeds the allocation."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(
        pgettext_lazy("category", "kind"), max_length=20, choices=PaymentKind.choices, default=PaymentKind.PAYMENT
    )
    amount = models.DecimalField(_("amount (NOK)"), **MONEY)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PLANNED)
    due_on = models.DateField(_("planned for"), null=True, blank=True)
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["allocation", "due_on", "pk"]
        constraints = [
            check(
                condition=models.Q(amount__gt=0),
                name="payment_amount_positive",
                message=_("The amount must be more than kr 0."),
                field="amount",
            ),
            check(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False),
                name="paid_payment_has_date",
                message=_("Write the date the money was paid."),
                field="paid_on",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"
