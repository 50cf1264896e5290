from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.versioning import VersionedModel


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["number"]

    def __str__(self):
        return self.name


class CentralityClass(models.IntegerChoices):
    MOST_CENTRAL = 1, _("1 – most central")
    CLASS_2 = 2, "2"
    CLASS_3 = 3, "3"
    CLASS_4 = 4, "4"
    CLASS_5 = 5, "5"
    LEAST_CENTRAL = 6, _("6 – least central")


class Municipality(models.Model):
    """SSB reference data; loaded from files, never edited in the UI."""

    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="municipalities"
    )
    centrality_class = models.PositiveSmallIntegerField(_("centrality class"), choices=CentralityClass.choices)
    centrality_index = models.PositiveSmallIntegerField(_("centrality index"))
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population as of year"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("geography:municipality_detail", args=[self.number])

    @property
    def is_rural(self) -> bool:
        """Centrality class 5 or 6: the Kompetansepilot target group (seed 001)."""
        return self.centrality_class >= 5


class RegionKind(models.TextChoices):
    INTER_MUNICIPAL_COUNCIL = "interkommunalt_politisk_rad", _("inter-municipal political council")
    COUNTY = "county", _("county")
    OTHER = "other", _("other region")


class Region(VersionedModel):
    """A group of municipalities: an inter-municipal council, a whole county, or another area."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=RegionKind.choices, default=RegionKind.OTHER)
    county = models.ForeignKey(
        County, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT, related_name="regions"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("member municipalities"), related_name="regions"
    )
    description = models.TextField(_("description"), blank=True)
    is_reference = models.BooleanField(
        _("from reference data"),
        default=False,
        help_text=_("Loaded from the reference files; kept up to date by them."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("geography:region_detail", args=[self.code])
