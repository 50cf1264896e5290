"""Seats that are ended, never deleted: forum memberships and project group memberships keep their history."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import log_action, model_label


def end_seat(
    *,
    actor,
    seat: models.Model,
    owner: models.Model,
    action: str,
    record: Callable[[models.Model], dict],
    ends_on: datetime.date | None = None,
):
    """End `seat` on `ends_on` (today if not given), under a lock on its `owner` (the forum or project), and
    record it in the owner's history under the person's name, with `record(seat)` as its data."""
    ends_on = ends_on or timezone.localdate()
    with transaction.atomic():
        type(owner).objects.select_for_update().get(pk=owner.pk)
        current = type(seat).objects.get(pk=seat.pk)
        if current.ends_on is not None and current.ends_on < timezone.localdate():
            raise ValidationError(_("This seat has already ended."))
        if ends_on < current.starts_on:
            raise ValidationError({"ends_on": _("The seat cannot end before it starts.")})
        before = current.ends_on
        seat.ends_on = ends_on
        seat.save(update_fields=["ends_on"])
        log_action(
            actor=actor,
            action=action,
            target=owner,
            changes={
                "ends_on": {
                    "old": before.isoformat() if before else None,
                    "new": ends_on.isoformat(),
                    "model": model_label(type(seat)),
                    "object": seat.person.get_full_name(),
                }
            },
            data=record(seat),
        )
    return seat
