from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import objectgetter

from kompetansebro.audit.selectors import history_for
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.geography import services
from kompetansebro.geography.forms import MunicipalityFilterForm, RegionForm
from kompetansebro.geography.models import Municipality, Region
from kompetansebro.geography.selectors import (
    county_choices,
    municipality_search,
    region_list,
    region_members,
    region_summary,
)
from kompetansebro.organisations import services as organisation_services
from kompetansebro.organisations.forms import RegionRoleAddForm
from kompetansebro.organisations.models import RegionRole
from kompetansebro.organisations.selectors import organisation_search

get_region = objectgetter(Region, "code", "code")


def municipality_list(request):
    form = MunicipalityFilterForm(request.GET or None, county_choices=county_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    municipalities = municipality_search(
        query=filters.get("q", ""),
        county_number=filters.get("county", ""),
        centrality_classes=[int(value) for value in filters.get("centrality", [])],
    )
    page = Paginator(municipalities, 50).get_page(request.GET.get("page"))
    partial = wants_partial(request)
    template = "geography/_municipality_results.html" if partial else "geography/municipality_list.html"
    return render(request, template, {"form": form, "page": page, "partial": partial})


def municipality_detail(request, number):
    municipality = get_object_or_404(Municipality.objects.select_related("county"), number=number)
    organisations = Paginator(organisation_search(municipality_number=number), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "geography/municipality_detail.html",
        {
            "municipality": municipality,
            "regions": municipality.regions.order_by("name"),
            "organisations": organisations,
        },
    )


def region_index(request):
    return render(request, "geography/region_list.html", {"regions": region_list()})


def region_detail(request, code):
    region = get_object_or_404(Region.objects.select_related("county"), code=code)
    roles = None
    if request.user.has_perm("geography.view_region_roles", region):
        roles = RegionRole.objects.filter(region=region).select_related("user").order_by("role", "user__full_name")
    return render(
        request,
        "geography/region_detail.html",
        {"region": region, "members": region_members(region), "summary": region_summary(region), "roles": roles},
    )


@permission_required("geography.add_region")
def region_create(request):
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                county=form.cleaned_data["county"],
                description=form.cleaned_data["description"],
                municipalities=form.cleaned_data["municipalities"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The region %(name)s has been created.") % {"name": region.name})
            return redirect(region)
    return render(request, "geography/region_form.html", {"form": form, "region": None})


@permission_required("geography.change_region", fn=get_region)
def region_update(request, code):
    region = get_object_or_404(Region, code=code)
    form = RegionForm(request.POST or None, instance=region)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.region_update(
                    actor=request.user, region=region, data=form.cleaned_data, expected_version=version
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(region)
    return render(request, "geography/region_form.html", {"form": form, "region": region, **conflict})


@permission_required("geography.delete_region", fn=get_region)
def region_delete(request, code):
    region = get_object_or_404(Region, code=code)
    error = None
    if request.method == "POST":
        try:
            services.region_delete(actor=request.user, region=region)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, _("The region %(name)s has been deleted.") % {"name": region.name})
            return redirect("geography:region_list")
    return render(request, "geography/region_confirm_delete.html", {"region": region, "error": error})


@permission_required("geography.view_region_history", fn=get_region)
def region_history(request, code):
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "geography/region_history.html",
        {"region": region, "entries": history_for(region, page=request.GET.get("page", 1))},
    )


@permission_required("geography.manage_region_roles", fn=get_region)
def region_role_add(request, code):
    region = get_object_or_404(Region, code=code)
    form = RegionRoleAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region_role = organisation_services.region_role_add(
                actor=request.user,
                region=region,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s now has a role in %(region)s.") % {"name": region_role.user, "region": region}
            )
            return redirect(region)
    return render(request, "geography/region_role_form.html", {"form": form, "region": region})


@require_POST
@permission_required("geography.manage_region_roles", fn=get_region)
def region_role_remove(request, code, role_pk):
    region_role = get_object_or_404(RegionRole.objects.select_related("user", "region"), pk=role_pk, region__code=code)
    organisation_services.region_role_remove(actor=request.user, region_role=region_role)
    messages.success(request, _("The role of %(name)s has been removed.") % {"name": region_role.user})
    return redirect(region_role.region)
