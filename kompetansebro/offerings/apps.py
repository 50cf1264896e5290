from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfferingsConfig(AppConfig):
    name = "kompetansebro.offerings"
    label = "offerings"
    verbose_name = _("Education offerings")
