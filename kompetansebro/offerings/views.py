from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.audit.selectors import history_for
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.geography.models import Municipality
from kompetansebro.offerings import services
from kompetansebro.offerings.forms import OfferingFilterForm, OfferingForm, OfferingStatusForm
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.selectors import catalogue, delivery_labels, offerings_kept_by, page_of

PAGE_SIZE = 20
FACET_GROUPS = ("level", "delivery", "field")


def visible_offering(request, pk, *args, **kwargs) -> Offering:
    """The offering, or 404 for people who may not see it (a planned offering is not yet public)."""
    offering = get_object_or_404(
        Offering.objects.select_related("provider__municipality", "field").prefetch_related(
            "gathering_locations", "tags"
        ),
        pk=pk,
    )
    if not request.user.has_perm("offerings.view_offering", offering):
        raise Http404
    return offering


def _facet_groups(form, facets) -> list[dict]:
    groups = []
    for name in FACET_GROUPS:
        counts = facets[name]
        groups.append(
            {
                "field": form[name],
                "options": [
                    {"widget": widget, "count": counts.get(widget.data["value"], 0), "id": f"count-{name}-{index}"}
                    for index, widget in enumerate(form[name])
                ],
            }
        )
    return groups


def offering_catalogue(request):
    """The public catalogue: search, facets with counts, "near me"; htmx swaps only the results."""
    form = OfferingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    offerings, facets = catalogue(user=request.user, filters=filters)
    paginator = Paginator(offerings, PAGE_SIZE)
    paginator.count = facets["total"]  # counted with the facets
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = page_of(offerings, page.start_index() - 1 if facets["total"] else 0, PAGE_SIZE)
    near = None
    if number := filters.get("municipality"):
        near = Municipality.objects.filter(number=number).first()
    partial = wants_partial(request)
    template = "offerings/_results.html" if partial else "offerings/catalogue.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "partial": partial,
            "facet_groups": _facet_groups(form, facets),
            "facets": facets,
            "near": near,
        },
    )


def offering_detail(request, pk):
    offering = visible_offering(request, pk)
    return render(
        request,
        "offerings/detail.html",
        {
            "offering": offering,
            "delivery": delivery_labels(offering),
            "status_form": OfferingStatusForm(initial={"status": offering.status}),
        },
    )


@permission_required("offerings.add_offering")
def offering_create(request):
    form = OfferingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                actor=request.user, provider=form.cleaned_data["provider"], data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(title)s has been registered.") % {"title": offering.title})
            return redirect(offering)
    return render(request, "offerings/form.html", {"form": form, "offering": None})


@permission_required("offerings.change_offering", fn=visible_offering)
def offering_update(request, pk):
    offering = visible_offering(request, pk)
    form = OfferingForm(request.POST or None, instance=offering, user=request.user)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.offering_update(
                    actor=request.user, offering=offering, data=form.cleaned_data, expected_version=version
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(offering)
    return render(request, "offerings/form.html", {"form": form, "offering": offering, **conflict})


@require_POST
@permission_required("offerings.change_offering", fn=visible_offering)
def offering_status(request, pk):
    offering = visible_offering(request, pk)
    form = OfferingStatusForm(request.POST)
    if form.is_valid():
        services.offering_set_status(actor=request.user, offering=offering, status=form.cleaned_data["status"])
        messages.success(
            request,
            _("The status is now: %(status)s.") % {"status": OfferingStatus(offering.status).label},
        )
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(offering)


@permission_required("offerings.delete_offering", fn=visible_offering)
def offering_delete(request, pk):
    offering = visible_offering(request, pk)
    if request.method == "POST":
        services.offering_delete(actor=request.user, offering=offering)
        messages.success(request, _("%(title)s has been deleted.") % {"title": offering.title})
        return redirect("offerings:mine")
    return render(request, "offerings/confirm_delete.html", {"offering": offering})


@permission_required("offerings.view_history", fn=visible_offering)
def offering_history(request, pk):
    offering = visible_offering(request, pk)
    return render(
        request,
        "offerings/history.html",
        {"offering": offering, "entries": history_for(offering, page=request.GET.get("page", 1))},
    )


@permission_required("offerings.add_offering")
def offering_mine(request):
    """The offerings of the providers the person keeps, planned and closed ones included."""
    page = Paginator(offerings_kept_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "offerings/mine.html", {"page": page})
