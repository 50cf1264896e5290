from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import CompetenceField, Level, Tag
from kompetansebro.core.constraints import ConstraintErrorsBesideFields, check, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.geography.models import Municipality, Region
from kompetansebro.needs import public
from kompetansebro.organisations.models import Organisation


class NeedStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    QUALIFIED = "qualified", _("qualified")
    PRESENTED = "presented", _("presented in forum")
    IN_DIALOGUE = "in_dialogue", _("in dialogue with providers")
    BEING_ADAPTED = "being_adapted", _("offer being adapted or developed")
    OFFER_RUNNING = "offer_running", _("offer running")
    FULFILLED = "fulfilled", _("fulfilled")
    CLOSED = "closed", _("closed")


# The life cycle (seed 000): each status and the statuses it may move to. Who may make which move is
# decided in needs/rules.py; a move to CLOSED always needs a reason.
NEXT_STATUSES = {
    NeedStatus.REGISTERED: [NeedStatus.QUALIFIED, NeedStatus.CLOSED],
    NeedStatus.QUALIFIED: [NeedStatus.PRESENTED, NeedStatus.REGISTERED, NeedStatus.CLOSED],
    NeedStatus.PRESENTED: [NeedStatus.IN_DIALOGUE, NeedStatus.CLOSED],
    NeedStatus.IN_DIALOGUE: [NeedStatus.BEING_ADAPTED, NeedStatus.OFFER_RUNNING, NeedStatus.CLOSED],
    NeedStatus.BEING_ADAPTED: [NeedStatus.OFFER_RUNNING, NeedStatus.IN_DIALOGUE, NeedStatus.CLOSED],
    NeedStatus.OFFER_RUNNING: [NeedStatus.FULFILLED, NeedStatus.CLOSED],
    NeedStatus.FULFILLED: [],
    NeedStatus.CLOSED: [NeedStatus.REGISTERED],
}

# The forward order automatic moves follow (needs.services.need_advance): never back, never out of a final
# state, never past "qualified" unless the person whose act is the evidence may qualify needs.
FORWARD_ORDER = [
    NeedStatus.REGISTERED,
    NeedStatus.QUALIFIED,
    NeedStatus.PRESENTED,
    NeedStatus.IN_DIALOGUE,
    NeedStatus.BEING_ADAPTED,
    NeedStatus.OFFER_RUNNING,
    NeedStatus.FULFILLED,
]
FINAL_STATUSES = (NeedStatus.FULFILLED, NeedStatus.CLOSED)


class Urgency(models.TextChoices):
    LOW = "low", _("can wait")
    MEDIUM = "medium", _("within a year")
    HIGH = "high", _("urgent")


class Visibility(models.TextChoices):
    PUBLIC_ANONYMISED = "public", _("public, anonymised")
    REGION = "region", _("the region only")
    ORGANISATION = "organisation", _("the organisation only")


class CompetenceNeed(ConstraintErrorsBesideFields, VersionedModel):
    """An employer's need for further education (kompetansebehov)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation with the need"), on_delete=models.PROTECT, related_name="needs"
    )
    registered_on_behalf_by = models.ForeignKey(
        Organisation,
        verbose_name=_("registered on behalf by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs_registered_for_others",
        help_text=_("The business garden or secretariat that registered the need for the organisation."),
    )
    registered_by_region = models.ForeignKey(
        Region,
        verbose_name=_("registered by the region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set when a region's secretariat registered the need, e.g. after a mapping meeting."),
    )
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, help_text=_("Stable id from an import, unique per organisation.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    field = models.ForeignKey(
        CompetenceField, verbose_name=_("field of competence"), on_delete=models.PROTECT, related_name="needs"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="needs")
    level = models.CharField(_("wanted level"), max_length=20, choices=Level.choices, blank=True)
    persons = models.PositiveIntegerField(_("number of persons"), default=1)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="needs"
    )
    wants_online = models.BooleanField(_("online"), default=False)
    wants_local_gatherings = models.BooleanField(_("local gatherings"), default=False)
    wants_workplace = models.BooleanField(_("in the workplace"), default=False)
    campus_acceptable = models.BooleanField(_("campus acceptable"), default=False)
    combined_work_education = models.BooleanField(
        _("recruit without formal competence and educate on the job"),
        default=False,
        help_text=_("Kombinert arbeid og utdanning: hire first, educate in the workplace."),
    )
    wanted_start = models.DateField(_("wanted start"), null=True, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs_as_contact",
    )
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.REGION)
    public_title = models.CharField(
        _("public title"),
        max_length=200,
        blank=True,
        help_text=_("What the public sees instead of the title when the need is public. Empty: a neutral title."),
    )
    public_description = models.TextField(
        _("public description"),
        blank=True,
        help_text=_(
            "What the public sees instead of the description. Leave out the employer, its trade and anything only "
            "one workplace has. Empty: a neutral text made from the field of competence and the number of persons."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.REGISTERED)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("competence need")
        verbose_name_plural = _("competence needs")
        ordering = ["-created_at", "-id"]
        constraints = [
            unique(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="need_external_id_unique_per_organisation",
                message=_("The organisation already has a need with this external id."),
                field="external_id",
            ),
            check(
                condition=models.Q(persons__gte=1),
                name="need_persons_at_least_one",
                message=_("A need concerns at least one person."),
                field="persons",
            ),
        ]
        indexes = [
            # The need list's order (newest first): without it every page sorts all needs.
            models.Index(fields=["-created_at", "-id"], name="need_newest_first"),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["field", "status"]),
            models.Index(fields=["visibility", "status"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("needs:detail", args=[self.pk])

    @property
    def public_title_text(self) -> str:
        return public.public_title(self)

    @property
    def public_description_text(self) -> str:
        return public.public_description(self)


class NeedStatusChange(models.Model):
    """The full status history of a need: who moved it, when and why."""

    need = models.ForeignKey(CompetenceNeed, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=NeedStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    cause = models.CharField(
        _("cause"),
        max_length=100,
        blank=True,
        help_text=_("For a move made by the system: what caused it, as an English text translated when shown."),
    )
    cause_object = models.CharField(
        _("caused by"), max_length=300, blank=True, help_text=_("The name of the thing that caused the move.")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.need}: {self.from_status} → {self.to_status}"

    @property
    def cause_text(self) -> str:
        """The cause in the viewer's language, with the name of what caused it."""
        if not self.cause:
            return ""
        text = capfirst(gettext(self.cause))
        return f"{text}: {self.cause_object}" if self.cause_object else text
