"""Cases on a meeting's agenda: numbered per forum, kind and year (PS 26/20), ordered on the agenda,
presented in sections (background, facts, assessment, the advisor's recommendation). A closed case needs a
legal basis.

Numbers are given with the forum row locked (select_for_update), so two secretaries adding cases at the
same moment never get the same number; the unique constraint on (forum, kind, year, number) is the last
guard, and a clash there becomes the same clear refusal."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, model_label, snapshot
from kompetansebro.core.versioning import save_versioned
from kompetansebro.development.models import DevelopmentRequest
from kompetansebro.forums.models import AgendaCase, CaseKind, Forum, Meeting
from kompetansebro.needs.models import CompetenceNeed

CASE_FIELDS = [
    "kind",
    "number",
    "year",
    "title",
    "archive_number",
    "is_closed",
    "legal_basis",
    "background",
    "facts",
    "assessment",
    "recommendation",
]
EDITABLE_FIELDS = [
    "title",
    "archive_number",
    "is_closed",
    "legal_basis",
    "background",
    "facts",
    "assessment",
    "recommendation",
]
TEXT_FIELDS = {"title", "archive_number", "legal_basis", "background", "facts", "assessment", "recommendation"}


def case_year(meeting: Meeting) -> int:
    """Cases are numbered per year of the meeting (in Oslo time)."""
    return timezone.localtime(meeting.starts_at).year


def next_case_number(forum: Forum, kind: str, year: int) -> int:
    """The next free number for the forum, kind and year. Call with the forum row locked."""
    highest = AgendaCase.objects.filter(forum=forum, kind=kind, year=year).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


def _duplicate_error(kind: str, number: int, year: int) -> ValidationError:
    label = f"{kind} {number}/{year % 100:02d}"
    return ValidationError(
        {
            "number": _("Case number %(label)s is already used in this forum. Choose another number or leave it empty.")
            % {"label": label}
        }
    )


def _check_closed(is_closed: bool, legal_basis: str) -> None:
    if is_closed and not legal_basis:
        raise ValidationError(
            {"legal_basis": _("A closed case needs its legal basis, e.g. Offentleglova § 13, jf. fvl. § 13.")}
        )


def case_create(
    *,
    actor,
    meeting: Meeting,
    title: str,
    kind: str = CaseKind.DECISION,
    number: int | None = None,
    archive_number: str = "",
    is_closed: bool = False,
    legal_basis: str = "",
    background: str = "",
    facts: str = "",
    assessment: str = "",
    recommendation: str = "",
    needs: Iterable[CompetenceNeed] = (),
    development_requests: Iterable[DevelopmentRequest] = (),
) -> AgendaCase:
    """Put a case last on the meeting's agenda. Without `number` it gets the next free number for the
    forum, kind and year; an explicit number (continuing a paper series) must be free."""
    title = (title or "").strip()
    legal_basis = (legal_basis or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the case a title.")]
    if kind not in CaseKind.values:
        errors["kind"] = [_("Choose the kind of case.")]
    if number is not None and number < 1:
        errors["number"] = [_("The case number must be 1 or higher.")]
    if errors:
        raise ValidationError(errors)
    _check_closed(is_closed, legal_basis)
    forum = meeting.forum
    year = case_year(meeting)
    try:
        with transaction.atomic():
            Forum.objects.select_for_update().get(pk=forum.pk)
            if number is None:
                number = next_case_number(forum, kind, year)
            elif AgendaCase.objects.filter(forum=forum, kind=kind, year=year, number=number).exists():
                raise _duplicate_error(kind, number, year)
            position = (AgendaCase.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0) + 1
            case = AgendaCase.objects.create(
                forum=forum,
                meeting=meeting,
                kind=kind,
                year=year,
                number=number,
                position=position,
                title=title,
                archive_number=(archive_number or "").strip(),
                is_closed=is_closed,
                legal_basis=legal_basis if is_closed else "",
                background=(background or "").strip(),
                facts=(facts or "").strip(),
                assessment=(assessment or "").strip(),
                recommendation=(recommendation or "").strip(),
            )
            needs, development_requests = list(needs), list(development_requests)
            if needs:
                case.needs.set(needs)
            if development_requests:
                case.development_requests.set(development_requests)
            log_action(
                actor=actor,
                action="forums.case.created",
                target=case,
                changes=diff({}, snapshot(case, CASE_FIELDS), model=AgendaCase),
                data={
                    "meeting": meeting.pk,
                    "needs": sorted(need.pk for need in needs),
                    "development_requests": sorted(r.pk for r in development_requests),
                },
            )
    except IntegrityError as error:
        if AgendaCase.objects.filter(forum=forum, kind=kind, year=year, number=number).exists():
            raise _duplicate_error(kind, number, year) from error
        raise
    return case


def case_update(*, actor, case: AgendaCase, expected_version: int, **values) -> AgendaCase:
    """Change the case's title, archive number, closed flag and sections. The number stays.
    Raises ConcurrentEditError on a stale version."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown case fields: {sorted(unknown)}")
    for key in TEXT_FIELDS & set(values):
        values[key] = (values[key] or "").strip()
    stored = AgendaCase.objects.get(pk=case.pk)
    merged = {name: values.get(name, getattr(stored, name)) for name in EDITABLE_FIELDS}
    if not merged["title"]:
        raise ValidationError({"title": _("Give the case a title.")})
    _check_closed(merged["is_closed"], merged["legal_basis"])
    if not merged["is_closed"] and "legal_basis" in values:
        values["legal_basis"] = ""
    with transaction.atomic():
        before = snapshot(stored, CASE_FIELDS)
        for name, value in values.items():
            setattr(case, name, value)
        save_versioned(case, expected_version=expected_version, update_fields=list(values))
        changes = diff(before, snapshot(case, CASE_FIELDS), model=AgendaCase)
        if changes:
            log_action(actor=actor, action="forums.case.changed", target=case, changes=changes)
    return case


def case_move(*, actor, case: AgendaCase, direction: str) -> bool:
    """Move the case one place up or down on its meeting's agenda. Returns False when it is already
    first (up) or last (down)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."))
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=case.meeting_id)
        agenda = list(AgendaCase.objects.filter(meeting_id=case.meeting_id).order_by("position", "kind", "number"))
        index = next(i for i, item in enumerate(agenda) if item.pk == case.pk)
        other = index - 1 if direction == "up" else index + 1
        if other < 0 or other >= len(agenda):
            return False
        agenda[index], agenda[other] = agenda[other], agenda[index]
        changed = []
        for position, item in enumerate(agenda, start=1):
            if item.position != position:
                item.position = position
                changed.append(item)
        AgendaCase.objects.bulk_update(changed, ["position"])
        log_action(
            actor=actor,
            action="forums.case.moved",
            target=case,
            changes={"position": {"old": index + 1, "new": other + 1, "model": model_label(AgendaCase)}},
        )
    case.position = other + 1
    return True
