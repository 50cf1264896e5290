"""Creating and changing grant schemes, their report templates and their rounds. Every write is atomic and
recorded in the history.

Callers decide permissions with grants/rules.py first; these functions check that the data are valid.
Changes to the report template are recorded on the scheme, so the scheme's history shows them."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.core import bounds
from kompetansebro.core.money import format_nok, round_nok
from kompetansebro.core.versioning import save_versioned
from kompetansebro.forums.models import Forum
from kompetansebro.geography.models import CentralityClass, Region
from kompetansebro.grants.models import AllocationStatus, GrantRound, GrantScheme, ReportQuestion
from kompetansebro.organisations.models import Organisation, OrganisationKind

SCHEME_FIELDS = [
    "name",
    "slug",
    "owner",
    "source",
    "parent",
    "purpose",
    "eligibility",
    "eligible_kinds",
    "invited_organisations",
    "target_centrality_classes",
    "max_grant_share",
    "in_kind_counts",
    "in_kind_hourly_rate",
    "requires_economic_report",
    "is_active",
]
MANY_FIELDS = {"invited_organisations"}
ROUND_FIELDS = ["name", "year", "frame", "priority_deadline", "region", "forum"]
# Addresses under /tilskudd/ordninger/ that are pages, not schemes.
RESERVED_SLUGS = {"ny"}
HUNDRED = Decimal("100")


def is_own_ancestor(scheme: GrantScheme | None, parent: GrantScheme | None) -> bool:
    """True when making `parent` the parent of `scheme` would close a loop (the scheme itself or one of the
    schemes passed down from it). One query per level of the chain, which is short (ministry → county →
    region)."""
    if scheme is None or scheme.pk is None or parent is None:
        return False
    seen = set()
    current = parent
    while current is not None and current.pk not in seen:
        if current.pk == scheme.pk:
            return True
        seen.add(current.pk)
        current = GrantScheme.objects.filter(pk=current.parent_id).first() if current.parent_id else None
    return current is not None  # a loop that does not contain `scheme` already exists: refuse too


def _check_scheme(values: dict, *, scheme: GrantScheme | None = None) -> dict:
    """Normalised values, or ValidationError with the messages beside the fields."""
    errors = {}
    for key in ("name", "slug", "source", "purpose", "eligibility"):
        values[key] = (values.get(key) or "").strip()
    if not values["name"]:
        errors["name"] = [_("Give the scheme a name.")]
    slug = values["slug"]
    if not slug:
        errors["slug"] = [_("Give the scheme a short name for its address.")]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [_("This short name is reserved. Choose another.")]
    elif GrantScheme.objects.filter(slug=slug).exclude(pk=getattr(scheme, "pk", None)).exists():
        errors["slug"] = [_("Another scheme already uses this short name. Choose another.")]
    if values.get("owner") is None:
        errors["owner"] = [_("Choose the organisation that owns the scheme.")]
    kinds = sorted(set(values.get("eligible_kinds") or []))
    if any(kind not in OrganisationKind.values for kind in kinds):
        errors["eligible_kinds"] = [_("Choose kinds of organisation from the list.")]
    values["eligible_kinds"] = kinds
    values["invited_organisations"] = list(values.get("invited_organisations") or [])
    classes = values.get("target_centrality_classes") or []
    try:
        classes = sorted({int(value) for value in classes})
    except (TypeError, ValueError):
        classes = [0]
    if any(value not in CentralityClass.values for value in classes):
        errors["target_centrality_classes"] = [_("Centrality classes go from 1 to 6.")]
    values["target_centrality_classes"] = classes
    share = values.get("max_grant_share")
    if share is not None:
        share = values["max_grant_share"] = round_nok(share)  # two decimals, as stored
    if values.get("in_kind_hourly_rate") is not None:
        values["in_kind_hourly_rate"] = round_nok(values["in_kind_hourly_rate"])
    if share is None:
        errors["max_grant_share"] = [_("Give the largest share of the costs the scheme may cover, in per cent.")]
    elif not Decimal("0") <= Decimal(share) <= HUNDRED:
        errors["max_grant_share"] = [_("The share must be between 0 and 100 per cent.")]
    rate = values.get("in_kind_hourly_rate")
    if error := bounds.hourly_rate_error(rate):
        errors["in_kind_hourly_rate"] = [error]
    elif values.get("in_kind_counts") and rate is None:
        errors["in_kind_hourly_rate"] = [_("Give the hourly rate in-kind hours are counted at.")]
    if values.get("parent") is not None and is_own_ancestor(scheme, values["parent"]):
        errors["parent"] = [_("A scheme cannot be passed down from itself or from a scheme passed down from it.")]
    if errors:
        raise ValidationError(errors)
    return values


def scheme_create(
    *,
    actor,
    name: str,
    slug: str,
    owner: Organisation,
    source: str = "",
    parent: GrantScheme | None = None,
    purpose: str = "",
    eligibility: str = "",
    eligible_kinds: list[str] | None = None,
    invited_organisations: Iterable[Organisation] = (),
    target_centrality_classes: list[int] | None = None,
    max_grant_share: Decimal = HUNDRED,
    in_kind_counts: bool = False,
    in_kind_hourly_rate: Decimal | None = None,
    requires_economic_report: bool = True,
    is_active: bool = True,
) -> GrantScheme:
    values = _check_scheme(
        {
            "name": name,
            "slug": slug,
            "owner": owner,
            "source": source,
            "parent": parent,
            "purpose": purpose,
            "eligibility": eligibility,
            "eligible_kinds": eligible_kinds or [],
            "invited_organisations": invited_organisations,
            "target_centrality_classes": target_centrality_classes or [],
            "max_grant_share": max_grant_share,
            "in_kind_counts": in_kind_counts,
            "in_kind_hourly_rate": in_kind_hourly_rate,
            "requires_economic_report": requires_economic_report,
            "is_active": is_active,
        }
    )
    invited = values.pop("invited_organisations")
    with transaction.atomic():
        scheme = GrantScheme.objects.create(**values)
        scheme.invited_organisations.set(invited)
        log_action(
            actor=actor,
            action="grants.scheme.created",
            target=scheme,
            changes=diff({}, snapshot(scheme, SCHEME_FIELDS), model=GrantScheme),
        )
    return scheme


def scheme_update(*, actor, scheme: GrantScheme, expected_version: int, **values) -> GrantScheme:
    """Change the scheme's rules. Raises ConcurrentEditError when someone else saved it since
    `expected_version` was read."""
    unknown = set(values) - set(SCHEME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown scheme fields: {sorted(unknown)}")
    current = {name: getattr(scheme, name) for name in SCHEME_FIELDS if name not in MANY_FIELDS}
    current.update({name: list(getattr(scheme, name).all()) for name in MANY_FIELDS})
    merged = _check_scheme({**current, **values}, scheme=scheme)
    with transaction.atomic():
        # Two people making two schemes each other's parent at once: one waits for the other, then sees the loop.
        locked = [scheme.pk, *([merged["parent"].pk] if merged["parent"] is not None else [])]
        list(GrantScheme.objects.select_for_update().filter(pk__in=locked).order_by("pk"))
        if merged["parent"] is not None and is_own_ancestor(scheme, merged["parent"]):
            raise ValidationError(
                {"parent": _("A scheme cannot be passed down from itself or from a scheme passed down from it.")}
            )
        before = snapshot(GrantScheme.objects.get(pk=scheme.pk), SCHEME_FIELDS)
        fields = [name for name in values if name not in MANY_FIELDS]
        for name in fields:
            setattr(scheme, name, merged[name])
        save_versioned(scheme, expected_version=expected_version, update_fields=fields)
        for name in MANY_FIELDS.intersection(values):
            getattr(scheme, name).set(merged[name])
        changes = diff(before, snapshot(scheme, SCHEME_FIELDS), model=GrantScheme)
        if changes:
            log_action(actor=actor, action="grants.scheme.changed", target=scheme, changes=changes)
    return scheme


# ---- the report template ----------------------------------------------------------------------------------


def _question_log(actor, scheme, action, *, old=None, new=None, question: ReportQuestion):
    log_action(
        actor=actor,
        action=action,
        target=scheme,
        changes={"report_question": {"old": old, "new": new, "label": gettext_noop("report question")}},
        data={"question": question.pk, "text": question.text},
    )


def _renumber(scheme: GrantScheme) -> list[ReportQuestion]:
    """The scheme's questions numbered 1, 2, 3 … in their current order."""
    questions = list(ReportQuestion.objects.filter(scheme=scheme).order_by("position", "pk"))
    for number, question in enumerate(questions, start=1):
        if question.position != number:
            question.position = number
            question.save(update_fields=["position"])
    return questions


def question_add(*, actor, scheme: GrantScheme, text: str, help_text: str = "") -> ReportQuestion:
    text, help_text = (text or "").strip(), (help_text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    with transaction.atomic():
        GrantScheme.objects.select_for_update().get(pk=scheme.pk)  # one template change per scheme at a time
        last = ReportQuestion.objects.filter(scheme=scheme).aggregate(last=Max("position"))["last"] or 0
        question = ReportQuestion.objects.create(scheme=scheme, position=last + 1, text=text, help_text=help_text)
        _question_log(
            actor, scheme, "grants.scheme.question_added", new=f"{question.position}. {text}", question=question
        )
    return question


def question_move(*, actor, question: ReportQuestion, direction: str) -> ReportQuestion:
    """Move a question one place up or down in the template."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    with transaction.atomic():
        scheme = GrantScheme.objects.select_for_update().get(pk=question.scheme_id)
        questions = _renumber(scheme)
        index = next((i for i, q in enumerate(questions) if q.pk == question.pk), None)
        if index is None:
            raise ValidationError(_("The question has been removed from the template."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(questions):
            return questions[index]
        moved, neighbour = questions[index], questions[other]
        before = moved.position
        moved.position, neighbour.position = neighbour.position, moved.position
        moved.save(update_fields=["position"])
        neighbour.save(update_fields=["position"])
        _question_log(
            actor,
            scheme,
            "grants.scheme.question_moved",
            old=f"{before}. {moved.text}",
            new=f"{moved.position}. {moved.text}",
            question=moved,
        )
    return moved


def question_remove(*, actor, question: ReportQuestion) -> None:
    with transaction.atomic():
        scheme = GrantScheme.objects.select_for_update().get(pk=question.scheme_id)
        current = ReportQuestion.objects.filter(pk=question.pk, scheme=scheme).first()
        if current is None:
            return
        text = f"{current.position}. {current.text}"
        current.delete()
        _renumber(scheme)
        _question_log(actor, scheme, "grants.scheme.question_removed", old=text, question=question)


# ---- rounds -----------------------------------------------------------------------------------------------


def _check_round(values: dict) -> dict:
    errors = {}
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        errors["name"] = [_("Give the round a name, e.g. DEKOM 2027.")]
    year = values.get("year")
    if year is None or not 2000 <= int(year) <= 2100:
        errors["year"] = [_("Give the year as four digits, e.g. 2027.")]
    frame = values.get("frame")
    if frame is None:
        errors["frame"] = [_("Give the frame: the most the round can allocate, in kroner.")]
    else:
        frame = values["frame"] = round_nok(frame)
    if frame is not None and frame < 0:
        errors["frame"] = [_("The frame cannot be negative.")]
    elif error := bounds.amount_error(frame):
        errors["frame"] = [error]
    if errors:
        raise ValidationError(errors)
    return values


def _committed(grant_round: GrantRound) -> Decimal:
    """What the round has allocated (proposed or adopted)."""
    total = grant_round.allocations.exclude(status=AllocationStatus.WITHDRAWN).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def round_create(
    *,
    actor,
    scheme: GrantScheme,
    name: str,
    year: int,
    frame: Decimal,
    priority_deadline: datetime.date | None = None,
    region: Region | None = None,
    forum: Forum | None = None,
) -> GrantRound:
    values = _check_round(
        {
            "name": name,
            "year": year,
            "frame": frame,
            "priority_deadline": priority_deadline,
            "region": region,
            "forum": forum,
        }
    )
    with transaction.atomic():
        grant_round = GrantRound.objects.create(scheme=scheme, **values)
        log_action(
            actor=actor,
            action="grants.round.created",
            target=grant_round,
            changes=diff({}, snapshot(grant_round, ROUND_FIELDS), model=GrantRound),
            data={"scheme": scheme.pk},
        )
    return grant_round


def round_update(*, actor, grant_round: GrantRound, expected_version: int, **values) -> GrantRound:
    """Change the round's name, year, frame, deadline, region or forum. Saving the frame confirms it (a round
    rolled over from last year is no longer marked "to be adjusted"). The frame can never go below what the
    round has already allocated: checked under a lock on the round, the same lock allocations take."""
    unknown = set(values) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown round fields: {sorted(unknown)}")
    merged = _check_round({name: values.get(name, getattr(grant_round, name)) for name in ROUND_FIELDS})
    with transaction.atomic():
        current = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
        before = snapshot(current, [*ROUND_FIELDS, "frame_to_be_adjusted"])
        committed = _committed(current)
        if merged["frame"] < committed:
            raise ValidationError(
                {
                    "frame": _("The round has already allocated %(amount)s; the frame cannot be smaller.")
                    % {"amount": format_nok(committed)}
                }
            )
        for name in values:
            setattr(grant_round, name, merged[name])
        fields = list(values)
        if "frame" in values and current.frame_to_be_adjusted:
            grant_round.frame_to_be_adjusted = False
            fields.append("frame_to_be_adjusted")
        save_versioned(grant_round, expected_version=expected_version, update_fields=fields)
        changes = diff(before, snapshot(grant_round, [*ROUND_FIELDS, "frame_to_be_adjusted"]), model=GrantRound)
        if changes:
            log_action(actor=actor, action="grants.round.changed", target=grant_round, changes=changes)
    return grant_round
