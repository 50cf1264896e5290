from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.constraints import ConstraintErrorsBesideFields, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.geography.models import Region
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.organisations.models import Organisation


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class MappingRound(VersionedModel):
    """A region's secretariat maps the needs of invited organisations before a forum meeting (kartlegging)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="mapping_rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("instructions"), blank=True)
    opens_on = models.DateField(_("opens"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("mapping round")
        verbose_name_plural = _("mapping rounds")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("mapping:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RoundInvitation(ConstraintErrorsBesideFields, models.Model):
    round = models.ForeignKey(
        MappingRound, verbose_name=_("mapping round"), on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="round_invitations"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_note = models.TextField(_("note"), blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    reminder_count = models.PositiveIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation__name", "id"]
        constraints = [
            unique(
                fields=["round", "organisation"],
                name="round_invitation_unique_organisation",
                message=_("The organisation is already invited to this round."),
                field="organisation",
            )
        ]

    def __str__(self):
        return f"{self.round} – {self.organisation}"


class RoundNeed(models.Model):
    """A need registered in a round; a need belongs to at most one round."""

    round = models.ForeignKey(
        MappingRound, verbose_name=_("mapping round"), on_delete=models.CASCADE, related_name="round_needs"
    )
    need = models.OneToOneField(
        CompetenceNeed, verbose_name=_("competence need"), on_delete=models.CASCADE, related_name="mapping_round_link"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("need in a round")
        verbose_name_plural = _("needs in rounds")
        ordering = ["added_at", "id"]

    def __str__(self):
        return f"{self.round} – {self.need}"
