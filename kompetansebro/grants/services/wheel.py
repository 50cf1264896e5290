"""The annual wheel (årshjul) of a scheme: its dated steps, and rolling the wheel over to the next year.

Step changes are recorded on the scheme, so the scheme's history shows them even after a step is deleted.
Rolling over copies every yearly step of year Y to Y+1 with the dates a year later (29 February becomes
28 February) in one transaction, under a lock on the scheme. It is idempotent by database state: a step that
has been rolled already (it has `rolled_to`) is never copied again, and a round that has been rolled already
is reused."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.forums.models import Forum
from kompetansebro.grants.models import GrantRound, GrantScheme, RoundStatus, WheelStep, WheelStepKind

STEP_FIELDS = ["kind", "title", "description", "starts_on", "ends_on", "repeats_yearly", "round", "forum"]
STEP_LABEL = gettext_noop("step of the annual wheel")


def next_year(day: datetime.date) -> datetime.date:
    """The same date a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _step_text(step: WheelStep) -> str:
    period = step.starts_on.strftime("%d.%m.%Y")
    if step.ends_on and step.ends_on != step.starts_on:
        period += "–" + step.ends_on.strftime("%d.%m.%Y")
    return f"{step.title} ({period})"


def _step_data(step: WheelStep) -> dict:
    return {
        "step": step.pk,
        "uid": str(step.uid),
        "kind": step.kind,
        "title": step.title,
        "starts_on": step.starts_on.isoformat(),
        "ends_on": step.ends_on.isoformat() if step.ends_on else None,
        "repeats_yearly": step.repeats_yearly,
        "round": step.round_id,
        "forum": step.forum_id,
    }


def _check_step(values: dict, *, scheme: GrantScheme) -> dict:
    errors = {}
    values["title"] = (values.get("title") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    if not values["title"]:
        errors["title"] = [_("Give the step a title, e.g. Deadline for priority lists.")]
    if values.get("kind") not in WheelStepKind.values:
        errors["kind"] = [_("Choose the kind of step.")]
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is None:
        errors["starts_on"] = [_("Give the date the step starts (or the date, for a single day).")]
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The step cannot end before it starts.")]
    if ends_on is not None and starts_on is not None and ends_on == starts_on:
        values["ends_on"] = None
    grant_round = values.get("round")
    if grant_round is not None and grant_round.scheme_id != scheme.pk:
        errors["round"] = [_("Choose one of the scheme's rounds.")]
    if errors:
        raise ValidationError(errors)
    return values


def step_create(
    *,
    actor,
    scheme: GrantScheme,
    title: str,
    starts_on: datetime.date,
    kind: str = WheelStepKind.OTHER,
    description: str = "",
    ends_on: datetime.date | None = None,
    repeats_yearly: bool = True,
    round: GrantRound | None = None,  # noqa: A002 - the model's field name
    forum: Forum | None = None,
) -> WheelStep:
    values = _check_step(
        {
            "kind": kind,
            "title": title,
            "description": description,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "repeats_yearly": repeats_yearly,
            "round": round,
            "forum": forum,
        },
        scheme=scheme,
    )
    with transaction.atomic():
        step = WheelStep.objects.create(scheme=scheme, **values)
        log_action(
            actor=actor,
            action="grants.wheel_step.created",
            target=scheme,
            changes={"wheel_step": {"old": None, "new": _step_text(step), "label": STEP_LABEL}},
            data=_step_data(step),
        )
    return step


def step_update(*, actor, step: WheelStep, **values) -> WheelStep:
    unknown = set(values) - set(STEP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown step fields: {sorted(unknown)}")
    scheme = step.scheme
    merged = _check_step({name: values.get(name, getattr(step, name)) for name in STEP_FIELDS}, scheme=scheme)
    with transaction.atomic():
        current = WheelStep.objects.select_for_update().get(pk=step.pk)
        before = snapshot(current, STEP_FIELDS)
        old_text = _step_text(current)
        for name in values:
            setattr(step, name, merged[name])
        step.save(update_fields=list(values))
        changed = diff(before, snapshot(step, STEP_FIELDS), model=WheelStep)
        if changed:
            log_action(
                actor=actor,
                action="grants.wheel_step.changed",
                target=scheme,
                changes={"wheel_step": {"old": old_text, "new": _step_text(step), "label": STEP_LABEL}},
                data={**_step_data(step), "fields": changed},
            )
    return step


def step_delete(*, actor, step: WheelStep) -> None:
    with transaction.atomic():
        current = WheelStep.objects.select_for_update().filter(pk=step.pk).first()
        if current is None:
            return
        data = _step_data(current)
        text = _step_text(current)
        current.delete()
        log_action(
            actor=actor,
            action="grants.wheel_step.deleted",
            target=step.scheme,
            changes={"wheel_step": {"old": text, "new": None, "label": STEP_LABEL}},
            data=data,
        )


# ---- rolling over -----------------------------------------------------------------------------------------


@dataclass
class RollOver:
    year: int
    steps: list[WheelStep] = field(default_factory=list)
    rounds: list[GrantRound] = field(default_factory=list)
    already_rolled: int = 0


def _next_round_name(name: str, year: int) -> str:
    if re.search(rf"\b{year}\b", name):
        return re.sub(rf"\b{year}\b", str(year + 1), name)
    return f"{name} {year + 1}"


def _next_round(grant_round: GrantRound) -> tuple[GrantRound, bool]:
    """The round of the next year for `grant_round`: the one it was rolled to, else a round of the scheme for
    the next year with the same region and forum that nobody rolled over to (created by hand), else a new
    one with the same frame as a starting point, marked as to be adjusted. (round, created)"""
    rolled = GrantRound.objects.filter(rolled_from=grant_round).first()
    if rolled is not None:
        return rolled, False
    year = grant_round.year + 1
    by_hand = GrantRound.objects.filter(
        scheme_id=grant_round.scheme_id,
        year=year,
        region_id=grant_round.region_id,
        forum_id=grant_round.forum_id,
        rolled_from__isnull=True,
    ).first()
    if by_hand is not None:
        by_hand.rolled_from = grant_round
        by_hand.save(update_fields=["rolled_from"])
        return by_hand, False
    created = GrantRound.objects.create(
        scheme_id=grant_round.scheme_id,
        name=_next_round_name(grant_round.name, grant_round.year),
        year=year,
        frame=grant_round.frame,
        priority_deadline=next_year(grant_round.priority_deadline) if grant_round.priority_deadline else None,
        region_id=grant_round.region_id,
        forum_id=grant_round.forum_id,
        status=RoundStatus.OPEN,
        frame_to_be_adjusted=True,
        rolled_from=grant_round,
    )
    return created, True


def wheel_roll_over(*, actor, scheme: GrantScheme, year: int) -> RollOver:
    """Copy every step of `year` that repeats yearly to `year + 1`, dates a year later, in one transaction.
    Steps that belong to a round move to that round's round of the next year (created when missing, with
    the same frame, marked as to be adjusted)."""
    result = RollOver(year=year)
    with transaction.atomic():
        GrantScheme.objects.select_for_update().get(pk=scheme.pk)  # two roll-overs of one scheme: one at a time
        steps = list(
            WheelStep.objects.filter(scheme=scheme, repeats_yearly=True, starts_on__year=year)
            .select_related("round")
            .order_by("starts_on", "pk")
        )
        rolled_ids = set(
            WheelStep.objects.filter(rolled_from__in=[step.pk for step in steps]).values_list("rolled_from", flat=True)
        )
        rounds: dict[int, GrantRound] = {}
        for step in steps:
            if step.pk in rolled_ids:
                result.already_rolled += 1
                continue
            next_round = None
            if step.round_id is not None:
                if step.round_id not in rounds:
                    rounds[step.round_id], created = _next_round(step.round)
                    if created:
                        result.rounds.append(rounds[step.round_id])
                next_round = rounds[step.round_id]
            copy = WheelStep.objects.create(
                scheme=scheme,
                forum_id=step.forum_id,
                round=next_round,
                kind=step.kind,
                title=step.title,
                description=step.description,
                starts_on=next_year(step.starts_on),
                ends_on=next_year(step.ends_on) if step.ends_on else None,
                repeats_yearly=True,
                rolled_from=step,
            )
            result.steps.append(copy)
        for grant_round in result.rounds:
            log_action(
                actor=actor,
                action="grants.round.created",
                target=grant_round,
                changes=diff({}, snapshot(grant_round, ["name", "frame_to_be_adjusted"]), model=GrantRound),
                data={"scheme": scheme.pk, "rolled_from": grant_round.rolled_from_id},
            )
        if result.steps:
            log_action(
                actor=actor,
                action="grants.wheel.rolled_over",
                target=scheme,
                changes={"wheel": {"old": year, "new": year + 1, "label": gettext_noop("annual wheel")}},
                data={
                    "year": year,
                    "steps": [step.pk for step in result.steps],
                    "rounds": [grant_round.pk for grant_round in result.rounds],
                },
            )
    return result
