from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from kompetansebro.forums.selectors import latest_approved_minutes, next_meetings
from kompetansebro.offerings.forms import CatalogueSearchForm, NearMeForm
from kompetansebro.offerings.selectors import newest_offerings
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.selectors import memberships_of, region_roles_of

from .work import work_items


def home(request):
    """The front page: a way into the catalogue and the forums for everyone, and a person's own
    organisations and regions once logged in."""
    user = request.user
    context = {
        "search_form": CatalogueSearchForm(),
        "near_me_form": NearMeForm(),
        "meetings": next_meetings(user),
        "minutes_meetings": latest_approved_minutes(user),
        "offerings": newest_offerings(user),
    }
    if user.is_authenticated:
        context |= {"memberships": memberships_of(user), "region_roles": region_roles_of(user)}
    return render(request, "core/home.html", context)


@login_required
def start_page(request):
    """Min side: what waits for the person, and by when, gathered from every app (core/work.py)."""
    today = timezone.localdate()
    items = work_items(request.user, today)
    profile = access_profile(request.user)
    return render(
        request,
        "core/start_page.html",
        {
            "today": today,
            "my_items": [item for item in items if not item.for_others],
            "others_items": [item for item in items if item.for_others],
            "is_secretariat": bool(profile.secretariat_region_ids),
            "provider_ids": sorted(profile.provider_org_ids),
            "has_organisation": bool(profile.member_org_ids),
        },
    )


def healthz(request):
    """For load balancers and monitoring: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
