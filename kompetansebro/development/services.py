"""Every change to development requests: validated, atomic, recorded in the history; e-mail after commit.

Callers decide permissions with development/rules.py first; these functions check that the data and the
step are valid. Needs move only through the needs services, each move recorded with its cause: sending moves
a need only where the life cycle allows the move directly; a provider's answer and a linked (or later running)
offering are evidence, so needs walk forward to "in dialogue", "offer being adapted" or "offer running"
(needs.services.need_advance: never back, never out of a final state, never past an unreviewed "registered").
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kompetansebro.accounts.models import User
from kompetansebro.audit.services import log_action, model_label, neutral_text
from kompetansebro.competences.models import DeliveryMode, Level
from kompetansebro.core.versioning import save_versioned
from kompetansebro.development.models import (
    OPEN_REQUEST_STATUSES,
    AnswerKind,
    DevelopmentRequest,
    ProviderAnswer,
    RequestNeed,
    RequestStatus,
)
from kompetansebro.geography.models import Region
from kompetansebro.needs.models import NEXT_STATUSES, CompetenceNeed, NeedStatus
from kompetansebro.needs.services import need_advance, need_change_status
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.organisations.models import Organisation, OrganisationKind


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_providers(providers: list[Organisation]) -> None:
    if not providers:
        raise ValidationError({"providers": _("Choose at least one education provider to send the request to.")})
    wrong = [p.name for p in providers if p.kind != OrganisationKind.EDUCATION_PROVIDER or not p.is_active]
    if wrong:
        raise ValidationError(
            {
                "providers": _("Only active education providers can receive a request. Not a provider: %(names)s.")
                % {"names": ", ".join(sorted(wrong))}
            }
        )


def _check_deadline(deadline: datetime.date | None) -> None:
    if deadline is None:
        raise ValidationError({"answer_deadline": _("Choose the deadline for answers.")})
    if deadline < timezone.localdate():
        raise ValidationError({"answer_deadline": _("The deadline for answers cannot be in the past.")})


def _check_needs(region: Region, needs: list[CompetenceNeed]) -> None:
    if not needs:
        raise ValidationError({"needs": _("Attach at least one competence need.")})
    region_municipalities = set(region.municipalities.values_list("pk", flat=True))
    outside = [need.title for need in needs if need.municipality_id not in region_municipalities]
    if outside:
        raise ValidationError(
            {
                "needs": _("Only needs in the region's municipalities can be attached. Outside: %(titles)s.")
                % {"titles": ", ".join(sorted(outside))}
            }
        )


def request_create(
    *,
    actor,
    region: Region,
    title: str,
    description: str,
    answer_deadline: datetime.date,
    needs: Iterable[CompetenceNeed],
    providers: Iterable[Organisation],
    wanted_level: str = "",
    wanted_delivery: Iterable[str] = (),
    wanted_start: datetime.date | None = None,
) -> DevelopmentRequest:
    """A draft request for `needs` (from a gap group or chosen one by one) to `providers`; send it with
    request_send."""
    needs, providers = list(needs), list(providers)
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the request a title.")]
    if not description:
        errors["description"] = [_("Describe what you want the providers to offer.")]
    if wanted_level and wanted_level not in Level.values:
        errors["wanted_level"] = [_("Choose a valid level.")]
    wanted_delivery = [code for code in DeliveryMode.values if code in set(wanted_delivery)]
    for check, args in (
        (_check_deadline, (answer_deadline,)),
        (_check_providers, (providers,)),
        (_check_needs, (region, needs)),
    ):
        try:
            check(*args)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = DevelopmentRequest.objects.create(
            region=region,
            title=title,
            description=description,
            wanted_level=wanted_level or "",
            wanted_delivery=wanted_delivery,
            wanted_start=wanted_start,
            answer_deadline=answer_deadline,
            status=RequestStatus.DRAFT,
            created_by=_actor(actor),
        )
        RequestNeed.objects.bulk_create([RequestNeed(request=request, need=need) for need in needs])
        ProviderAnswer.objects.bulk_create([ProviderAnswer(request=request, provider=p) for p in providers])
        log_action(
            actor=actor,
            action="development.request.created",
            target=request,
            data={
                "needs": sorted(need.pk for need in needs),
                "providers": sorted(provider.name for provider in providers),
            },
        )
    return request


def _locked(request: DevelopmentRequest) -> DevelopmentRequest:
    return DevelopmentRequest.objects.select_for_update().get(pk=request.pk)


def _request_needs(request: DevelopmentRequest) -> list[CompetenceNeed]:
    return list(CompetenceNeed.objects.filter(development_links__request=request).order_by("pk"))


def _move_needs(*, actor, request: DevelopmentRequest, to_status: str, cause: str) -> int:
    """Move the request's needs to `to_status` where NEXT_STATUSES allows it directly; returns how many moved."""
    moved = 0
    for need in _request_needs(request):
        if to_status in NEXT_STATUSES.get(NeedStatus(need.status), []):
            need_change_status(actor=actor, need=need, to_status=to_status, cause=cause, cause_object=request.title)
            moved += 1
    return moved


def _advance_needs(*, actor, request: DevelopmentRequest, to_status: str, cause: str, cause_object: str) -> int:
    """Walk the request's needs forward to `to_status` (need_advance); returns how many needs moved."""
    moved = 0
    for need in _request_needs(request):
        if need_advance(actor=actor, need=need, to_status=to_status, cause=cause, cause_object=cause_object):
            moved += 1
    return moved


def _offering_need_status(offering: Offering) -> str:
    """Where a linked offering puts the needs: "offer running" once it is open or running."""
    running = offering.status in (OfferingStatus.OPEN, OfferingStatus.RUNNING)
    return NeedStatus.OFFER_RUNNING if running else NeedStatus.BEING_ADAPTED


def provider_recipients(provider_ids) -> dict[int, list[User]]:
    """The active members (any role) of each provider, sorted by e-mail. Two queries."""
    rows = User.objects.filter(is_active=True, memberships__organisation_id__in=list(provider_ids)).values_list(
        "pk", "memberships__organisation_id"
    )
    ids_by_provider: dict[int, set[int]] = {}
    for user_id, provider_id in rows:
        ids_by_provider.setdefault(provider_id, set()).add(user_id)
    people = User.objects.in_bulk({user_id for ids in ids_by_provider.values() for user_id in ids})
    return {
        provider_id: sorted(
            (people[i] for i in ids_by_provider.get(provider_id, ()) if i in people), key=lambda u: u.email
        )
        for provider_id in provider_ids
    }


def _request_url(request: DevelopmentRequest) -> str:
    return settings.SITE_URL.rstrip("/") + request.get_absolute_url()


def _send_request_mail(user: User, request: DevelopmentRequest, provider: Organisation) -> None:
    with translation.override(user.language):
        context = {"user": user, "request": request, "provider": provider, "request_url": _request_url(request)}
        subject = render_to_string("development/email/request_sent_subject.txt", context).strip()
        body = render_to_string("development/email/request_sent.txt", context)
    send_mail(subject, body, None, [user.email])


def _send_answer_mail(user: User, answer: ProviderAnswer) -> None:
    with translation.override(user.language):
        context = {
            "user": user,
            "answer": answer,
            "request": answer.request,
            "request_url": _request_url(answer.request),
        }
        subject = render_to_string("development/email/answered_subject.txt", context).strip()
        body = render_to_string("development/email/answered.txt", context)
    send_mail(subject, body, None, [user.email])


def request_send(*, actor, request: DevelopmentRequest) -> int:
    """Send a draft to its providers: e-mail to every member of each, and its needs that were presented in the
    forum move on to "in dialogue with providers". Returns how many needs moved."""
    with transaction.atomic():
        current = _locked(request)
        if current.status != RequestStatus.DRAFT:
            raise ValidationError(_("This request has already been sent."))
        _check_deadline(current.answer_deadline)
        answers = list(ProviderAnswer.objects.filter(request=current).select_related("provider"))
        _check_providers([answer.provider for answer in answers])
        if not RequestNeed.objects.filter(request=current).exists():
            raise ValidationError({"needs": _("Attach at least one competence need.")})
        request.status = RequestStatus.SENT
        request.sent_at = timezone.now()
        request.version = current.version + 1
        request.save(update_fields=["status", "sent_at", "version", "updated_at"])
        moved = _move_needs(
            actor=actor,
            request=request,
            to_status=NeedStatus.IN_DIALOGUE,
            cause=gettext_noop("development request sent to the providers"),
        )
        recipients = provider_recipients([answer.provider_id for answer in answers])
        for answer in answers:
            for person in recipients.get(answer.provider_id, []):
                transaction.on_commit(
                    lambda person=person, provider=answer.provider: _send_request_mail(person, request, provider)
                )
        log_action(
            actor=actor,
            action="development.request.sent",
            target=request,
            data={"providers": sorted(answer.provider.name for answer in answers), "needs_moved": moved},
        )
    return moved


def answer_for(request: DevelopmentRequest, provider: Organisation) -> ProviderAnswer:
    return ProviderAnswer.objects.select_related("request", "provider").get(request=request, provider=provider)


def request_answer(
    *,
    actor,
    answer: ProviderAnswer,
    kind: str,
    expected_version: int,
    reason: str = "",
    planned_start: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    existing_offering: Offering | None = None,
) -> ProviderAnswer:
    """A provider's answer (or a changed answer) to a sent request. The request is in dialogue from the first
    answer and answered when every provider has; an answer that adapts or develops a programme moves the
    request's needs to "in dialogue with providers". Raises ConcurrentEditError when someone else answered for
    the provider after `expected_version` was read."""
    request = answer.request
    reason = (reason or "").strip()
    errors = {}
    if request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError(_("This request is not open for answers."))
    if kind not in AnswerKind.values:
        errors["kind"] = [_("Choose an answer.")]
    if kind == AnswerKind.CANNOT and not reason:
        errors["reason"] = [_("Write why you cannot offer this.")]
    if kind in (AnswerKind.ADAPT, AnswerKind.NEW) and planned_start is None:
        errors["planned_start"] = [_("Give the planned start.")]
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = [_("The planned end cannot be before the planned start.")]
    if kind != AnswerKind.ADAPT:
        existing_offering = None
    elif existing_offering is not None and existing_offering.provider_id != answer.provider_id:
        errors["existing_offering"] = [_("Choose one of your own programmes.")]
    if errors:
        raise ValidationError(errors)
    if kind == AnswerKind.CANNOT:
        planned_start = planned_end = None
    before_kind = answer.kind
    with transaction.atomic():
        answer.kind = kind
        answer.reason = reason
        answer.planned_start = planned_start
        answer.planned_end = planned_end
        answer.existing_offering = existing_offering
        answer.answered_by = _actor(actor)
        answer.answered_at = timezone.now()
        save_versioned(
            answer,
            expected_version=expected_version,
            update_fields=[
                "kind",
                "reason",
                "planned_start",
                "planned_end",
                "existing_offering",
                "answered_by",
                "answered_at",
            ],
        )
        current = _locked(request)
        before_status = current.status
        if not ProviderAnswer.objects.filter(request=current, kind="").exists():
            request.status = RequestStatus.ANSWERED
        elif current.status == RequestStatus.SENT:
            request.status = RequestStatus.IN_DIALOGUE
        if request.status != before_status:
            request.version = current.version + 1
            request.save(update_fields=["status", "version", "updated_at"])
        moved = 0
        if answer.may_get_offering:
            moved = _advance_needs(
                actor=actor,
                request=request,
                to_status=NeedStatus.IN_DIALOGUE,
                cause=gettext_noop("a provider's answer to the development request"),
                cause_object=f"{request.title} ({answer.provider.name})",
            )
        log_action(
            actor=actor,
            action="development.request.answered",
            target=request,
            changes={
                "answer": {
                    "old": before_kind or None,
                    "new": kind,
                    "model": model_label(ProviderAnswer),
                    "field": "kind",
                    "object": answer.provider.name,
                },
                **(
                    {"status": {"old": before_status, "new": request.status, "model": model_label(DevelopmentRequest)}}
                    if request.status != before_status
                    else {}
                ),
            },
            data={
                "provider": answer.provider.name,
                "needs_moved": moved,
                "reason": reason,
                "planned_start": planned_start.isoformat() if planned_start else None,
                "planned_end": planned_end.isoformat() if planned_end else None,
            },
        )
        if request.created_by_id and request.created_by.is_active and request.created_by.email:
            person = request.created_by
            transaction.on_commit(lambda: _send_answer_mail(person, answer))
    return answer


def request_link_offering(*, actor, answer: ProviderAnswer, offering: Offering) -> int:
    """Link the offering the provider registered (new or adapted) to its answer, once. The request's needs
    walk on: to "offer running" when the offering is open for applications or running, otherwise to "offer
    being adapted or developed" (offering_started moves them on when it opens). Returns how many needs moved."""
    request = answer.request
    if request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError(_("Offerings can only be linked while the request is open."))
    if not answer.may_get_offering:
        raise ValidationError(
            {"offering": _("Only an answer that adapts or develops a programme can get a linked offering.")}
        )
    if offering is None:
        raise ValidationError({"offering": _("Choose the offering.")})
    if offering.provider_id != answer.provider_id:
        raise ValidationError(
            {"offering": _("The offering must belong to %(provider)s.") % {"provider": answer.provider.name}}
        )
    with transaction.atomic():
        locked = ProviderAnswer.objects.select_for_update().get(pk=answer.pk)
        if locked.linked_offering_id is not None:
            raise ValidationError({"offering": _("An offering is already linked to this answer.")})
        answer.linked_offering = offering
        answer.linked_by = _actor(actor)
        answer.linked_at = timezone.now()
        answer.version = locked.version + 1
        answer.save(update_fields=["linked_offering", "linked_by", "linked_at", "version"])
        moved = _advance_needs(
            actor=actor,
            request=request,
            to_status=_offering_need_status(offering),
            cause=gettext_noop("an offering linked to the development request"),
            cause_object=f"{offering.title} ({request.title})",
        )
        log_action(
            actor=actor,
            action="development.request.offering_linked",
            target=request,
            changes={
                "linked_offering": {
                    "old": None,
                    "new": neutral_text(offering),
                    "model": model_label(ProviderAnswer),
                    "object": answer.provider.name,
                }
            },
            data={"provider": answer.provider.name, "offering": offering.pk, "needs_moved": moved},
        )
    return moved


def offering_started(*, actor, offering: Offering) -> int:
    """The offering opened for applications or started: the needs of the open requests it is linked to move
    on to "offer running". Called by offerings.services when the offering's status changes. Returns how many
    needs moved."""
    if _offering_need_status(offering) != NeedStatus.OFFER_RUNNING:
        return 0
    moved = 0
    requests = DevelopmentRequest.objects.filter(
        answers__linked_offering=offering, status__in=OPEN_REQUEST_STATUSES
    ).distinct()
    for request in requests.order_by("pk"):
        moved += _advance_needs(
            actor=actor,
            request=request,
            to_status=NeedStatus.OFFER_RUNNING,
            cause=gettext_noop("the linked offering opened or started"),
            cause_object=f"{offering.title} ({request.title})",
        )
    return moved


def request_close(*, actor, request: DevelopmentRequest, reason: str = "") -> DevelopmentRequest:
    """Close the request (done, or no longer wanted); its needs keep their status."""
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked(request)
        if current.status == RequestStatus.CLOSED:
            raise ValidationError(_("This request is already closed."))
        before = current.status
        request.status = RequestStatus.CLOSED
        request.close_reason = reason
        request.closed_at = timezone.now()
        request.version = current.version + 1
        request.save(update_fields=["status", "close_reason", "closed_at", "version", "updated_at"])
        log_action(
            actor=actor,
            action="development.request.closed",
            target=request,
            changes={"status": {"old": before, "new": request.status, "model": model_label(DevelopmentRequest)}},
            data={"reason": reason},
        )
    return request
