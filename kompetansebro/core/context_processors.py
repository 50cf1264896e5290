from django.conf import settings
from django.utils.functional import SimpleLazyObject

from kompetansebro.organisations.access import access_profile


def site(request):
    return {"SITE_URL": settings.SITE_URL, "PRODUCTION": settings.PRODUCTION}


def menu(request):
    """The main menu's role links, read from the access profile the menu already loads (no extra query)."""
    user = getattr(request, "user", None)
    return {"menu_provider_ids": SimpleLazyObject(lambda: sorted(access_profile(user).provider_org_ids))}
