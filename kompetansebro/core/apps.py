from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kompetansebro.core"
    label = "core"
    verbose_name = _("Common")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .work import discover_work_sources

        discover_work_sources()
