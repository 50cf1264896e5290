from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from kompetansebro.organisations.selectors import memberships_of, region_roles_of


def home(request):
    context = {}
    if request.user.is_authenticated:
        context = {"memberships": memberships_of(request.user), "region_roles": region_roles_of(request.user)}
    return render(request, "core/home.html", context)


def healthz(request):
    """For load balancers and monitoring: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
