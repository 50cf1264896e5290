"""Money is Decimal NOK everywhere; this is the one place that rounds and formats it."""

from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")


def round_nok(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(ORE, rounding=ROUND_HALF_UP)


def format_nok(amount: Decimal | int | str | None) -> str:
    """Format as Norwegians write it: "kr 690 000" or "kr 1 234,50" (non-breaking spaces)."""
    if amount is None or amount == "":
        return ""
    value = round_nok(amount)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = "\xa0".join(groups)
    if fraction != "00":
        text = f"{text},{fraction}"
    return f"{sign}kr\xa0{text}"
