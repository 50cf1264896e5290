"""Matching on the need page (suggestions, accept, reject) and the provider's page of matching needs.

A need or an offering the person may not see is "not found"; a visible need the person may not decide
for gives 403 (matching/rules.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.matching import services
from kompetansebro.matching.forms import RejectMatchForm
from kompetansebro.matching.selectors import need_matches_for_page, provider_matches
from kompetansebro.needs.rules import sees_need_identity
from kompetansebro.needs.views import visible_need
from kompetansebro.offerings.models import Offering
from kompetansebro.organisations.models import Organisation, OrganisationKind

PARTIAL = "matching/_need_matches.html"


def need_matches_context(request, need, *, rejected: Offering | None = None, reject_form=None) -> dict:
    """What the need page's "Suitable offerings" section shows; stale suggestions are computed first."""
    if not request.user.has_perm("matching.view_need_matches", need):
        return {}
    state = services.current_state(need)
    matches = need_matches_for_page(
        user=request.user, need=need, state=state, language=translation.get_language() or "nb"
    )
    may_decide = request.user.has_perm("matching.decide_match", need)
    if may_decide:
        for row in matches["rows"]:
            row.reject_form = (
                reject_form
                if rejected is not None and row.offering.pk == rejected.pk
                else RejectMatchForm(prefix=f"reject-{row.offering.pk}")
            )
    return {"matches": matches, "may_decide_matches": may_decide}


def _decision_target(request, pk, offering_pk):
    return visible_need(request, pk)


def _visible_offering(request, offering_pk) -> Offering:
    offering = get_object_or_404(Offering.objects.select_related("provider"), pk=offering_pk)
    if not request.user.has_perm("offerings.view_offering", offering):
        raise Http404
    return offering


def _respond(request, need, notice: str = "", **extra):
    """htmx: the section again, with the notice read out; without JavaScript: back to the need page."""
    if wants_partial(request):
        context = {"need": need, "sees_identity": sees_need_identity(request.user, need), "matches_notice": notice}
        context.update(need_matches_context(request, need, **extra))
        return render(request, PARTIAL, context)
    if notice:
        messages.success(request, notice)
    return redirect(f"{need.get_absolute_url()}#matches-heading")


@require_POST
@permission_required("matching.decide_match", fn=_decision_target)
def match_accept(request, pk, offering_pk):
    need = visible_need(request, pk)
    offering = _visible_offering(request, offering_pk)
    status_before = need.status
    services.match_accept(need=need, offering=offering, actor=request.user)
    notice = _("“%(title)s” is marked as fitting the need.") % {"title": offering.title}
    if need.status != status_before and wants_partial(request):
        # The status shown higher up on the page changed too: load the whole page again.
        messages.success(request, notice)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = need.get_absolute_url()
        return response
    return _respond(request, need, notice)


@require_POST
@permission_required("matching.decide_match", fn=_decision_target)
def match_reject(request, pk, offering_pk):
    need = visible_need(request, pk)
    offering = _visible_offering(request, offering_pk)
    form = RejectMatchForm(request.POST, prefix=f"reject-{offering.pk}")
    if form.is_valid():
        try:
            services.match_reject(need=need, offering=offering, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            return _respond(request, need, _("“%(title)s” will no longer be suggested.") % {"title": offering.title})
    if wants_partial(request):
        return _respond(request, need, rejected=offering, reject_form=form)
    for error in form.errors.get("reason", []):
        messages.error(request, error)
    return redirect(f"{need.get_absolute_url()}#matches-heading")


def _provider(request, pk) -> Organisation:
    return get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.EDUCATION_PROVIDER)


@permission_required("matching.view_provider_matches", fn=_provider)
def provider_needs(request, pk):
    provider = _provider(request, pk)
    groups = provider_matches(user=request.user, provider=provider)
    return render(
        request,
        "matching/provider_needs.html",
        {
            "provider": provider,
            "groups": groups,
            "total_needs": sum(group.needs for group in groups),
            "total_persons": sum(group.persons for group in groups),
        },
    )
