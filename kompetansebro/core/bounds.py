"""Sensible limits for money, hourly rates and dates, from their context. Forms, services and the API share
them, so that absurd values (kr 99 999 999 999 on a kr 15 000 budget line, costs dated years outside their
project, a kr 0 hourly rate, a priority asking more than the round's whole frame) are refused with a message
that says what is allowed. Each function returns that message, or None when the value is fine."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompetansebro.core.money import format_nok

# No single amount here (a frame, a budget line, a cost, a payment) comes near kr 1 000 000 000.
MAX_AMOUNT = Decimal("1000000000")
# An hour of own work is counted at some hundred kroner; kr 10 000 is far above any real rate.
MAX_HOURLY_RATE = Decimal("10000")
# Hours of own work in one financing line: 100 000 hours is some 60 person-years.
MAX_HOURS = Decimal("100000")
# A cost above this many times its budget line is saved, with a warning to check it.
COST_WARNING_FACTOR = 3


def amount_error(amount: Decimal | None) -> str | None:
    """Above MAX_AMOUNT either way (a correction may be negative)."""
    if amount is not None and abs(Decimal(amount)) > MAX_AMOUNT:
        return _("The amount cannot be more than %(max)s.") % {"max": format_nok(MAX_AMOUNT)}
    return None


def validate_amount(amount: Decimal | None) -> None:
    """amount_error() as a form field validator."""
    if error := amount_error(amount):
        raise ValidationError(error, code="max_value")


def validate_hourly_rate(rate: Decimal | None) -> None:
    """hourly_rate_error() as a form field validator."""
    if error := hourly_rate_error(rate):
        raise ValidationError(error, code="hourly_rate")


def hourly_rate_error(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    if Decimal(rate) <= 0:
        return _("The hourly rate must be more than kr 0.")
    if Decimal(rate) > MAX_HOURLY_RATE:
        return _("The hourly rate cannot be more than %(max)s.") % {"max": format_nok(MAX_HOURLY_RATE)}
    return None


def hours_error(hours: Decimal | None) -> str | None:
    if hours is not None and Decimal(hours) > MAX_HOURS:
        return _("The number of hours cannot be more than %(max)s.") % {"max": f"{MAX_HOURS:,.0f}".replace(",", "\xa0")}
    return None


def _day(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


def date_in_period_error(
    day: datetime.date | None, *, starts_on: datetime.date | None, ends_on: datetime.date | None
) -> str | None:
    """Outside the (possibly open-ended) period from `starts_on` to `ends_on`, e.g. a project's."""
    if day is None:
        return None
    if starts_on and ends_on and not starts_on <= day <= ends_on:
        return _("The date must be within the project's period, %(start)s–%(end)s.") % {
            "start": _day(starts_on),
            "end": _day(ends_on),
        }
    if starts_on and day < starts_on:
        return _("The date cannot be before the project starts, %(start)s.") % {"start": _day(starts_on)}
    if ends_on and day > ends_on:
        return _("The date cannot be after the project ends, %(end)s.") % {"end": _day(ends_on)}
    return None


def ask_error(amount: Decimal | None, *, frame: Decimal) -> str | None:
    """What a priority list asks for, above the round's whole frame."""
    if amount is not None and Decimal(amount) > frame:
        return _("%(amount)s is more than the round's whole frame of %(frame)s.") % {
            "amount": format_nok(amount),
            "frame": format_nok(frame),
        }
    return None


def cost_warning(amount: Decimal, *, budget: Decimal) -> str | None:
    """A warning, not a refusal: a cost far above its budget line is probably mistyped."""
    if Decimal(amount) > COST_WARNING_FACTOR * Decimal(budget):
        return _(
            "The cost of %(amount)s is more than %(factor)s times the budget line's %(budget)s. "
            "Check the amount: you can correct or delete the cost in the list of costs."
        ) % {"amount": format_nok(amount), "factor": COST_WARNING_FACTOR, "budget": format_nok(budget)}
    return None
