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
from kompetansebro.geography.selectors import municipality_choices, region_choices
from kompetansebro.organisations import services
from kompetansebro.organisations.forms import (
    MembershipAddForm,
    MembershipRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from kompetansebro.organisations.models import Membership, MembershipRole, Organisation
from kompetansebro.organisations.selectors import (
    organisation_departments,
    organisation_members,
    organisation_represented,
    organisation_search,
)

PAGE_SIZE = 25
SECTION_PAGE_SIZE = 50
get_organisation = objectgetter(Organisation, "pk")


def organisation_list(request):
    form = OrganisationFilterForm(
        request.GET or None, municipality_choices=municipality_choices(), region_choices=region_choices()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_search(
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        municipality_number=filters.get("municipality", ""),
        region_code=filters.get("region", ""),
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = wants_partial(request)
    template = "organisations/_results.html" if partial else "organisations/list.html"
    return render(request, template, {"form": form, "page": page, "partial": partial})


def organisation_detail(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality__county", "parent", "represented_by"), pk=pk
    )
    can_see_people = request.user.has_perm("organisations.view_members", organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "departments": organisation_departments(organisation),
            "represented": Paginator(organisation_represented(organisation), SECTION_PAGE_SIZE).get_page(
                request.GET.get("companies_page")
            ),
            "members": Paginator(organisation_members(organisation), SECTION_PAGE_SIZE).get_page(
                request.GET.get("people_page")
            )
            if can_see_people
            else None,
            "role_choices": MembershipRole.choices,
        },
    )


@permission_required("organisations.add_organisation")
def organisation_create(request):
    initial = {}
    if parent_id := request.GET.get("parent", "").strip():
        parent = (
            Organisation.objects.filter(pk=parent_id).select_related("municipality").first()
            if parent_id.isdigit()
            else None
        )
        if parent:
            initial = {"parent": parent, "municipality": parent.municipality, "kind": parent.kind}
    form = OrganisationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "organisations/form.html", {"form": form, "organisation": None})


@permission_required("organisations.change_organisation", fn=get_organisation)
def organisation_update(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.organisation_update(
                    actor=request.user, organisation=organisation, data=form.cleaned_data, expected_version=version
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(organisation)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation, **conflict})


@permission_required("organisations.delete_organisation", fn=get_organisation)
def organisation_delete(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.organisation_delete(actor=request.user, organisation=organisation)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, _("%(name)s has been deleted.") % {"name": organisation.name})
            return redirect("organisations:list")
    return render(request, "organisations/confirm_delete.html", {"organisation": organisation, "error": error})


@permission_required("organisations.view_history", fn=get_organisation)
def organisation_history(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "organisations/history.html",
        {"organisation": organisation, "entries": history_for(organisation, page=request.GET.get("page", 1))},
    )


@permission_required("organisations.manage_members", fn=get_organisation)
def membership_add(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added to %(organisation)s.")
                % {"name": membership.user, "organisation": organisation},
            )
            return redirect(organisation)
    return render(request, "organisations/membership_form.html", {"form": form, "organisation": organisation})


def _membership_organisation(request, pk, membership_pk):
    return get_object_or_404(Organisation, pk=pk)


@require_POST
@permission_required("organisations.manage_members", fn=_membership_organisation)
def membership_change_role(request, pk, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_pk, organisation_id=pk
    )
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role of %(name)s has been changed.") % {"name": membership.user})
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect(membership.organisation)


@require_POST
@permission_required("organisations.manage_members", fn=_membership_organisation)
def membership_remove(request, pk, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_pk, organisation_id=pk
    )
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s has been removed from %(organisation)s.")
            % {"name": membership.user, "organisation": membership.organisation},
        )
    return redirect(membership.organisation)
