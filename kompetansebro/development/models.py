"""Development requests (bestillinger): the secretariat asks education providers to adapt or develop a
programme for needs that no offering fits, and each provider answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import DeliveryMode, Level
from kompetansebro.core.constraints import ConstraintErrorsBesideFields, check, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.geography.models import Region
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.offerings.models import Offering
from kompetansebro.organisations.models import Organisation


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SENT = "sent", _("sent to the providers")
    IN_DIALOGUE = "in_dialogue", _("in dialogue with providers")
    ANSWERED = "answered", _("answered by every provider")
    CLOSED = "closed", _("closed")


# Statuses in which providers answer and offerings are linked: sent, then in dialogue from the first answer,
# then answered by every provider.
OPEN_REQUEST_STATUSES = (RequestStatus.SENT, RequestStatus.IN_DIALOGUE, RequestStatus.ANSWERED)


class DevelopmentRequest(VersionedModel):
    """A request to one or more providers to adapt or develop education for a group of needs."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="development_requests"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is wanted"))
    wanted_level = models.CharField(_("wanted level"), max_length=20, choices=Level.choices, blank=True)
    wanted_delivery = models.JSONField(
        _("wanted delivery"), default=list, blank=True, help_text=_("Codes of the delivery modes.")
    )
    wanted_start = models.DateField(_("wanted start"), null=True, blank=True)
    answer_deadline = models.DateField(_("deadline for answers"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    close_reason = models.TextField(_("why it was closed"), blank=True)
    needs = models.ManyToManyField(
        CompetenceNeed, verbose_name=_("needs"), through="RequestNeed", related_name="development_requests"
    )
    providers = models.ManyToManyField(
        Organisation,
        verbose_name=_("providers"),
        through="ProviderAnswer",
        related_name="development_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("development request")
        verbose_name_plural = _("development requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("development:detail", args=[self.pk])

    @property
    def wanted_delivery_labels(self) -> list[str]:
        labels = dict(DeliveryMode.choices)
        return [str(labels[code]) for code in self.wanted_delivery if code in labels]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestNeed(ConstraintErrorsBesideFields, models.Model):
    """A need attached to a development request."""

    request = models.ForeignKey(DevelopmentRequest, on_delete=models.CASCADE, related_name="need_links")
    need = models.ForeignKey(CompetenceNeed, on_delete=models.CASCADE, related_name="development_links")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("need in a development request")
        verbose_name_plural = _("needs in development requests")
        constraints = [
            unique(
                fields=["request", "need"],
                name="request_need_unique",
                message=_("The need is already in this development request."),
                field="need",
            )
        ]

    def __str__(self):
        return f"{self.request_id} – {self.need_id}"


class AnswerKind(models.TextChoices):
    ADAPT = "adapt", _("can adapt an existing programme")
    NEW = "new", _("will develop a new programme")
    CANNOT = "cannot", _("cannot offer this")


class ProviderAnswer(ConstraintErrorsBesideFields, VersionedModel):
    """A provider a request is addressed to, and its answer once given (kind is empty until then).

    Versioned: two people of the same provider answering at once cannot overwrite each other unseen."""

    request = models.ForeignKey(DevelopmentRequest, on_delete=models.CASCADE, related_name="answers")
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="development_answers"
    )
    kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    existing_offering = models.ForeignKey(
        Offering,
        verbose_name=_("existing programme to adapt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    linked_offering = models.ForeignKey(
        Offering,
        verbose_name=_("linked offering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_answers",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider's answer")
        verbose_name_plural = _("providers' answers")
        ordering = ["provider__name", "pk"]
        constraints = [
            unique(
                fields=["request", "provider"],
                name="provider_answer_unique",
                message=_("The provider has already answered this development request."),
                field="provider",
            ),
            check(
                condition=~models.Q(kind="cannot") | ~models.Q(reason=""),
                name="provider_answer_cannot_has_reason",
                message=_("Give a reason when you cannot offer what is asked for."),
                field="reason",
            ),
        ]

    def __str__(self):
        return f"{self.request} – {self.provider}"

    @property
    def is_answered(self) -> bool:
        return bool(self.kind)

    @property
    def may_get_offering(self) -> bool:
        return self.kind in (AnswerKind.ADAPT, AnswerKind.NEW)

    @property
    def awaits_offering(self) -> bool:
        """An answer that offers a programme whose offering is not linked yet: the only time to link one."""
        return self.may_get_offering and self.linked_offering_id is None
