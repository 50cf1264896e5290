"""What the meeting, case and forum pages show of notices, decisions, minutes and calendars."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from kompetansebro.forums.models import Decision, MeetingStatus, Minutes, MinutesStatus
from kompetansebro.forums.services.decisions import DECIDING_STATUSES

register = template.Library()


@dataclass
class MeetingRecord:
    can_manage: bool
    has_started: bool
    latest: Minutes | None
    has_approved: bool
    sees_drafts: bool

    @property
    def locked(self) -> bool:
        return self.latest is not None and self.latest.is_locked

    @property
    def shows_minutes(self) -> bool:
        return self.has_approved or (self.sees_drafts and self.latest is not None)


@register.simple_tag
def meeting_record(meeting, user) -> MeetingRecord:
    """The meeting's minutes and what the person may do next. One query."""
    versions = list(Minutes.objects.filter(meeting=meeting).order_by("-number").only("pk", "number", "status"))
    return MeetingRecord(
        can_manage=user.has_perm("forums.manage_forum", meeting),
        has_started=meeting.starts_at <= timezone.now(),
        latest=versions[0] if versions else None,
        has_approved=any(version.status == MinutesStatus.APPROVED for version in versions),
        sees_drafts=user.has_perm("forums.view_draft_minutes", meeting),
    )


@register.simple_tag
def case_decision(case) -> Decision | None:
    """The case's decision, or None. One query."""
    return Decision.objects.filter(case=case).first()


@register.simple_tag
def may_record_decision(case, user) -> bool:
    return user.has_perm("forums.manage_forum", case) and case.meeting.status in DECIDING_STATUSES


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.filter
def is_planned_or_noticed(meeting) -> bool:
    return meeting.status in (MeetingStatus.PLANNED, MeetingStatus.NOTICE_SENT)
