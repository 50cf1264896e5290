from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# History labels of this app's actions. audit/actions.py keeps the labels of the other apps; these are
# added to them when the app loads, until the lead moves them there.
ACTION_LABELS = {
    "offerings.offering.created": _("Offering registered"),
    "offerings.offering.changed": _("Offering changed"),
    "offerings.offering.status_changed": _("Status of the offering changed"),
    "offerings.offering.deleted": _("Offering deleted"),
}


class OfferingsConfig(AppConfig):
    name = "kompetansebro.offerings"
    label = "offerings"
    verbose_name = _("Education offerings")

    def ready(self):
        from kompetansebro.audit import actions

        for action, label in ACTION_LABELS.items():
            actions.ACTION_LABELS.setdefault(action, label)
