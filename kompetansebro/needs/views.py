"""Pages for competence needs. A need the person may not see is "not found" (its existence stays secret);
a visible need the person may not change gives 403."""

import copy

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import construct_instance
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.audit.selectors import history_for
from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.needs import services
from kompetansebro.needs.access import need_access
from kompetansebro.needs.forms import NeedFilterForm, NeedForm, NeedStatusForm, OrganisationChoiceForm
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.needs.public import is_small_municipality
from kompetansebro.needs.rules import allowed_next_statuses, organisations_user_may_register_for, sees_need_identity
from kompetansebro.needs.selectors import need_for_page, need_search

PAGE_SIZE = 25


def visible_need(request, pk) -> CompetenceNeed:
    """The need if the person may see it; otherwise 404, whether it exists or not. Loaded once per request."""
    cached = getattr(request, "_kompetansebro_need", None)
    if cached is not None and cached.pk == pk:
        return cached
    need = need_for_page(pk)
    if need is None or not request.user.has_perm("needs.view_need", need):
        raise Http404
    request._kompetansebro_need = need
    return need


def need_list(request):
    form = NeedFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(need_search(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    partial = wants_partial(request)
    template = "needs/_results.html" if partial else "needs/list.html"
    return render(request, template, {"form": form, "page": page, "partial": partial})


def need_detail(request, pk):
    need = need_for_page(pk)
    if need is None or not request.user.has_perm("needs.view_need", need):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return _render_detail(request, need)


def _render_detail(request, need, status_form=None, status=200):
    from kompetansebro.matching.views import need_matches_context  # matching builds on needs

    if status_form is None and allowed_next_statuses(request.user, need):
        status_form = NeedStatusForm(user=request.user, need=need)
    return render(
        request,
        "needs/detail.html",
        {
            "need": need,
            "sees_identity": sees_need_identity(request.user, need),
            "status_form": status_form,
            "status_changes": need.status_changes.all(),
            "tag_names": [tag.name for tag in need.tags.all()],
            **need_matches_context(request, need),
        },
        status=status,
    )


@permission_required("needs.add_need")
def need_create(request):
    choices = organisations_user_may_register_for(request.user)
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    first_two = list(choices[:2])
    organisation = None
    if chosen and str(chosen).isdigit():
        organisation = choices.filter(pk=chosen).first()
    elif not chosen and len(first_two) == 1:
        organisation = first_two[0]
    if organisation is None:
        choice_form = OrganisationChoiceForm(request.GET if chosen else None, user=request.user)
        if chosen:
            choice_form.is_valid()
        return render(request, "needs/choose_organisation.html", {"form": choice_form})
    form = NeedForm(request.POST or None, user=request.user, organisation=organisation)
    if is_preview_request(request):
        return render_need_form(request, "needs/form.html", form, {"need": None, "organisation": organisation})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        access = need_access(request.user)
        registered_on_behalf_by = None
        if organisation.pk not in access.responsible_org_ids and organisation.pk in access.represented_org_ids:
            registered_on_behalf_by = organisation.represented_by
        try:
            need = services.need_register(
                actor=request.user,
                organisation=organisation,
                data=data,
                registered_on_behalf_by=registered_on_behalf_by,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The need “%(title)s” has been registered.") % {"title": need.title})
            return redirect(need)
    return render_need_form(
        request,
        "needs/form.html",
        form,
        {"need": None, "organisation": organisation, "may_choose_other": len(first_two) > 1},
    )


@permission_required("needs.change_need", fn=visible_need)
def need_update(request, pk):
    need = visible_need(request, pk)
    form = NeedForm(request.POST or None, instance=need, user=request.user)
    if is_preview_request(request):
        return render_need_form(
            request, "needs/form.html", form, {"need": need_for_page(pk), "organisation": need.organisation}
        )
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.need_update(
                    actor=request.user, need=need, data=form.cleaned_data, expected_version=version
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(need)
        need = need_for_page(pk)
    return render_need_form(
        request, "needs/form.html", form, {"need": need, "organisation": need.organisation, **conflict}
    )


def is_preview_request(request) -> bool:
    """The form was sent to see the public preview (the Preview button, or htmx while typing), not to save."""
    return request.method == "POST" and "preview" in request.POST


def _public_preview(form, organisation) -> dict:
    """What the public would see of the need as the form stands: a copy of the need with the form's valid
    values on it. Never saved."""
    need = copy.copy(form.instance)
    if form.is_bound:
        form.is_valid()
        construct_instance(form, need)
    if need.municipality_id is None and organisation is not None:
        need.municipality = organisation.municipality
    if form.is_bound:
        tags = form.cleaned_data.get("tags") or []
    else:
        tags = [tag.name for tag in need.tags.all()] if need.pk else []
    return {
        "preview_need": need,
        "preview_tags": tags,
        "small_municipality": is_small_municipality(need.municipality if need.municipality_id else None),
    }


def render_need_form(request, template: str, form, context: dict):
    """A page with a need form and its public preview; only the preview for htmx while the person types. Used
    by the mapping round's registration too."""
    context = {"form": form, **context, **_public_preview(form, context["organisation"])}
    if is_preview_request(request) and request.htmx:
        return render(request, "needs/_public_preview.html", context)
    return render(request, template, context)


@require_POST
@permission_required("needs.change_status", fn=visible_need)
def need_change_status(request, pk):
    need = visible_need(request, pk)
    form = NeedStatusForm(request.POST, user=request.user, need=need)
    if form.is_valid():
        try:
            services.need_change_status(
                actor=request.user,
                need=need,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status is now “%(status)s”.") % {"status": need.get_status_display()})
            return redirect(need)
    return _render_detail(request, need, status_form=form)


@permission_required("needs.view_need_history", fn=visible_need)
def need_history(request, pk):
    need = visible_need(request, pk)
    return render(
        request,
        "needs/history.html",
        {"need": need, "entries": history_for(need, page=request.GET.get("page", 1))},
    )
