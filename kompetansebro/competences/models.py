"""The shared vocabulary of needs and offerings: fields of competence (reviewed data), levels, delivery."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Stored values are the codes of the data formats (docs/data-formats.md)."""

    COURSE = "kurs", _("course")
    CERTIFICATION = "sertifisering", _("certification")
    TRADE_CERTIFICATE = "fagbrev", _("trade certificate (fagbrev)")
    UPPER_SECONDARY = "vgs", _("upper secondary for adults")
    VOCATIONAL_COLLEGE = "fagskole", _("vocational college (fagskole)")
    FURTHER_EDUCATION = "videreutdanning", _("further education (university level)")
    BACHELOR = "bachelor", _("bachelor")
    MASTER = "master", _("master")


class DeliveryMode(models.TextChoices):
    CAMPUS = "campus", _("campus")
    GATHERINGS = "samlingsbasert", _("gathering-based")
    ONLINE = "nett", _("online")
    DECENTRALISED = "desentralisert", _("decentralised")
    WORKPLACE = "i_bedrift", _("in the workplace")


# Delivery codes and the boolean model fields they set, for every format that speaks in codes (import,
# export, JSON Lines, API, matching).
OFFERING_DELIVERY_FIELDS = {
    DeliveryMode.CAMPUS: "delivery_campus",
    DeliveryMode.GATHERINGS: "delivery_gatherings",
    DeliveryMode.ONLINE: "delivery_online",
    DeliveryMode.DECENTRALISED: "delivery_decentralised",
    DeliveryMode.WORKPLACE: "delivery_workplace",
}
NEED_DELIVERY_FIELDS = {
    DeliveryMode.ONLINE: "wants_online",
    DeliveryMode.GATHERINGS: "wants_local_gatherings",
    DeliveryMode.WORKPLACE: "wants_workplace",
    DeliveryMode.CAMPUS: "campus_acceptable",
}


class CreditUnit(models.TextChoices):
    STUDY_POINTS = "studiepoeng", _("study points (studiepoeng)")
    VOCATIONAL_POINTS = "fagskolepoeng", _("vocational college points (fagskolepoeng)")


class CompetenceField(models.Model):
    """A field of competence from the reviewed list in competences/data/fields.csv."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nb = models.CharField(_("name (bokmål)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("field of competence")
        verbose_name_plural = _("fields of competence")
        ordering = ["sort_order", "name_nb"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_nb


class Tag(models.Model):
    """A free keyword on needs and offerings, stored in lower case."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name
