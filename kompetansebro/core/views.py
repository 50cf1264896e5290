from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from kompetansebro.forums.selectors import latest_approved_minutes, next_meetings
from kompetansebro.offerings.forms import CatalogueSearchForm, NearMeForm
from kompetansebro.offerings.selectors import newest_offerings
from kompetansebro.organisations.selectors import memberships_of, region_roles_of


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


def healthz(request):
    """For load balancers and monitoring: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
