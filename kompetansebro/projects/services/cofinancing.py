"""The co-financing check: is a project's financing plan within its grant scheme's rules?

A pure function over the budget lines, the financing plan, the scheme and the region's municipalities (model
instances, saved or not; no queries), so that the project page, the budget pages, the report and the PDF all
say the same thing, and the tests can run it on the seed's own numbers.

- total costs: the sum of the budget lines;
- grants: the financing of kind grant;
- own contribution: cash, plus in-kind hours × rate (the line's hourly rate, else the scheme's) — in-kind hours
  count only if the scheme says so; otherwise they are shown as not counted;
- own share and grant share in per cent of the total costs, one decimal, rounded half up;
- plain-words findings: own share below the scheme's minimum, grant share above its maximum, financing that
  does not cover the costs (or exceeds them), in-kind hours without a rate, municipalities outside the
  scheme's target centrality classes.

Money is Decimal NOK; the comparisons are exact (own × 100 < minimum × costs), never on rounded shares."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kompetansebro.core.money import format_nok, round_nok
from kompetansebro.grants.selectors import scheme_allows_municipality
from kompetansebro.projects.models import FinancingKind

HUNDRED = Decimal("100")
ONE_DECIMAL = Decimal("0.1")


class Level:
    OK = "ok"
    NOTICE = "notice"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    level: str  # Level.OK, NOTICE or PROBLEM
    message: str

    @property
    def is_problem(self) -> bool:
        return self.level == Level.PROBLEM


@dataclass(frozen=True)
class InKindLine:
    source: object  # the FinancingSource
    hours: Decimal
    rate: Decimal | None
    value: Decimal | None  # hours × rate, None without a rate
    rate_from_scheme: bool


@dataclass(frozen=True)
class MunicipalityCheck:
    municipality: object
    eligible: bool


@dataclass
class CofinancingCheck:
    total_costs: Decimal = Decimal("0")
    grants: Decimal = Decimal("0")
    cash: Decimal = Decimal("0")
    in_kind_hours: Decimal = Decimal("0")
    in_kind_value: Decimal = Decimal("0")  # valued hours, counted or not
    in_kind_counts: bool = True
    other: Decimal = Decimal("0")
    in_kind_lines: list[InKindLine] = field(default_factory=list)
    has_scheme: bool = False
    min_own_share: Decimal | None = None
    max_grant_share: Decimal | None = None
    municipalities: list[MunicipalityCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def in_kind_counted(self) -> Decimal:
        return self.in_kind_value if self.in_kind_counts else Decimal("0")

    @property
    def own_contribution(self) -> Decimal:
        return self.cash + self.in_kind_counted

    @property
    def total_financing(self) -> Decimal:
        return self.grants + self.own_contribution + self.other

    @property
    def difference(self) -> Decimal:
        """Financing less costs: negative when the financing does not cover the costs."""
        return self.total_financing - self.total_costs

    @property
    def own_share(self) -> Decimal | None:
        return percentage(self.own_contribution, self.total_costs)

    @property
    def grant_share(self) -> Decimal | None:
        return percentage(self.grants, self.total_costs)

    @property
    def own_share_display(self) -> str:
        return format_percent(self.own_share)

    @property
    def grant_share_display(self) -> str:
        return format_percent(self.grant_share)

    @property
    def problems(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.is_problem]

    @property
    def is_ok(self) -> bool:
        return not self.problems

    @property
    def eligible_municipalities(self) -> list:
        return [row.municipality for row in self.municipalities if row.eligible]

    @property
    def ineligible_municipalities(self) -> list:
        return [row.municipality for row in self.municipalities if not row.eligible]


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` in per cent of `whole`, one decimal, rounded half up; None when `whole` is zero."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None, decimals: int | None = 1) -> str:
    """29,4 % (one decimal, the language's separator, a non-breaking space before the sign). `decimals=None`
    shows a scheme's limit as people write it: 30 %, or 33,33 % when it has decimals."""
    if value is None:
        return "–"
    if decimals is None:
        value = Decimal(value)
        decimals = 0 if value == value.to_integral_value() else max(0, -value.normalize().as_tuple().exponent)
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{number_format(value, decimal_pos=decimals)}\xa0%"


def _amount(source) -> Decimal:
    return Decimal(source.amount or 0)


def cofinancing_check(
    *, budget_lines: Iterable, financing: Iterable, scheme=None, municipalities: Iterable = ()
) -> CofinancingCheck:
    """Check the budget and financing plan against `scheme` (None: only totals and coverage)."""
    check = CofinancingCheck(has_scheme=scheme is not None)
    check.total_costs = sum((Decimal(line.amount or 0) for line in budget_lines), Decimal("0"))
    scheme_rate = scheme.in_kind_hourly_rate if scheme is not None else None
    check.in_kind_counts = scheme.in_kind_counts if scheme is not None else True
    without_rate = Decimal("0")
    for source in financing:
        if source.kind == FinancingKind.GRANT:
            check.grants += _amount(source)
        elif source.kind == FinancingKind.CASH:
            check.cash += _amount(source)
        elif source.kind == FinancingKind.IN_KIND:
            hours = Decimal(source.hours or 0)
            rate = source.hourly_rate if source.hourly_rate is not None else scheme_rate
            value = round_nok(hours * rate) if rate is not None else None
            check.in_kind_lines.append(
                InKindLine(source, hours, rate, value, rate_from_scheme=source.hourly_rate is None)
            )
            check.in_kind_hours += hours
            if value is None:
                without_rate += hours
            else:
                check.in_kind_value += value
        else:
            check.other += _amount(source)

    findings = check.findings
    if without_rate:
        findings.append(
            Finding(
                Level.PROBLEM,
                _("%(hours)s in-kind hours have no hourly rate and are not valued: give the rate on the line.")
                % {"hours": number_format(without_rate, decimal_pos=1)},
            )
        )
    if check.in_kind_value and not check.in_kind_counts:
        findings.append(
            Finding(
                Level.NOTICE,
                _(
                    "In-kind hours worth %(amount)s are not counted: "
                    "the scheme does not accept them as own contribution."
                )
                % {"amount": format_nok(check.in_kind_value)},
            )
        )

    if not check.total_costs:
        findings.append(Finding(Level.NOTICE, _("The budget has no costs yet, so the shares cannot be worked out.")))
    else:
        difference = check.difference
        if difference < 0:
            findings.append(
                Finding(
                    Level.PROBLEM,
                    _("The financing does not cover the costs: %(amount)s is missing.")
                    % {"amount": format_nok(-difference)},
                )
            )
        elif difference > 0:
            findings.append(
                Finding(
                    Level.NOTICE,
                    _("The financing is %(amount)s more than the costs.") % {"amount": format_nok(difference)},
                )
            )
        else:
            findings.append(Finding(Level.OK, _("The financing covers the costs.")))
        if scheme is not None:
            _check_shares(check, scheme)

    if scheme is not None:
        for municipality in municipalities:
            check.municipalities.append(
                MunicipalityCheck(municipality, scheme_allows_municipality(scheme, municipality))
            )
        outside = check.ineligible_municipalities
        if outside:
            classes = ", ".join(str(value) for value in scheme.target_centrality_classes)
            findings.append(
                Finding(
                    Level.NOTICE,
                    _("Outside the scheme's target centrality classes (%(classes)s): %(municipalities)s.")
                    % {
                        "classes": classes,
                        "municipalities": ", ".join(
                            _("%(name)s (class %(class)s)") % {"name": m.name, "class": m.centrality_class}
                            for m in outside
                        ),
                    },
                )
            )
        elif check.municipalities and scheme.target_centrality_classes:
            findings.append(
                Finding(Level.OK, _("Every municipality of the region is in the scheme's target centrality classes."))
            )
    return check


def _check_shares(check: CofinancingCheck, scheme) -> None:
    check.max_grant_share = Decimal(scheme.max_grant_share)
    check.min_own_share = HUNDRED - check.max_grant_share
    total = check.total_costs
    own_text = check.own_share_display
    minimum_text = format_percent(check.min_own_share, decimals=None)
    if check.own_contribution * HUNDRED < check.min_own_share * total:
        check.findings.append(
            Finding(
                Level.PROBLEM,
                _("Own share %(share)s — below the %(minimum)s the scheme requires.")
                % {"share": own_text, "minimum": minimum_text},
            )
        )
    elif check.min_own_share:
        check.findings.append(
            Finding(
                Level.OK,
                _("Own share %(share)s — at least the %(minimum)s the scheme requires.")
                % {"share": own_text, "minimum": minimum_text},
            )
        )
    maximum_text = format_percent(check.max_grant_share, decimals=None)
    if check.grants * HUNDRED > check.max_grant_share * total:
        check.findings.append(
            Finding(
                Level.PROBLEM,
                _("Grants make up %(share)s — above the %(maximum)s the scheme allows.")
                % {"share": check.grant_share_display, "maximum": maximum_text},
            )
        )
    else:
        check.findings.append(
            Finding(
                Level.OK,
                _("Grants make up %(share)s — within the %(maximum)s the scheme allows.")
                % {"share": check.grant_share_display, "maximum": maximum_text},
            )
        )
