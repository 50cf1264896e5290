"""Pages for grant schemes, their report templates and their rounds' frames. Schemes are public (grants are
public money); a scheme that does not exist is "not found"; changing one needs grants.manage_scheme (403, or
the login page for anonymous visitors). The round page itself (priority lists, allocations, payments) is
grants:round, in views/rounds.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.grants import selectors
from kompetansebro.grants.forms import QuestionForm, RoundForm, SchemeForm
from kompetansebro.grants.models import GrantRound, ReportQuestion
from kompetansebro.grants.services import schemes as services
from kompetansebro.grants.services.schemes import ROUND_FIELDS, SCHEME_FIELDS


def scheme_or_404(request, slug, **_kwargs):
    """The scheme, loaded once per request; 404 when there is none."""
    cached = getattr(request, "_kompetansebro_scheme", None)
    if cached is not None and cached.slug == slug:
        return cached
    scheme = selectors.scheme_by_slug(slug)
    if scheme is None:
        raise Http404
    request._kompetansebro_scheme = scheme
    return scheme


def round_or_404(request, pk, **_kwargs):
    cached = getattr(request, "_kompetansebro_round", None)
    if cached is not None and cached.pk == pk:
        return cached
    grant_round = GrantRound.objects.select_related("scheme__owner", "region", "forum").filter(pk=pk).first()
    if grant_round is None:
        raise Http404
    request._kompetansebro_round = grant_round
    return grant_round


def scheme_list(request):
    return render(request, "grants/scheme_list.html", {"schemes": selectors.schemes_for_list()})


@permission_required("grants.add_scheme")
def scheme_create(request):
    form = SchemeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.scheme_create(actor=request.user, **{name: data[name] for name in SCHEME_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scheme “%(name)s” is created.") % {"name": scheme.name})
            return redirect(scheme)
    return render(request, "grants/scheme_form.html", {"form": form, "scheme": None})


def scheme_detail(request, slug):
    scheme = scheme_or_404(request, slug)
    return render(
        request,
        "grants/scheme_detail.html",
        {
            "scheme": scheme,
            "children": selectors.scheme_children(scheme),
            "rounds": selectors.scheme_rounds(scheme),
            "questions": selectors.report_questions(scheme),
            "centrality_text": selectors.centrality_text(scheme.target_centrality_classes),
            "submitters_text": selectors.submitters_text(scheme),
        },
    )


@permission_required("grants.manage_scheme", fn=scheme_or_404)
def scheme_edit(request, slug):
    scheme = scheme_or_404(request, slug)
    editable = selectors.scheme_by_slug(slug)
    form = SchemeForm(request.POST or None, instance=editable, user=request.user)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.scheme_update(
                    actor=request.user,
                    scheme=editable,
                    expected_version=version,
                    **{name: data[name] for name in SCHEME_FIELDS},
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(editable)
    return render(request, "grants/scheme_form.html", {"form": form, "scheme": scheme, **conflict})


@permission_required("grants.manage_scheme", fn=scheme_or_404)
def scheme_history(request, slug):
    scheme = scheme_or_404(request, slug)
    entries = selectors.scheme_history(scheme, page=request.GET.get("page", 1))
    return render(request, "grants/scheme_history.html", {"scheme": scheme, "entries": entries})


# ---- the report template ----------------------------------------------------------------------------------


@permission_required("grants.manage_scheme", fn=scheme_or_404)
def scheme_questions(request, slug):
    """The report template: add a question, move one up or down, remove one. Each button is its own POST."""
    scheme = scheme_or_404(request, slug)
    form = QuestionForm()
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add":
            form = QuestionForm(request.POST)
            if form.is_valid():
                try:
                    services.question_add(actor=request.user, scheme=scheme, **form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The question is added to the report template."))
                    return redirect("grants:scheme_questions", scheme.slug)
        else:
            question = ReportQuestion.objects.filter(scheme=scheme, pk=_int(request.POST.get("question"))).first()
            if question is None or action not in ("up", "down", "remove"):
                messages.error(request, _("The question is no longer in the report template."))
            elif action == "remove":
                services.question_remove(actor=request.user, question=question)
                messages.success(request, _("The question “%(text)s” is removed.") % {"text": question.text})
            else:
                try:
                    services.question_move(actor=request.user, question=question, direction=action)
                except ValidationError as error:
                    for message in error.messages:
                        messages.error(request, message)
                else:
                    messages.success(request, _("The order of the questions is saved."))
            return redirect("grants:scheme_questions", scheme.slug)
    return render(
        request,
        "grants/scheme_questions.html",
        {"scheme": scheme, "questions": selectors.report_questions(scheme), "form": form},
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---- rounds: the frame, deadline, region and forum --------------------------------------------------------


@permission_required("grants.manage_scheme", fn=scheme_or_404)
def round_create(request, slug):
    scheme = scheme_or_404(request, slug)
    form = RoundForm(request.POST or None, user=request.user, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant_round = services.round_create(
                actor=request.user, scheme=scheme, **{name: data[name] for name in ROUND_FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round “%(name)s” is created.") % {"name": grant_round.name})
            return redirect(grant_round)
    return render(request, "grants/round_form.html", {"form": form, "scheme": scheme, "round": None})


@permission_required("grants.manage_round", fn=round_or_404)
def round_edit(request, pk):
    grant_round = round_or_404(request, pk)
    editable = GrantRound.objects.select_related("scheme").get(pk=pk)
    form = RoundForm(request.POST or None, instance=editable, user=request.user, scheme=grant_round.scheme)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.round_update(
                    actor=request.user,
                    grant_round=editable,
                    expected_version=version,
                    **{name: data[name] for name in ROUND_FIELDS},
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(editable)
    return render(
        request,
        "grants/round_form.html",
        {"form": form, "scheme": grant_round.scheme, "round": grant_round, **conflict},
    )
