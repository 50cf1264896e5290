"""Every write of matching results: suggestions per need, their state, and people's decisions.

Incremental matching (docs/matching.md):
* a need changed (registered, edited, moved in its life cycle): `need_changed` rematches it at once;
* an offering changed (created, edited, status, deleted): `offering_changed` lets the process's engine
  take it in and marks *stale* the needs it can touch, which are rematched when their page is shown or by
  `kompetansebro rematch --stale` (cron). The rule for "can touch", cheap and stated here:
    - the needs that have the offering among their suggestions (its score moved or it left), and
    - the matchable needs in the offering's field of competence.
  An offering in another field rarely reaches a need's top ten (a field mismatch costs 0.25, a match gives
  0.15); those cases are caught by the full rebuild (`kompetansebro rematch`, nightly and after imports).
* `rematch_all` rebuilds every need's suggestions with worker processes that share the engine.
"""

import json
import logging
import multiprocessing
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kompetansebro.audit.services import log_action, model_label
from kompetansebro.matching import engine_cache
from kompetansebro.matching.documents import MATCHABLE_NEED_STATUSES, need_document, need_documents
from kompetansebro.matching.engine.engine import MatchEngine
from kompetansebro.matching.engine.reasons import Reason
from kompetansebro.matching.models import MatchDecision, MatchDecisionKind, MatchState, MatchSuggestion
from kompetansebro.needs.models import CompetenceNeed, NeedStatus
from kompetansebro.offerings.models import Offering

logger = logging.getLogger(__name__)

CHUNK = 1000


# --- reasons as JSON ------------------------------------------------------------------------------------
def reason_to_json(reason: Reason) -> dict:
    # by hand: dataclasses.asdict copies deeply and took a quarter of a full rebuild
    return {
        "code": reason.code,
        "values": list(reason.values),
        "level": reason.level,
        "when": reason.when.isoformat() if reason.when else None,
    }


def reason_from_json(data: dict) -> Reason:
    when = data.get("when")
    return Reason(
        code=data["code"],
        values=tuple(data.get("values") or ()),
        level=data.get("level") or "",
        when=date.fromisoformat(when) if when else None,
    )


# --- one need -------------------------------------------------------------------------------------------
def _rejected_ids(need_ids) -> dict[int, frozenset[str]]:
    rejected: dict[int, set[str]] = {}
    rows = MatchDecision.objects.filter(decision=MatchDecisionKind.REJECTED)
    if need_ids is not None:
        rows = rows.filter(need_id__in=need_ids)
    for need_id, offering_id in rows.values_list("need_id", "offering_id").iterator(chunk_size=10_000):
        rejected.setdefault(need_id, set()).add(str(offering_id))
    return {need_id: frozenset(ids) for need_id, ids in rejected.items()}


def _existing(need_ids) -> dict[int, list]:
    """The stored suggestions of the needs, in the form `_ranked` gives (reasons as JSON text)."""
    stored: dict[int, list] = {}
    rows = (
        MatchSuggestion.objects.filter(need_id__in=need_ids)
        .order_by("need_id", "rank")
        .values_list("need_id", "offering_id", "score", Cast("reasons", TextField()))
    )
    for need_id, offering_id, score, reasons in rows:
        stored.setdefault(need_id, []).append((str(offering_id), score, reasons))
    return stored


def _insert(rows: list[tuple]) -> None:
    """Many suggestions in one executemany: a full rebuild writes hundreds of thousands of them, and model
    instances would cost more than the database."""
    table = MatchSuggestion._meta.db_table
    json_placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {table} (need_id, offering_id, rank, score, reasons, computed_at) "  # noqa: S608 (no input)
        f"VALUES (%s, %s, %s, %s, {json_placeholder}, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _store(results: list[tuple[int, list]], now, *, skip_newer_than=None) -> int:
    """Replace the suggestions and state of the needs in `results` [(need id, [(offering id, score,
    reasons as JSON text)])]; needs computed after `skip_newer_than` (by a single rematch meanwhile) are
    kept. Suggestions that are the same as stored are not written again. Returns how many were written."""
    need_ids = [need_id for need_id, _matches in results]
    if skip_newer_than is not None:
        newer = set(
            MatchState.objects.filter(need_id__in=need_ids, computed_at__gt=skip_newer_than).values_list(
                "need_id", flat=True
            )
        )
        results = [(need_id, matches) for need_id, matches in results if need_id not in newer]
    stored = _existing([need_id for need_id, _matches in results])
    changed = [(need_id, matches) for need_id, matches in results if stored.get(need_id, []) != matches]
    when = connection.ops.adapt_datetimefield_value(now)
    rows = [
        (need_id, int(offering_id), rank, score, reasons, when)
        for need_id, matches in changed
        for rank, (offering_id, score, reasons) in enumerate(matches, start=1)
    ]
    states = [
        MatchState(need_id=need_id, stale=False, best_score=matches[0][1] if matches else None, computed_at=now)
        for need_id, matches in results
    ]
    with transaction.atomic():
        if changed:
            MatchSuggestion.objects.filter(need_id__in=[need_id for need_id, _matches in changed]).delete()
            _insert(rows)
        MatchState.objects.bulk_create(
            states,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["need"],
            update_fields=["stale", "best_score", "computed_at"],
        )
    return len(rows)


def _ranked(engine: MatchEngine, doc, exclude: frozenset[str]) -> list:
    matches = engine.rank(doc, top=settings.MATCHING_SUGGESTIONS_PER_NEED, exclude=exclude)
    return [
        (match.offering, match.score, json.dumps([reason_to_json(reason) for reason in match.reasons]))
        for match in matches
    ]


def rematch_need(need: CompetenceNeed, *, engine: MatchEngine | None = None) -> MatchState:
    """Compute and store the best offerings for `need` (without those rejected for it). A need that no
    longer looks for an offer (MATCHABLE_NEED_STATUSES) loses its suggestions."""
    now = timezone.now()
    if need.status in MATCHABLE_NEED_STATUSES:
        engine = engine or engine_cache.get_engine()
        exclude = _rejected_ids([need.pk]).get(need.pk, frozenset())
        matches = _ranked(engine, need_document(need), exclude)
    else:
        matches = []
    _store([(need.pk, matches)], now)
    return MatchState(need_id=need.pk, stale=False, best_score=matches[0][1] if matches else None, computed_at=now)


def current_state(need: CompetenceNeed) -> MatchState | None:
    """The need's match state, after rematching it if it is matchable and its suggestions are stale or were
    never computed (the need page calls this)."""
    state = MatchState.objects.filter(need=need).first()
    if need.status in MATCHABLE_NEED_STATUSES and (state is None or state.stale):
        state = rematch_need(need)
    return state


# --- hooks from the needs and offerings services --------------------------------------------------------
def need_changed(need_id: int) -> None:
    """A need was registered, changed or moved: rematch it now (a few milliseconds once the engine is
    built). Called after commit; a failure is logged and leaves the need stale for `rematch --stale`."""
    need = CompetenceNeed.objects.select_related("field", "municipality").prefetch_related("tags").get(pk=need_id)
    try:
        rematch_need(need)
    except Exception:
        logger.exception("Rematching need %s failed; it is left stale", need_id)
        MatchState.objects.update_or_create(need_id=need_id, defaults={"stale": True})


def offering_changed(offering_id: int, field_id: int | None) -> int:
    """An offering was created, changed, moved or deleted: the process's engine takes it in at its next
    use, and the needs it can touch (see the module docstring) are marked stale. Returns how many."""
    engine_cache.offering_changed(offering_id)
    touched = MatchState.objects.filter(stale=False, need__match_suggestions__offering_id=offering_id).update(
        stale=True
    )
    if field_id is not None:
        touched += MatchState.objects.filter(
            stale=False, need__field_id=field_id, need__status__in=MATCHABLE_NEED_STATUSES
        ).update(stale=True)
    return touched


# --- many needs -----------------------------------------------------------------------------------------
# The worker processes inherit these from the parent at fork: the engine is built once.
_worker_engine: MatchEngine | None = None
_worker_rejected: dict[int, frozenset[str]] = {}


def _rank_chunk(docs) -> list[tuple[int, list]]:
    return [(int(doc.id), _ranked(_worker_engine, doc, _worker_rejected.get(int(doc.id), frozenset()))) for doc in docs]


@dataclass
class RematchResult:
    needs: int = 0
    suggestions: int = 0
    cleared: int = 0
    seconds: float = 0.0
    engine_seconds: float = 0.0


def _clear_unmatchable(now) -> int:
    """Needs that no longer look for an offer keep no suggestions."""
    unmatchable = CompetenceNeed.objects.exclude(status__in=MATCHABLE_NEED_STATUSES)
    MatchSuggestion.objects.filter(need__in=unmatchable).delete()
    return (
        MatchState.objects.filter(need__in=unmatchable)
        .exclude(stale=False, best_score=None)
        .update(stale=False, best_score=None, computed_at=now)
    )


def _rematch_many(needs, *, engine: MatchEngine, workers: int, result: RematchResult) -> None:
    global _worker_engine, _worker_rejected
    started = timezone.now()
    docs = need_documents(needs)
    rejected = _rejected_ids(None if len(docs) > CHUNK else [int(doc.id) for doc in docs])
    chunks = [docs[start : start + CHUNK] for start in range(0, len(docs), CHUNK)]
    result.needs += len(docs)
    # Forking needs a process without an open transaction or connection (children must not share it).
    if workers > 1 and len(chunks) > 1 and not connection.in_atomic_block:
        _worker_engine, _worker_rejected = engine, rejected
        connections.close_all()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for ranked in pool.imap_unordered(_rank_chunk, chunks):
                    result.suggestions += _store(ranked, timezone.now(), skip_newer_than=started)
        finally:
            _worker_engine, _worker_rejected = None, {}
        return
    for chunk in chunks:
        ranked = [(int(doc.id), _ranked(engine, doc, rejected.get(int(doc.id), frozenset()))) for doc in chunk]
        result.suggestions += _store(ranked, timezone.now(), skip_newer_than=started)


def rematch_all(*, workers: int = 2) -> RematchResult:
    """Rebuild the engine from the catalogue and every matchable need's suggestions (after imports,
    nightly). Needs are written a thousand at a time, so pages keep showing suggestions meanwhile."""
    clock = time.perf_counter()
    result = RematchResult()
    result.cleared = _clear_unmatchable(timezone.now())
    engine = engine_cache.rebuild()
    result.engine_seconds = time.perf_counter() - clock
    needs = CompetenceNeed.objects.filter(status__in=MATCHABLE_NEED_STATUSES)
    _rematch_many(needs, engine=engine, workers=workers, result=result)
    result.seconds = time.perf_counter() - clock
    return result


def rematch_stale(*, workers: int = 2) -> RematchResult:
    """Rematch the matchable needs marked stale or never computed (cron)."""
    clock = time.perf_counter()
    result = RematchResult()
    result.cleared = _clear_unmatchable(timezone.now())
    needs = CompetenceNeed.objects.filter(status__in=MATCHABLE_NEED_STATUSES).exclude(match_state__stale=False)
    if needs.exists():
        engine = engine_cache.get_engine()
        result.engine_seconds = time.perf_counter() - clock
        _rematch_many(needs, engine=engine, workers=workers, result=result)
    result.seconds = time.perf_counter() - clock
    return result


# --- people's decisions ---------------------------------------------------------------------------------
def _decide(*, need, offering, actor, decision: str, reason: str) -> MatchDecision:
    previous = MatchDecision.objects.filter(need=need, offering=offering).first()
    decided, _created = MatchDecision.objects.update_or_create(
        need=need,
        offering=offering,
        defaults={
            "decision": decision,
            "reason": reason,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    model = model_label(MatchDecision)
    changes = {
        "offering": {"old": None, "new": offering.title, "label": gettext_noop("Offering")},
        "decision": {"old": previous.decision if previous else None, "new": decision, "model": model},
    }
    if reason:
        changes["reason"] = {"old": None, "new": reason, "model": model}
    log_action(
        actor=actor,
        action=f"matching.match.{decision}",
        target=need,
        changes=changes,
        data={"offering": offering.pk, "reason": reason},
    )
    return decided


def match_accept(*, need: CompetenceNeed, offering: Offering, actor) -> MatchDecision:
    """ "This offering fits": records the decision, and the need walks on to "in dialogue with providers"
    (needs.services.need_advance: a registered need passes "qualified" only when the person may qualify it)."""
    from kompetansebro.needs.services import need_advance

    with transaction.atomic():
        decision = _decide(need=need, offering=offering, actor=actor, decision=MatchDecisionKind.ACCEPTED, reason="")
        need_advance(
            actor=actor,
            need=need,
            to_status=NeedStatus.IN_DIALOGUE,
            cause=gettext_noop("an offering accepted as a match"),
            cause_object=offering.title,
        )
    return decision


def match_reject(*, need: CompetenceNeed, offering: Offering, actor, reason: str) -> MatchDecision:
    """ "This offering does not fit", with a reason; it is no longer suggested for the need."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the offering does not fit.")})
    with transaction.atomic():
        decision = _decide(
            need=need, offering=offering, actor=actor, decision=MatchDecisionKind.REJECTED, reason=reason
        )
        transaction.on_commit(lambda: need_changed(need.pk))
    return decision
