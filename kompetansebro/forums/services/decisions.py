"""Recording what the forum decided in a case: the recommendation as proposed, or amended text; optional
votes and dissent. Only once the notice is sent (or the meeting held), and never while the minutes are
approved and locked."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.forums.documents import current_seats
from kompetansebro.forums.models import AgendaCase, Decision, ForumMembership, Meeting, MeetingStatus, MemberRole
from kompetansebro.forums.services.minutes import actor_or_none, check_not_locked, lock_meeting, meeting_day

DECISION_FIELDS = ["text", "as_recommended", "votes_for", "votes_against", "votes_abstaining", "dissent"]
DECIDING_STATUSES = (MeetingStatus.NOTICE_SENT, MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)


def voting_members(meeting: Meeting) -> int:
    """How many seats may vote at the meeting: members with decision authority, deputies not counted (they
    vote only in a member's place)."""
    return (
        ForumMembership.objects.filter(current_seats(meeting.forum_id, meeting_day(meeting)))
        .filter(may_decide=True)
        .filter(~Q(role__in=[MemberRole.DEPUTY, MemberRole.OBSERVER, MemberRole.SECRETARIAT]))
        .count()
    )


def decision_record(
    *,
    actor,
    case: AgendaCase,
    as_recommended: bool,
    text: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstaining: int | None = None,
    dissent: str = "",
) -> Decision:
    text, dissent = (text or "").strip(), (dissent or "").strip()
    meeting = case.meeting
    errors: dict[str, list] = {}
    if as_recommended:
        if not case.recommendation.strip():
            errors["as_recommended"] = [
                _("The case has no recommendation to adopt. Choose “amended” and write the decision.")
            ]
        text = case.recommendation.strip()
    elif not text:
        errors["text"] = [_("Write the decision.")]
    votes = {"votes_for": votes_for, "votes_against": votes_against, "votes_abstaining": votes_abstaining}
    for name, value in votes.items():
        if value is not None and value < 0:
            errors[name] = [_("The number of votes cannot be negative.")]
    counted = [value for value in votes.values() if value is not None and value >= 0]
    if counted and not errors:
        total, allowed = sum(counted), voting_members(meeting)
        if total > allowed:
            errors["votes_for"] = [
                _("The votes add up to %(total)s, but the forum has only %(allowed)s members who may decide.")
                % {"total": total, "allowed": allowed}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = lock_meeting(meeting)
        if stored.status not in DECIDING_STATUSES:
            raise ValidationError(_("Decisions can be recorded when the notice of the meeting has been sent."))
        check_not_locked(meeting)
        decision = Decision.objects.select_for_update().filter(case=case).first()
        before = snapshot(decision, DECISION_FIELDS) if decision else {}
        if decision is None:
            decision = Decision(case=case)
        decision.text = text
        decision.as_recommended = as_recommended
        decision.votes_for = votes_for
        decision.votes_against = votes_against
        decision.votes_abstaining = votes_abstaining
        decision.dissent = dissent
        decision.recorded_by = actor_or_none(actor)
        decision.save()
        changes = diff(before, snapshot(decision, DECISION_FIELDS), model=Decision)
        log_action(
            actor=actor,
            action="forums.case.decision_changed" if before else "forums.case.decided",
            target=case,
            changes=changes,
            data={"meeting": meeting.pk},
        )
    return decision
