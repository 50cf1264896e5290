"""Who may see and run forums, meetings, cases, minutes and follow-up tasks.

Decisions (issue 5):
- A public forum, its members, meetings, open cases, attachments of open cases and approved minutes: everyone.
  A forum that is not public: its members, everyone with a role in its region, and its managers; others get 404.
- Closed (exempt) cases with a legal basis and their attachments (issue 11 item 12, Norwegian practice): the
  forum's managers and its current chair, deputy chair, members and secretariat; a deputy member only for a
  meeting they are called in to (the meeting's attendance has them attending for a member); observers — seated
  in the forum or with a role in its region — never, nor the public.
- Managing a forum (its details, members, meetings, agendas, cases, attachments, decisions, attendance,
  minutes, notices and tasks): the platform admin, the forum's own secretariat members, the secretariat of
  the forum's region and the administrators of the owner organisation.
- Creating a forum: the platform admin and every region secretariat (for a forum in their region).
- The forum's history (it holds the changes of every case, closed ones too): managers and full seats, not
  deputies or observers.
- Draft minutes and the task list: members and managers. Marking a task done: managers and the person
  responsible (or members of the responsible organisation).
"""

import rules

from kompetansebro.forums.access import forum_access
from kompetansebro.forums.models import Forum, Meeting
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import has_role_in_region, is_any_secretariat, is_platform_admin


def forum_of(obj) -> Forum | None:
    """The forum of a forum, meeting, case, attachment, minutes or task."""
    if obj is None or isinstance(obj, Forum):
        return obj
    if hasattr(obj, "forum"):
        return obj.forum
    if hasattr(obj, "case"):
        return obj.case.forum
    return obj.meeting.forum


@rules.predicate
def is_public_forum(user, obj) -> bool:
    forum = forum_of(obj)
    return forum is not None and forum.is_public


@rules.predicate
def is_forum_member(user, obj) -> bool:
    forum = forum_of(obj)
    return forum is not None and forum.pk in forum_access(user).member_forum_ids


@rules.predicate
def has_role_in_forum_region(user, obj) -> bool:
    forum = forum_of(obj)
    return forum is not None and forum.region_id is not None and has_role_in_region(user, forum.region)


@rules.predicate
def is_forum_manager(user, obj) -> bool:
    forum = forum_of(obj)
    if forum is None:
        return False
    profile = access_profile(user)
    return (
        forum.pk in forum_access(user).secretariat_forum_ids
        or (forum.region_id is not None and forum.region_id in profile.secretariat_region_ids)
        or forum.owner_id in profile.admin_org_ids
    )


@rules.predicate
def has_full_seat(user, obj) -> bool:
    """A current seat that gets every meeting's exempt papers: not a deputy's, not an observer's."""
    forum = forum_of(obj)
    return forum is not None and forum.pk in forum_access(user).full_seat_forum_ids


@rules.predicate
def is_called_in_deputy(user, obj) -> bool:
    """A deputy called in to the meeting (of a meeting or a case): they get that meeting's exempt papers."""
    meeting_id = obj.pk if isinstance(obj, Meeting) else getattr(obj, "meeting_id", None)
    return meeting_id is not None and meeting_id in forum_access(user).called_in_meeting_ids


@rules.predicate
def is_closed_case(user, case) -> bool:
    return case is not None and case.is_closed


@rules.predicate
def is_responsible_for_task(user, task) -> bool:
    if task is None:
        return False
    if task.responsible_person_id is not None and task.responsible_person_id == getattr(user, "pk", None):
        return True
    return task.responsible_organisation_id in access_profile(user).member_org_ids


manages = is_platform_admin | is_forum_manager
sees_forum = is_public_forum | is_forum_member | has_role_in_forum_region | manages
insider = is_forum_member | manages
sees_exempt_papers = has_full_seat | is_called_in_deputy | manages

rules.add_perm("forums.view_forum", sees_forum)
rules.add_perm("forums.add_forum", is_platform_admin | is_any_secretariat)
rules.add_perm("forums.manage_forum", manages)
rules.add_perm("forums.view_meeting", sees_forum)
rules.add_perm("forums.view_case", sees_forum & (~is_closed_case | sees_exempt_papers))
rules.add_perm("forums.view_closed_cases", sees_exempt_papers)
rules.add_perm("forums.view_draft_minutes", insider)
rules.add_perm("forums.view_tasks", insider)
rules.add_perm("forums.complete_task", manages | is_responsible_for_task)
rules.add_perm("forums.view_history", has_full_seat | manages)
