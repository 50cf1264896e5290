"""Start-page items: follow-up tasks for me or my organisations, and draft minutes in the forums I sit in."""

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.forums.models import FollowUpTask, ForumMembership, MemberRole, Minutes, MinutesStatus
from kompetansebro.organisations.access import access_profile

MINUTES_READERS = (MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.MEMBER, MemberRole.SECRETARIAT)


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    tasks = FollowUpTask.objects.filter(
        Q(responsible_person=user) | Q(responsible_organisation_id__in=profile.member_org_ids), done_at__isnull=True
    ).select_related("forum")
    items = [
        WorkItem(
            kind=_("Follow-up task"),
            title=task.title,
            url=reverse("forums:tasks", args=[task.forum.slug]),
            deadline=task.due_on,
            context=task.forum.name,
        )
        for task in tasks
    ]
    seats = ForumMembership.objects.filter(person=user, role__in=MINUTES_READERS, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    drafts = Minutes.objects.filter(
        status=MinutesStatus.DRAFT, meeting__forum_id__in=seats.values("forum_id")
    ).select_related("meeting__forum")
    items += [
        WorkItem(
            kind=_("Draft minutes to read"),
            title=draft.meeting.title or date_format(localtime(draft.meeting.starts_at), "SHORT_DATE_FORMAT"),
            url=reverse("forums:minutes", args=[draft.meeting.forum.slug, draft.meeting_id]),
            context=draft.meeting.forum.name,
        )
        for draft in drafts
    ]
    return items
