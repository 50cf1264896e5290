from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import CompetenceField, CreditUnit, Level, Tag
from kompetansebro.core.constraints import ConstraintErrorsBesideFields, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.geography.models import Municipality
from kompetansebro.organisations.models import Organisation


class OfferingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open for applications")
    RUNNING = "running", _("running")
    CLOSED = "closed", _("closed")


class Offering(ConstraintErrorsBesideFields, VersionedModel):
    """An education offering (utdanningstilbud) owned by a provider and kept by its members."""

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="offerings"
    )
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, help_text=_("The provider's own id, unique per provider.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    field = models.ForeignKey(
        CompetenceField, verbose_name=_("field of competence"), on_delete=models.PROTECT, related_name="offerings"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="offerings")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, null=True, blank=True)
    credit_unit = models.CharField(_("credit unit"), max_length=20, choices=CreditUnit.choices, blank=True)
    delivery_campus = models.BooleanField(_("campus"), default=False)
    delivery_gatherings = models.BooleanField(_("gathering-based"), default=False)
    delivery_online = models.BooleanField(_("online"), default=False)
    delivery_decentralised = models.BooleanField(_("decentralised"), default=False)
    delivery_workplace = models.BooleanField(_("in the workplace"), default=False)
    continuous_admission = models.BooleanField(_("continuous admission"), default=False)
    gathering_locations = models.ManyToManyField(
        Municipality, verbose_name=_("gathering locations"), blank=True, related_name="offerings_gathering_here"
    )
    start_date = models.DateField(_("next start"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    price = models.DecimalField(
        _("price (NOK)"), max_digits=13, decimal_places=2, null=True, blank=True, help_text=_("0 for free of charge.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    language = models.CharField(
        _("language of instruction"),
        max_length=8,
        choices=[("nb", _("Norwegian")), ("en", _("English")), ("se", _("Northern Sami"))],
        default="nb",
    )
    url = models.URLField(_("link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferingStatus.choices, default=OfferingStatus.PLANNED
    )
    status_rank = models.GeneratedField(
        expression=models.Case(
            models.When(status=OfferingStatus.OPEN, then=models.Value(0)),
            models.When(status=OfferingStatus.RUNNING, then=models.Value(1)),
            models.When(status=OfferingStatus.PLANNED, then=models.Value(2)),
            default=models.Value(3),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
        help_text="The catalogue's order: open for applications first, then running, planned and closed.",
    )
    search_text = models.TextField(
        editable=False, blank=True, help_text="Stemmed words of title, description, tags and field, for search."
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("education offering")
        verbose_name_plural = _("education offerings")
        ordering = ["title", "id"]
        constraints = [
            unique(
                fields=["provider", "external_id"],
                condition=~models.Q(external_id=""),
                name="offering_external_id_unique_per_provider",
                message=_("The provider already has an offering with this external id."),
                field="external_id",
            ),
        ]
        indexes = [
            # Covering indexes for the catalogue (selectors.catalogue / page_of): its order and its facets are
            # read from these instead of the wide rows (description and search_text); the first page of the order
            # is read straight from its index on PostgreSQL.
            # Ascending, so nulls last on PostgreSQL, as the catalogue orders (SQLite cannot index NULLS LAST).
            models.Index(fields=["status_rank", "start_date", "title", "id"], name="offering_catalogue_order"),
            models.Index(
                fields=[
                    "status",
                    "level",
                    "field",
                    "provider",
                    "delivery_campus",
                    "delivery_gatherings",
                    "delivery_online",
                    "delivery_decentralised",
                    "delivery_workplace",
                    "continuous_admission",
                ],
                name="offering_catalogue_facets",
            ),
            models.Index(fields=["status", "title"]),
            models.Index(fields=["level", "status"]),
            models.Index(fields=["field", "status"]),
            models.Index(fields=["provider", "status"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("offerings:detail", args=[self.pk])
