"""Pages for the gap analysis and development requests. A request the person may not see is "not found";
a visible request the person may not act on gives 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.development import services
from kompetansebro.development.forms import AnswerForm, CloseForm, GapFilterForm, LinkOfferingForm, RequestForm
from kompetansebro.development.rules import answerable_provider_ids
from kompetansebro.development.selectors import (
    gap_charts,
    gap_groups,
    gap_needs,
    request_answers,
    request_for_page,
    request_needs,
    requests_visible_to,
)
from kompetansebro.geography.models import Region
from kompetansebro.organisations.models import Organisation
from kompetansebro.transfer.exports import Export, csv_response, xlsx_response

EXPORT_FORMATS = {"xlsx": xlsx_response, "csv": csv_response}
GAP_HEADERS = [
    "field",
    "level",
    "municipality",
    "municipality_number",
    "centrality_class",
    "needs",
    "persons",
    "needs_in_requests",
]


def _region(request, code, **_kwargs):
    cached = getattr(request, "_kompetansebro_region", None)
    if cached is None or cached.code != code:
        cached = request._kompetansebro_region = get_object_or_404(Region, code=code)
    return cached


def visible_request(request, pk):
    """The development request if the person may see it; otherwise 404, whether it exists or not."""
    cached = getattr(request, "_kompetansebro_development_request", None)
    if cached is not None and cached.pk == pk:
        return cached
    development_request = request_for_page(pk)
    if development_request is None or not request.user.has_perm("development.view_request", development_request):
        raise Http404
    request._kompetansebro_development_request = development_request
    return development_request


def _gap_filters(params) -> tuple[GapFilterForm, dict]:
    form = GapFilterForm(params or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    municipality = params.get("municipality", "")
    if municipality.isdigit():
        filters["municipality"] = municipality
    return form, filters


# ---- the gap analysis -------------------------------------------------------------------------------------


@permission_required("development.view_gap_analysis", fn=_region)
def gap_analysis(request, code):
    region = _region(request, code)
    form, filters = _gap_filters(request.GET)
    filters.pop("municipality", None)
    groups = gap_groups(gap_needs(request.user, region, filters))
    context = {
        "region": region,
        "form": form,
        "groups": groups,
        "charts": gap_charts(groups),
        "total_needs": sum(group.count for group in groups),
        "total_persons": sum(group.persons for group in groups),
        "query": request.GET.urlencode(),
        "partial": wants_partial(request),
    }
    template = "development/_gap_results.html" if context["partial"] else "development/gap.html"
    return render(request, template, context)


@permission_required("development.view_gap_analysis", fn=_region)
def gap_export(request, code, file_format):
    region = _region(request, code)
    if file_format not in EXPORT_FORMATS:
        raise Http404
    _form, filters = _gap_filters(request.GET)
    filters.pop("municipality", None)
    groups = gap_groups(gap_needs(request.user, region, filters))
    rows = (
        [
            group.field_name,
            group.level,
            group.municipality_name,
            group.municipality_number,
            group.centrality_class,
            group.count,
            group.persons,
            group.requested,
        ]
        for group in groups
    )
    return EXPORT_FORMATS[file_format](Export(f"behovsgap-{region.code}", GAP_HEADERS, rows))


# ---- development requests ---------------------------------------------------------------------------------


@permission_required("development.view_request_list")
def request_list(request):
    return render(request, "development/list.html", {"requests": requests_visible_to(request.user)})


@permission_required("development.add_request", fn=_region)
def request_create(request, code):
    region = _region(request, code)
    _filter_form, filters = _gap_filters(request.GET)
    needs = (
        gap_needs(request.user, region, filters)
        .select_related("municipality")
        .order_by("municipality__name", "title", "pk")
    )
    providers = Organisation.objects.providers().active().select_related("municipality").order_by("name", "pk")
    group_chosen = any(filters.get(key) for key in ("field", "level", "centrality", "municipality"))
    chosen_ids = [value for value in request.GET.getlist("need") if value.isdigit()]
    initial = {}
    if request.method != "POST":
        initial["needs"] = list(needs.values_list("pk", flat=True)) if group_chosen else chosen_ids
        if level := filters.get("level"):
            initial["wanted_level"] = level if level != "-" else ""
    form = RequestForm(request.POST or None, initial=initial, needs=needs, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            development_request = services.request_create(
                actor=request.user,
                region=region,
                title=data["title"],
                description=data["description"],
                answer_deadline=data["answer_deadline"],
                needs=data["needs"],
                providers=data["providers"],
                wanted_level=data["wanted_level"],
                wanted_delivery=data["wanted_delivery"],
                wanted_start=data["wanted_start"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request “%(title)s” is saved as a draft. Check it and send it to the providers.")
                % {"title": development_request.title},
            )
            return redirect(development_request)
    return render(request, "development/form.html", {"form": form, "region": region})


def _answer_form(user, development_request, answers, data=None):
    mine = [answer for answer in answers if answer.provider_id in answerable_provider_ids(user, development_request)]
    if not mine or not user.has_perm("development.answer_request", development_request):
        return None
    first = mine[0]
    initial = {
        "provider": first.provider_id,
        "kind": first.kind,
        "reason": first.reason,
        "planned_start": first.planned_start,
        "planned_end": first.planned_end,
        "existing_offering": first.existing_offering_id,
    }
    return AnswerForm(data, initial=initial, answers=mine)


def _link_forms(user, development_request, answers) -> dict:
    if not user.has_perm("development.link_offering", development_request):
        return {}
    manages = user.has_perm("development.manage_request", development_request)
    own = answerable_provider_ids(user, development_request)
    return {
        answer.pk: LinkOfferingForm(answer=answer)
        for answer in answers
        if answer.awaits_offering and (manages or answer.provider_id in own)
    }


def _render_detail(request, development_request, *, answer_form=None, conflict=None, status=200):
    user = request.user
    answers = request_answers(development_request)
    needs = request_needs(development_request)
    if answer_form is None:
        answer_form = _answer_form(user, development_request, answers)
    link_forms = _link_forms(user, development_request, answers)
    for answer in answers:
        answer.link_form = link_forms.get(answer.pk)
    return render(
        request,
        "development/detail.html",
        {
            "development_request": development_request,
            "needs": needs,
            "persons": sum(need.persons for need in needs),
            "answers": answers,
            "answer_form": answer_form,
            **(conflict or {}),
            "close_form": CloseForm() if user.has_perm("development.close_request", development_request) else None,
        },
        status=status,
    )


@permission_required("development.view_request", fn=visible_request)
def request_detail(request, pk):
    return _render_detail(request, visible_request(request, pk))


@require_POST
@permission_required("development.send_request", fn=visible_request)
def request_send(request, pk):
    development_request = visible_request(request, pk)
    try:
        moved = services.request_send(actor=request.user, request=development_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "The request is sent to the providers. %(count)s need moved to “in dialogue with providers”.",
                "The request is sent to the providers. %(count)s needs moved to “in dialogue with providers”.",
                moved,
            )
            % {"count": moved},
        )
    return redirect(development_request)


@permission_required("development.answer_request", fn=visible_request)
def request_answer(request, pk):
    development_request = visible_request(request, pk)
    if request.method != "POST":
        return _render_detail(request, development_request)
    answers = request_answers(development_request)
    form = _answer_form(request.user, development_request, answers, data=request.POST)
    if form is None:
        raise Http404
    conflict = {}
    if form.is_valid():
        data = form.cleaned_data
        answer = form.answers[data["provider"]]
        answer.request = development_request
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.request_answer(
                    actor=request.user,
                    answer=answer,
                    kind=data["kind"],
                    expected_version=version,
                    reason=data["reason"],
                    planned_start=data["planned_start"],
                    planned_end=data["planned_end"],
                    existing_offering=data["existing_offering"],
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("Your answer is saved. The secretariat has been told."))
                return redirect(development_request)
    return _render_detail(request, development_request, answer_form=form, conflict=conflict, status=200)


@permission_required("development.link_offering", fn=visible_request)
def request_link_offering(request, pk):
    development_request = visible_request(request, pk)
    if request.method != "POST":
        return _render_detail(request, development_request)
    answers = request_answers(development_request)
    forms_by_answer = _link_forms(request.user, development_request, answers)
    answer_id = request.POST.get("answer", "")
    answer = next((a for a in answers if str(a.pk) == answer_id and a.pk in forms_by_answer), None)
    if answer is None:
        messages.error(request, _("Choose an answer that adapts or develops a programme."))
        return redirect(development_request)
    form = LinkOfferingForm(request.POST, answer=answer)
    if form.is_valid():
        answer.request = development_request
        try:
            moved = services.request_link_offering(
                actor=request.user, answer=answer, offering=form.cleaned_data["offering"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The offering is linked. %(count)s need moved forward.",
                    "The offering is linked. %(count)s needs moved forward.",
                    moved,
                )
                % {"count": moved},
            )
            return redirect(development_request)
    for error in form.errors.get("offering", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect(development_request)


@permission_required("development.close_request", fn=visible_request)
def request_close(request, pk):
    development_request = visible_request(request, pk)
    if request.method != "POST":
        return _render_detail(request, development_request)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.request_close(actor=request.user, request=development_request, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The request is closed."))
    return redirect(development_request)
