"""The work items on a person's start page ("Min side"), gathered from every app through one registry.

Each app registers a source, `work_items(user, today) -> list[WorkItem]`, in its own `work.py`; core imports
those modules at start-up, so a new app adds its items without touching the page. A source must make a fixed
number of queries however many items it returns: the start page is the most visited page."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class WorkItem:
    kind: str
    title: str
    url: str
    deadline: date | None = None
    context: str = ""
    # True for what waits for others (a secretariat's view of its region), shown in a list of its own.
    for_others: bool = False
    overdue: bool = False


WorkSource = Callable[[object, date], Iterable[WorkItem]]
_sources: list[WorkSource] = []


def register_work_source(source: WorkSource) -> WorkSource:
    """Usable as a decorator in an app's work.py."""
    if source not in _sources:
        _sources.append(source)
    return source


def discover_work_sources() -> None:
    autodiscover_modules("work")


def work_items(user, today: date) -> list[WorkItem]:
    """Overdue first, then by deadline, undated last."""
    items = [
        replace(item, overdue=item.deadline is not None and item.deadline < today)
        for source in _sources
        for item in source(user, today)
    ]
    return sorted(items, key=lambda item: (not item.overdue, item.deadline is None, item.deadline or today))
