"""The annual wheel (årshjul): a scheme's wheel as a month view and a list (?year=), its steps, rolling it over to
the next year, and its iCalendar feed; a forum's wheel (the steps placed in the forum and its meetings) the same
way. Schemes' wheels are public; a forum's wheel is seen by those who see the forum (404 otherwise).

A step that belongs to a round is managed by the round's managers (grants.manage_round), any other step by the
scheme's (grants.manage_scheme)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.forums.models import Forum
from kompetansebro.forums.views.documents import _denied
from kompetansebro.grants import calendar, selectors
from kompetansebro.grants.forms import RollOverForm, WheelStepForm
from kompetansebro.grants.models import GrantRound, WheelStep
from kompetansebro.grants.services import wheel as services
from kompetansebro.grants.services.wheel import STEP_FIELDS
from kompetansebro.grants.views.schemes import scheme_or_404


def _wheel_url(scheme, year: int) -> str:
    return f"{reverse('grants:wheel', args=[scheme.slug])}?year={year}"


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _year_links(years: list[int], year: int) -> list[int]:
    """The years to link to: those with steps, the year shown and the ones either side of it."""
    return sorted({*years, year - 1, year, year + 1})


def _mark_editable(request, scheme, steps: list[WheelStep]) -> bool:
    """Sets step.can_edit; returns whether the person manages the scheme's wheel. Without extra queries:
    the steps' rounds come with their forums, and the rules read the person's access profile once."""
    manages_scheme = request.user.has_perm("grants.manage_scheme", scheme)
    decided: dict[int, bool] = {}
    for step in steps:
        if step.round_id is None:
            step.can_edit = manages_scheme
        else:
            if step.round_id not in decided:
                step.round.scheme = scheme
                decided[step.round_id] = manages_scheme or request.user.has_perm("grants.manage_round", step.round)
            step.can_edit = decided[step.round_id]
    return manages_scheme


def wheel(request, slug):
    scheme = scheme_or_404(request, slug)
    year = selectors.wheel_year(request.GET.get("year"))
    steps = selectors.wheel_steps(year=year, scheme=scheme)
    for step in steps:
        step.scheme = scheme
    manages = _mark_editable(request, scheme, steps)
    entries = selectors.wheel_entries(steps)
    yearly = [step for step in steps if step.repeats_yearly and step.starts_on.year == year]
    return render(
        request,
        "grants/wheel_detail.html",
        {
            "scheme": scheme,
            "year": year,
            "next_year": year + 1,
            "years": _year_links(selectors.wheel_years(scheme=scheme), year),
            "entries": entries,
            "months": selectors.month_view(year, entries),
            "manages": manages,
            "edits": manages or any(step.can_edit for step in steps),
            "yearly_count": len(yearly),
            "roll_form": RollOverForm(initial={"year": year}),
        },
    )


def scheme_ical(request, slug):
    scheme = scheme_or_404(request, slug)
    return _ics_response(calendar.scheme_ics(scheme), f"arshjul-{scheme.slug}.ics")


# ---- steps ------------------------------------------------------------------------------------------------


def _round_of_request(request, scheme) -> GrantRound | None:
    """The round named by ?round= (or the posted round for a round manager), which must be the scheme's."""
    value = request.GET.get("round")
    if not value:
        return None
    try:
        pk = int(value)
    except ValueError:
        raise Http404 from None
    grant_round = GrantRound.objects.select_related("forum", "region").filter(pk=pk, scheme=scheme).first()
    if grant_round is None:
        raise Http404
    grant_round.scheme = scheme
    return grant_round


def step_permission(view):
    """Loads the scheme and the step (404 when the step is not the scheme's) and checks grants.manage_round on
    the step's round, or grants.manage_scheme on the scheme for a step outside rounds."""

    @wraps(view)
    def wrapped(request, slug, pk):
        scheme = scheme_or_404(request, slug)
        step = WheelStep.objects.select_related("round__forum").filter(pk=pk, scheme=scheme).first()
        if step is None:
            raise Http404
        step.scheme = scheme
        if step.round is not None:
            step.round.scheme = scheme
            perm, target = "grants.manage_round", step.round
        else:
            perm, target = "grants.manage_scheme", scheme
        checked = permission_required(perm, fn=lambda *_args, **_kwargs: target)(view)
        return checked(request, scheme, step)

    return wrapped


def wheel_step_create(request, slug):
    scheme = scheme_or_404(request, slug)
    fixed_round = _round_of_request(request, scheme)
    perm = "grants.manage_round" if fixed_round is not None else "grants.manage_scheme"
    return permission_required(perm, fn=lambda *_args: fixed_round or scheme)(_step_create)(
        request, slug, scheme, fixed_round
    )


def _step_create(request, slug, scheme, fixed_round):
    initial = {"round": fixed_round.pk, "forum": fixed_round.forum_id} if fixed_round else {}
    form = WheelStepForm(
        request.POST or None, initial=initial, user=request.user, scheme=scheme, fixed_round=fixed_round
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step = services.step_create(actor=request.user, scheme=scheme, **{name: data[name] for name in STEP_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step “%(title)s” is added to the annual wheel.") % {"title": step.title})
            return redirect(_wheel_url(scheme, step.starts_on.year))
    return render(
        request,
        "grants/wheel_step_form.html",
        {"form": form, "scheme": scheme, "step": None, "fixed_round": fixed_round},
    )


@step_permission
def wheel_step_edit(request, scheme, step):
    fixed_round = step.round if not request.user.has_perm("grants.manage_scheme", scheme) else None
    form = WheelStepForm(request.POST or None, instance=step, user=request.user, scheme=scheme, fixed_round=fixed_round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stored = WheelStep.objects.select_related("scheme").get(pk=step.pk)
        try:
            services.step_update(actor=request.user, step=stored, **{name: data[name] for name in STEP_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_wheel_url(scheme, stored.starts_on.year))
    return render(
        request,
        "grants/wheel_step_form.html",
        {"form": form, "scheme": scheme, "step": WheelStep.objects.get(pk=step.pk), "fixed_round": fixed_round},
    )


@step_permission
def wheel_step_delete(request, scheme, step):
    if request.method == "POST":
        services.step_delete(actor=request.user, step=step)
        messages.success(request, _("The step “%(title)s” is removed from the annual wheel.") % {"title": step.title})
        return redirect(_wheel_url(scheme, step.starts_on.year))
    return render(request, "grants/wheel_step_delete.html", {"scheme": scheme, "step": step})


@require_POST
@permission_required("grants.manage_scheme", fn=scheme_or_404)
def wheel_roll_over(request, slug):
    scheme = scheme_or_404(request, slug)
    form = RollOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the year to roll over from the annual wheel's page."))
        return redirect("grants:wheel", scheme.slug)
    year = form.cleaned_data["year"]
    result = services.wheel_roll_over(actor=request.user, scheme=scheme, year=year)
    if result.steps:
        messages.success(
            request,
            ngettext(
                "%(count)d step is copied to %(year)d.",
                "%(count)d steps are copied to %(year)d.",
                len(result.steps),
            )
            % {"count": len(result.steps), "year": year + 1},
        )
    else:
        messages.info(
            request,
            _("Nothing to copy: every yearly step of %(year)d is in %(next)d already.")
            % {
                "year": year,
                "next": year + 1,
            },
        )
    for grant_round in result.rounds:
        messages.warning(
            request,
            _("The round “%(name)s” is created with last year's frame. Adjust the frame when it is known.")
            % {"name": grant_round.name},
        )
    return redirect(_wheel_url(scheme, year + 1))


# ---- a forum's wheel --------------------------------------------------------------------------------------


def _forum(request, slug):
    forum = Forum.objects.select_related("owner", "region").filter(slug=slug).first()
    if forum is None:
        raise Http404
    return forum


def forum_wheel(request, slug):
    forum = _forum(request, slug)
    if not request.user.has_perm("forums.view_forum", forum):
        raise Http404
    year = selectors.wheel_year(request.GET.get("year"))
    steps = selectors.wheel_steps(year=year, forum=forum)
    entries = selectors.wheel_entries(steps, selectors.forum_meetings_in(forum, year))
    years = {*selectors.wheel_years(forum=forum)}
    return render(
        request,
        "grants/wheel_forum.html",
        {
            "forum": forum,
            "year": year,
            "years": _year_links(sorted(years), year),
            "entries": entries,
            "months": selectors.month_view(year, entries),
        },
    )


def forum_wheel_ical(request, slug):
    forum = _forum(request, slug)
    denied = _denied(request, forum, "forums.view_forum", None)
    return denied or _ics_response(calendar.forum_wheel_ics(forum), f"arshjul-{forum.slug}.ics")
