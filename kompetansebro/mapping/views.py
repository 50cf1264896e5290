"""Pages for mapping rounds and the region overview. A round the person may not see is "not found";
a visible round the person may not run gives 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.geography.models import Region
from kompetansebro.mapping import services
from kompetansebro.mapping.exports import round_xlsx_response
from kompetansebro.mapping.forms import NoNeedsForm, RegionChoiceForm, RoundForm, RoundNeedForm
from kompetansebro.mapping.models import RoundInvitation
from kompetansebro.mapping.rules import answerable_org_ids, invited_org_ids
from kompetansebro.mapping.selectors import (
    invitation_counts,
    round_for_page,
    round_invitations,
    round_needs,
    rounds_visible_to,
)
from kompetansebro.mapping.selectors import (
    region_overview as overview_of,
)
from kompetansebro.needs.access import need_access
from kompetansebro.needs.views import is_preview_request, render_need_form
from kompetansebro.organisations.models import Organisation


def visible_round(request, pk):
    """The round if the person may see it; otherwise 404, whether it exists or not. Loaded once per request."""
    cached = getattr(request, "_kompetansebro_round", None)
    if cached is not None and cached.pk == pk:
        return cached
    mapping_round = round_for_page(pk)
    if mapping_round is None or not request.user.has_perm("mapping.view_round", mapping_round):
        raise Http404
    request._kompetansebro_round = mapping_round
    return mapping_round


def _organisations_to_answer_for(user, mapping_round) -> list[Organisation]:
    """Invited organisations the person may answer for: all of them for the secretariat and platform admins."""
    if user.has_perm("mapping.manage_round", mapping_round):
        ids = invited_org_ids(mapping_round)
    else:
        ids = answerable_org_ids(user, mapping_round)
    return list(
        Organisation.objects.filter(pk__in=ids).select_related("municipality", "represented_by").order_by("name")
    )


@permission_required("mapping.view_round_list")
def round_list(request):
    return render(request, "mapping/list.html", {"rounds": rounds_visible_to(request.user)})


@permission_required("mapping.add_round")
def round_create(request):
    choice_form = RegionChoiceForm(user=request.user)
    regions = choice_form.fields["region"].queryset
    code = request.POST.get("region") or request.GET.get("region")
    region = None
    if code:
        region = regions.filter(code=code).first()
    elif regions.count() == 1:
        region = regions.first()
    if region is None:
        if code:
            choice_form = RegionChoiceForm(request.GET, user=request.user)
            choice_form.is_valid()
        return render(request, "mapping/choose_region.html", {"form": choice_form})
    form = RoundForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            mapping_round = services.round_open(
                actor=request.user,
                region=region,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                deadline=form.cleaned_data["deadline"],
                organisations=form.cleaned_data["organisations"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round “%(title)s” is open.") % {"title": mapping_round.title})
            return redirect(mapping_round)
    return render(
        request, "mapping/form.html", {"form": form, "region": region, "may_choose_other": regions.count() > 1}
    )


ROUND_PAGE_SIZE = 100


@permission_required("mapping.view_round", fn=visible_round)
def round_detail(request, pk):
    mapping_round = visible_round(request, pk)
    user = request.user
    sees_all = user.has_perm("mapping.view_round_answers", mapping_round)
    own = None if sees_all else answerable_org_ids(user, mapping_round)
    invitations = round_invitations(mapping_round, organisation_ids=own)
    may_answer = user.has_perm("mapping.answer_round", mapping_round)
    answerable = answerable_org_ids(user, mapping_round) if may_answer else frozenset()  # once, not per invitation
    counts = invitation_counts(mapping_round, organisation_ids=own)
    invitation_pages = Paginator(invitations, ROUND_PAGE_SIZE)
    invitation_pages.count = counts["invited"]  # counted above
    return render(
        request,
        "mapping/detail.html",
        {
            "round": mapping_round,
            "sees_all": sees_all,
            # A round in a large region invites hundreds of organisations: both tables are paginated.
            "invitations": invitation_pages.get_page(request.GET.get("invitations_page")),
            "invited_count": counts["invited"],
            "answered_count": counts["answered"],
            "unanswered_count": counts["unanswered"],
            "needs": Paginator(round_needs(user, mapping_round, organisation_ids=own), ROUND_PAGE_SIZE).get_page(
                request.GET.get("needs_page")
            ),
            "may_manage": user.has_perm("mapping.manage_round", mapping_round),
            "may_confirm": user.has_perm("mapping.confirm_round_needs", mapping_round),
            "may_answer": may_answer,
            "answerable": list(invitations.filter(organisation_id__in=answerable)) if answerable else [],
        },
    )


@permission_required("mapping.answer_round", fn=visible_round)
def round_register_need(request, pk):
    mapping_round = visible_round(request, pk)
    choices = _organisations_to_answer_for(request.user, mapping_round)
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = None
    if chosen and str(chosen).isdigit():
        organisation = next((org for org in choices if org.pk == int(chosen)), None)
    elif not chosen and len(choices) == 1:
        organisation = choices[0]
    if organisation is None:
        return render(
            request,
            "mapping/choose_organisation.html",
            {"round": mapping_round, "organisations": choices, "invalid": bool(chosen)},
        )
    form = RoundNeedForm(request.POST or None, user=request.user, organisation=organisation)
    form.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[org.pk for org in choices])
    context = {"round": mapping_round, "organisation": organisation, "may_choose_other": len(choices) > 1}
    if is_preview_request(request):
        return render_need_form(request, "mapping/need_form.html", form, context)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        access = need_access(request.user)
        on_behalf = None
        if organisation.pk not in access.responsible_org_ids and organisation.pk in access.represented_org_ids:
            on_behalf = organisation.represented_by
        try:
            need = services.round_register_need(
                actor=request.user,
                round=mapping_round,
                organisation=organisation,
                data=data,
                registered_on_behalf_by=on_behalf,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The need “%(title)s” has been registered in the round.") % {"title": need.title}
            )
            return redirect(mapping_round)
    return render_need_form(request, "mapping/need_form.html", form, context)


@require_POST
@permission_required("mapping.answer_round", fn=visible_round)
def round_no_needs(request, pk):
    mapping_round = visible_round(request, pk)
    form = NoNeedsForm(request.POST)
    allowed = {org.pk for org in _organisations_to_answer_for(request.user, mapping_round)}
    invitation = None
    if form.is_valid():
        invitation = (
            RoundInvitation.objects.select_related("round", "organisation")
            .filter(pk=form.cleaned_data["invitation"], round=mapping_round, organisation_id__in=allowed)
            .first()
        )
    if invitation is None:
        messages.error(request, _("Choose an organisation invited to the round that you answer for."))
        return redirect(mapping_round)
    try:
        services.round_mark_answered(actor=request.user, invitation=invitation, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you. %(name)s has answered that it has no needs this time.")
            % {"name": invitation.organisation.name},
        )
    return redirect(mapping_round)


@require_POST
@permission_required("mapping.manage_round", fn=visible_round)
def round_send_reminders(request, pk):
    mapping_round = visible_round(request, pk)
    try:
        count = services.round_send_reminders(actor=request.user, round=mapping_round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(request, _("Reminders sent to %(count)d organisations.") % {"count": count})
        else:
            messages.info(
                request,
                _("No reminders sent: everybody has answered, was reminded today, or has no contact person."),
            )
    return redirect(mapping_round)


@permission_required("mapping.manage_round", fn=visible_round)
def round_close(request, pk):
    mapping_round = visible_round(request, pk)
    if request.method == "POST":
        try:
            services.round_close(actor=request.user, round=mapping_round)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The round is closed. Confirm its registered needs as qualified."))
            return redirect("mapping:confirm_needs", mapping_round.pk)
        return redirect(mapping_round)
    return render(
        request,
        "mapping/close.html",
        {
            "round": mapping_round,
            "need_count": round_needs(request.user, mapping_round).count(),
            "unanswered_count": invitation_counts(mapping_round)["unanswered"],
        },
    )


@permission_required("mapping.confirm_round_needs", fn=visible_round)
def round_confirm_needs(request, pk):
    """The secretariat's review of a closed round's registered needs: all at once or one by one."""
    mapping_round = visible_round(request, pk)
    if request.method == "POST":
        chosen = request.POST.get("need", "")
        if request.POST.get("all"):
            needs = None
        elif chosen.isdigit():
            needs = services.needs_awaiting_review(mapping_round).filter(pk=int(chosen))
        else:
            needs = []
        try:
            count = services.round_confirm_needs(actor=request.user, round=mapping_round, needs=needs)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(mapping_round)
        messages.success(
            request,
            ngettext("%(count)d need confirmed as qualified.", "%(count)d needs confirmed as qualified.", count)
            % {"count": count},
        )
        return redirect("mapping:confirm_needs", mapping_round.pk)
    return render(
        request,
        "mapping/confirm_needs.html",
        {"round": mapping_round, "needs": list(services.needs_awaiting_review(mapping_round))},
    )


@permission_required("mapping.export_round", fn=visible_round)
def round_export(request, pk):
    mapping_round = visible_round(request, pk)
    return round_xlsx_response(
        mapping_round, round_needs(request.user, mapping_round), round_invitations(mapping_round)
    )


@permission_required("mapping.export_round", fn=visible_round)
def round_agenda(request, pk):
    mapping_round = visible_round(request, pk)
    invitations = list(round_invitations(mapping_round))
    return render(
        request,
        "mapping/agenda.html",
        {
            "round": mapping_round,
            "needs": list(round_needs(request.user, mapping_round)),
            "answered": [i for i in invitations if i.answered_at],
            "unanswered": [i for i in invitations if not i.answered_at],
            "invited_count": len(invitations),
        },
    )


def _region(request, code):
    cached = getattr(request, "_kompetansebro_region", None)
    if cached is None or cached.code != code:
        cached = request._kompetansebro_region = get_object_or_404(Region, code=code)
    return cached


@permission_required("mapping.view_region_overview", fn=_region)
def region_overview(request, code):
    region = _region(request, code)
    return render(request, "mapping/region_overview.html", {"region": region, **overview_of(request.user, region)})
