"""Every follow-up task URL × every persona: allowed, forbidden (403), sent to log in, or not found (404: a forum
that is not public is never revealed to those who may not see it, unless they are responsible for the task).

Columns follow conftest.PERSONAS:
  anonymous, outsider, company_member, holtalen_contact, holtalen_admin, ntnu_admin, secretariat_sor,
  county_observer, platform_admin
Codes: O = allowed, F = forbidden (403), L = sent to the login page, N = not found (404), M = method not allowed
(405: marking done is a POST only, refused before anything else is looked at).

The forum is owned by the regional council in Trøndelag Sør, so the region's secretariat manages it; Holtålen's
contact person sits in it as a member (sees the task list, manages nothing). The task is Holtålen's
(responsible organisation), so Holtålen's contact person and admin may mark it done — the admin without being a
member. The county observer has a role on the county-level region only, not the forum's region.
"""

import pytest
from django.urls import get_resolver, reverse

from kompetansebro.forums.models import MemberRole
from tests.conftest import PERSONAS
from tests.forum_factories import AgendaCaseFactory, FollowUpTaskFactory, ForumFactory, ForumMembershipFactory
from tests.test_permissions import outcome


def forum_of(world, *, public=True):
    forum = ForumFactory(owner=world.council, region=world.region, is_public=public)
    ForumMembershipFactory(forum=forum, person=world.users["holtalen_contact"], role=MemberRole.MEMBER)
    return forum


def holtalen_task(world, *, public=True):
    return FollowUpTaskFactory(
        forum=forum_of(world, public=public), responsible_person=None, responsible_organisation=world.holtalen
    )


def someone_elses_task(world, *, public=True):
    return FollowUpTaskFactory(forum=forum_of(world, public=public))


def forum_url(name, *, public=True, query=""):
    return lambda w: reverse(name, args=[forum_of(w, public=public).slug]) + query


def task_url(name, task_of=holtalen_task, *, public=True):
    def make(w):
        task = task_of(w, public=public)
        return reverse(name, args=[task.forum.slug, task.pk])

    return make


def case_of_other_forum(world):
    forum = forum_of(world)
    case = AgendaCaseFactory()
    return reverse("forums:task_create", args=[forum.slug]) + f"?case={case.pk}"


def case_of_this_forum(world):
    case = AgendaCaseFactory(meeting__forum=forum_of(world))
    return reverse("forums:task_create", args=[case.forum.slug]) + f"?case={case.pk}"


INSIDERS = "L F F O F F O F O"
INSIDERS_PRIVATE = "L N N O N N O N O"
MANAGERS = "L F F F F F O F O"
MANAGERS_PRIVATE = "L N N N N N O N O"

MATRIX = [
    ("forums:tasks", "get", forum_url("forums:tasks"), INSIDERS),
    ("forums:tasks", "get", forum_url("forums:tasks", query="?vis=done"), INSIDERS),
    ("forums:tasks", "get", forum_url("forums:tasks", public=False), INSIDERS_PRIVATE),
    ("forums:tasks", "get", lambda w: reverse("forums:tasks", args=["finnes-ikke"]), "L N N N N N N N N"),
    ("forums:task_create", "get", forum_url("forums:task_create"), MANAGERS),
    ("forums:task_create", "post", forum_url("forums:task_create"), MANAGERS),
    ("forums:task_create", "get", forum_url("forums:task_create", public=False), "L N N F N N O N O"),
    ("forums:task_create", "post", forum_url("forums:task_create", public=False), "L N N F N N O N O"),
    ("forums:task_create", "get", case_of_this_forum, MANAGERS),
    ("forums:task_create", "get", case_of_other_forum, "L F F F F F N F N"),
    ("forums:task_edit", "get", task_url("forums:task_edit"), MANAGERS),
    ("forums:task_edit", "post", task_url("forums:task_edit"), MANAGERS),
    # Holtålen's admin is responsible for the task, so the private forum's task is not hidden from them.
    ("forums:task_edit", "get", task_url("forums:task_edit", public=False), "L N N F F N O N O"),
    ("forums:task_edit", "post", task_url("forums:task_edit", public=False), "L N N F F N O N O"),
    (
        "forums:task_edit",
        "get",
        lambda w: reverse("forums:task_edit", args=["finnes-ikke", 999999]),
        "L N N N N N N N N",
    ),
    ("forums:task_done", "post", task_url("forums:task_done"), "L F F O O F O F O"),
    ("forums:task_done", "post", task_url("forums:task_done", public=False), "L N N O O N O N O"),
    ("forums:task_done", "post", task_url("forums:task_done", someone_elses_task), "L F F F F F O F O"),
    ("forums:task_done", "post", task_url("forums:task_done", someone_elses_task, public=False), "L N N F N N O N O"),
    ("forums:task_done", "get", task_url("forums:task_done"), "M M M M M M M M M"),
    ("forums:tasks_overdue", "get", lambda w: reverse("forums:tasks_overdue"), "L O O O O O O O O"),
]

CASES = [
    pytest.param(method, url_of, persona, expected, id=f"{name}-{row}-{persona}")
    for row, (name, method, url_of, codes) in enumerate(MATRIX)
    for persona, expected in zip(PERSONAS, codes.split(), strict=True)
]


@pytest.mark.parametrize(("method", "url_of", "persona", "expected"), CASES)
def test_permission_matrix(world, client_for, method, url_of, persona, expected):
    target = url_of(world)
    client = client_for(persona)
    response = client.get(target) if method == "get" else client.post(target, {})
    assert ("M" if response.status_code == 405 else outcome(response)) == expected


def test_matrix_covers_every_task_view():
    """A new task URL without a row in the matrix fails here, so nobody forgets its permissions."""
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace == "forums":
            names |= {
                f"forums:{key}" for key in resolver.reverse_dict if isinstance(key, str) and key.startswith("task")
            }
    covered = {name for name, *_ in MATRIX}
    assert names
    assert names - covered == set()
