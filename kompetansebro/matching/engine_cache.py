"""The matching engine of this process: built on first use, kept up to date with the catalogue.

Building the engine reads and analyses every matchable offering (about 12 s on the national data), so a
process builds it once and then follows the catalogue:

* **version**: count, highest id and latest `updated_at` of all offerings, read in one cheap aggregate
  query each time the engine is handed out. Every offering service bumps `updated_at`; a deletion lowers
  the count; a new offering raises the id.
* **catching up**: when the version moved, the offerings changed since the engine's version are upserted
  and offerings no longer matchable are removed, with one rebuild of the index (about 1 s nationally).
  More than REBUILD_AFTER changes (a big import) build the engine again instead.
* `offering_changed(pk)` notes an offering this process changed, so it is caught up even when the change
  leaves the version as it was.

Several web processes each keep their own engine and catch up by the version. `reset()` forgets the
engine (tests).
"""

import threading
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from kompetansebro.matching.documents import matchable_offerings, offering_documents
from kompetansebro.matching.engine.engine import MatchEngine
from kompetansebro.offerings.models import Offering

REBUILD_AFTER = 2000


@dataclass(frozen=True)
class CatalogueVersion:
    count: int
    max_pk: int | None
    updated: datetime | None


@dataclass
class _State:
    engine: MatchEngine | None = None
    version: CatalogueVersion | None = None
    pending: set[int] | None = None


_state = _State(pending=set())
_lock = threading.RLock()


def catalogue_version() -> CatalogueVersion:
    values = Offering.objects.aggregate(count=Count("pk"), max_pk=Max("pk"), updated=Max("updated_at"))
    return CatalogueVersion(values["count"], values["max_pk"], values["updated"])


def get_engine() -> MatchEngine:
    """The engine for the catalogue as it is now (one query when nothing changed)."""
    version = catalogue_version()
    with _lock:
        if _state.engine is None:
            _build(version)
        elif version != _state.version or _state.pending:
            _catch_up(version)
        return _state.engine


def rebuild() -> MatchEngine:
    """Build the engine again from the database (a full rematch after imports does this)."""
    with _lock:
        _build(catalogue_version())
        return _state.engine


def is_built() -> bool:
    return _state.engine is not None


def offering_changed(pk: int) -> None:
    """This process created, changed or deleted the offering: the next get_engine() takes it in."""
    with _lock:
        if _state.engine is not None:
            _state.pending.add(pk)


def reset() -> None:
    with _lock:
        _state.engine, _state.version, _state.pending = None, None, set()


def _build(version: CatalogueVersion) -> None:
    _state.engine = MatchEngine(offering_documents())
    _state.version = version
    _state.pending = set()


def _catch_up(version: CatalogueVersion) -> None:
    engine, known = _state.engine, _state.version
    changed = set(_state.pending)
    if known.updated is not None:
        changed |= set(Offering.objects.filter(updated_at__gte=known.updated).values_list("pk", flat=True))
    else:
        changed |= set(Offering.objects.values_list("pk", flat=True))
    matchable = set(matchable_offerings().values_list("pk", flat=True))
    in_engine = {int(offering.id) for offering in engine.offerings}
    removals = in_engine - matchable
    upserts = (changed & matchable) | (matchable - in_engine)
    if len(upserts) + len(removals) > REBUILD_AFTER:
        _build(version)
        return
    documents = offering_documents(Offering.objects.filter(pk__in=upserts)) if upserts else []
    engine.update_offerings(documents, [str(pk) for pk in removals])
    _state.version = version
    _state.pending = set()
