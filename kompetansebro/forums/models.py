"""Forums (competence forums, councils, networks, working groups), their members, meetings, agendas with
numbered cases, decisions, minutes and follow-up tasks: how the bodies in seeds 000, 002 and 004 work."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompetansebro.core.constraints import ConstraintErrorsBesideFields, check, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.development.models import DevelopmentRequest
from kompetansebro.geography.models import Region
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.organisations.models import Organisation


class ForumKind(models.TextChoices):
    REGIONAL_COMPETENCE_FORUM = "regional_competence_forum", _("regional competence forum")
    COUNTY_COMPETENCE_FORUM = "county_competence_forum", _("county competence forum")
    DEKOM_FORUM = "dekom_forum", _("DEKOM collaboration forum")
    COMPETENCE_NETWORK = "competence_network", _("competence network")
    WORKING_GROUP = "working_group", _("working group")
    COUNCIL = "council", _("council or board")
    DIRECTORS_COMMITTEE = "directors_committee", _("municipal directors' committee")


class Forum(ConstraintErrorsBesideFields, VersionedModel):
    """A body that meets, decides and follows up. A public forum shows its mandate, members, meetings, open
    agendas and approved minutes to everyone."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(pgettext_lazy("forum", "kind"), max_length=40, choices=ForumKind.choices)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="forums"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="forums"
    )
    mandate = models.TextField(_("mandate"), blank=True)
    appointed_from = models.DateField(_("appointed from"), null=True, blank=True)
    appointed_until = models.DateField(_("appointed until"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Public forums show their members, meetings and minutes to everyone.")
    )
    case_prefix = models.CharField(
        _("case number prefix"),
        max_length=10,
        default="PS",
        help_text=_("Cases for decision are numbered PS 26/20; items for information RS 3/20."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name", "pk"]
        constraints = [
            check(
                condition=models.Q(appointed_until__isnull=True)
                | models.Q(appointed_from__isnull=True)
                | models.Q(appointed_until__gte=models.F("appointed_from")),
                name="forum_appointment_period_in_order",
                message=_("The end date cannot be before the start date."),
                field="appointed_until",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:detail", args=[self.slug])


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
    MEMBER = "member", _("member")
    DEPUTY = "deputy", _("deputy member")
    OBSERVER = "observer", _("observer")
    SECRETARIAT = "secretariat", _("secretariat")


class ForumMembership(ConstraintErrorsBesideFields, models.Model):
    """A person's seat in a forum for a period. Memberships are ended, never deleted: the history of who sat
    in the forum, and when, stays."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="forum_memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    may_decide = models.BooleanField(_("may decide"), default=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forum membership")
        verbose_name_plural = _("forum memberships")
        ordering = ["forum", "role", "person__full_name", "pk"]
        constraints = [
            check(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="forum_membership_period_in_order",
                message=_("The end date cannot be before the start date."),
                field="ends_on",
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.forum} ({self.get_role_display()})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    NOTICE_SENT = "notice_sent", _("notice sent")
    HELD = "held", _("held")
    MINUTES_APPROVED = "minutes_approved", _("minutes approved")


class Meeting(ConstraintErrorsBesideFields, VersionedModel):
    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    # The iCalendar SEQUENCE: raised whenever time or place change, so calendars update the invitation.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["forum", "starts_at"])]
        constraints = [
            check(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                message=_("The meeting must end after it starts."),
                field="ends_at",
            )
        ]

    def __str__(self):
        return self.title or f"{self.forum} {self.starts_at:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("forums:meeting", args=[self.forum.slug, self.pk])


class CaseKind(models.TextChoices):
    DECISION = "PS", _("case for decision (PS)")
    INFORMATION = "RS", _("item for information (RS)")


class AgendaCase(ConstraintErrorsBesideFields, VersionedModel):
    """A case on a meeting's agenda, numbered per forum, kind and year: PS 26/20 is case 26 of 2020."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="cases")
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(
        pgettext_lazy("forum", "kind"), max_length=2, choices=CaseKind.choices, default=CaseKind.DECISION
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    position = models.PositiveIntegerField(_("order on the agenda"), default=0)
    title = models.CharField(_("title"), max_length=300)
    archive_number = models.CharField(
        _("archive case number"), max_length=40, blank=True, help_text=_("For example 2020/24503.")
    )
    is_closed = models.BooleanField(_("closed case"), default=False)
    legal_basis = models.CharField(
        _("legal basis for closing"),
        max_length=200,
        blank=True,
        help_text=_("For example: Offentleglova § 13, jf. forvaltningsloven § 13."),
    )
    background = models.TextField(_("background"), blank=True)
    facts = models.TextField(_("facts"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    recommendation = models.TextField(_("the advisor's recommendation"), blank=True)
    needs = models.ManyToManyField(CompetenceNeed, verbose_name=_("needs"), blank=True, related_name="agenda_cases")
    development_requests = models.ManyToManyField(
        DevelopmentRequest, verbose_name=_("development requests"), blank=True, related_name="agenda_cases"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["meeting", "position", "kind", "number", "pk"]
        constraints = [
            unique(
                fields=["forum", "kind", "year", "number"],
                name="case_number_unique_per_forum",
                message=_("The forum already has a case with this number this year."),
                field="number",
            ),
            check(
                condition=models.Q(is_closed=False) | ~models.Q(legal_basis=""),
                name="closed_case_has_legal_basis",
                message=_("A case closed to the public needs its legal basis, e.g. Offl. § 13."),
                field="legal_basis",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        """PS 26/20: kind, number, the year in two digits."""
        return f"{self.kind} {self.number}/{self.year % 100:02d}"

    def get_absolute_url(self):
        return reverse("forums:case", args=[self.forum.slug, self.pk])


class CaseAttachment(models.Model):
    """A case paper. Checked for size and type when uploaded, stored under a random name, and only ever
    served as a download (Content-Disposition: attachment) with its checked type."""

    case = models.ForeignKey(AgendaCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="forums/attachments/%Y/")
    title = models.CharField(_("title"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "uploaded_at", "pk"]

    def __str__(self):
        return self.title


class Decision(models.Model):
    """What the forum decided in a case: the recommendation as proposed, or amended; optional votes and
    dissent."""

    case = models.OneToOneField(AgendaCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="decision")
    text = models.TextField(pgettext_lazy("forum", "decision"))
    as_recommended = models.BooleanField(_("adopted as recommended"), default=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    dissent = models.TextField(_("dissent"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("forum", "decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.case.label}: {self.text[:60]}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    APOLOGIES = "apologies", _("sent apologies")
    DEPUTY = "deputy", _("attended as deputy")
    ABSENT = "absent", _("absent")


class Attendance(ConstraintErrorsBesideFields, models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        ForumMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "person__full_name"]
        constraints = [
            unique(
                fields=["meeting", "person"],
                name="attendance_once_per_person",
                message=_("The person's attendance at this meeting is already recorded."),
                field="person",
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class Minutes(ConstraintErrorsBesideFields, models.Model):
    """One version of a meeting's minutes (protokoll). Drafted from the agenda, decisions and attendance
    (`content` is that snapshot), approved, and then locked: a change after approval is a new version with a
    reason, and the earlier versions stay visible."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    content = models.JSONField(_("content"), default=dict)
    change_reason = models.TextField(_("why the approved minutes were changed"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-number"]
        constraints = [
            unique(
                fields=["meeting", "number"],
                name="minutes_version_unique",
                message=_("The meeting already has a version of the minutes with this number."),
            ),
            unique(
                fields=["meeting"],
                condition=models.Q(status="draft"),
                name="minutes_one_draft_per_meeting",
                message=_("The meeting already has a draft of the minutes."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} – {self.number}"

    @property
    def is_locked(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class Recurrence(models.TextChoices):
    NONE = "", _("does not repeat")
    MONTHLY = "monthly", _("every month")
    QUARTERLY = "quarterly", _("every quarter")
    HALF_YEARLY = "half_yearly", _("twice a year")
    YEARLY = "yearly", _("every year")


RECURRENCE_MONTHS = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.YEARLY: 12,
}


class FollowUpTask(ConstraintErrorsBesideFields, VersionedModel):
    """Something a decision asks someone to do by a date (seed 000: "the project leader orients the council
    at least once per calendar year"). Completing a recurring task creates the next one."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="tasks")
    case = models.ForeignKey(
        AgendaCase, verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_tasks",
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_tasks",
    )
    due_on = models.DateField(_("due"))
    recurrence = models.CharField(_("repeats"), max_length=20, choices=Recurrence.choices, default="", blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next", editable=False
    )
    # The overdue e-mail is sent once per task: the periodic command acts on this state, not on time windows.
    overdue_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["forum", "done_at", "due_on"])]
        constraints = [
            check(
                condition=models.Q(responsible_person__isnull=False) | models.Q(responsible_organisation__isnull=False),
                name="task_has_someone_responsible",
                message=_("Choose a responsible person or a responsible organisation (or both)."),
                field="responsible_person",
            )
        ]

    def __str__(self):
        return self.title
