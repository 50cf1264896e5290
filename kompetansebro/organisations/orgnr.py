"""Norwegian organisation numbers (Enhetsregisteret): nine digits with a MOD11 check digit.

Enhetsregisteret gives out numbers starting with 8 or 9 only; stdnum checks just the length and check digit,
so 000000000 would pass without the prefix check here."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

ISSUED_FIRST_DIGITS = ("8", "9")


def clean_org_number(value: str) -> str:
    """Return the nine digits, or raise a ValidationError that says what is wrong."""
    try:
        number = orgnr.validate(value)
    except InvalidChecksum as error:
        raise ValidationError(
            _("%(value)s is not a valid organisation number: the check digit is wrong. Check for typing errors."),
            code="checksum",
            params={"value": value},
        ) from error
    except (InvalidLength, InvalidFormat) as error:
        raise ValidationError(_("An organisation number has nine digits, e.g. 974 760 673."), code="format") from error
    except StdnumError as error:
        raise ValidationError(_("Not a valid organisation number."), code="invalid") from error
    if not number.startswith(ISSUED_FIRST_DIGITS):
        raise ValidationError(
            _("%(value)s is not a valid organisation number: a Norwegian organisation number starts with 8 or 9."),
            code="prefix",
            params={"value": value},
        )
    return number


def format_org_number(value: str | None) -> str:
    if not value:
        return ""
    return orgnr.format(value) if orgnr.is_valid(value) else value
