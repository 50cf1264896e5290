"""Valid, deterministic Norwegian organisation numbers for demo data.

An organisation number has nine digits; the ninth is a MOD11 check digit over the first eight with the
weights 3 2 7 6 5 4 3 2. When the check digit would be 10, no valid number has those first eight digits.

The numbers made here are fictional: they are valid (`stdnum.no.orgnr.is_valid`) but not looked up in
Enhetsregisteret, so any real unit that happens to have one is unrelated to the demo organisation."""

import hashlib
from collections.abc import Iterator

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
# The small demo draws from 9xx xxx xxx (by a hash of a stable key), the national generator counts upwards
# from 800 000 00x, so the two never collide.
STABLE_PREFIX_LOW, STABLE_PREFIX_SPAN = 90_000_000, 10_000_000
NATIONAL_START = 80_000_000


def check_digit(first_eight: str) -> int | None:
    """The MOD11 check digit for eight digits, or None when it would be 10 (no valid number)."""
    if len(first_eight) != 8 or not first_eight.isdigit():
        raise ValueError(f"eight digits expected, got {first_eight!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_eight, WEIGHTS, strict=True))
    digit = (11 - total % 11) % 11
    return None if digit == 10 else digit


def org_numbers(start: int = NATIONAL_START) -> Iterator[str]:
    """Valid numbers in increasing order from the eight-digit prefix `start`, skipping prefixes whose check
    digit would be 10."""
    prefix = start
    while prefix <= 99_999_999:
        first = f"{prefix:08d}"
        digit = check_digit(first)
        if digit is not None:
            yield f"{first}{digit}"
        prefix += 1


def stable_org_number(key: str) -> str:
    """A valid number that depends only on `key`, so a demo organisation keeps its number between runs and
    between versions of the demo data even when organisations are added or reordered."""
    value = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    offset = value % STABLE_PREFIX_SPAN
    while True:
        first = f"{STABLE_PREFIX_LOW + offset:08d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
        offset = (offset + 1) % STABLE_PREFIX_SPAN
