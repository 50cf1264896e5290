"""The co-financing check on the seed's own numbers (seed 000): the Kompetansepilot budget of kr 600 000 with
kr 450 000 from KMD via Trøndelag fylkeskommune and kr 150 000 as in-kind hours, the earlier draft with
kr 500 000 in grant and kr 0 own contribution, a project at exactly 30 %, and the issue's 29,4 %."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from kompetansebro.grants.models import GrantScheme
from kompetansebro.projects.models import BudgetLine, FinancingKind, FinancingSource
from kompetansebro.projects.selectors_economy import project_check
from kompetansebro.projects.services.cofinancing import Level, cofinancing_check, format_percent, percentage
from tests.grant_factories import BudgetLineFactory, FinancingSourceFactory, GrantSchemeFactory, ProjectFactory

D = Decimal


def kompetansepilot(**overrides) -> GrantScheme:
    """The scheme as KMD's call describes it: at most 70 % grant (30 % own share), in-kind hours count."""
    values = {
        "name": "Kompetansepiloter",
        "max_grant_share": D("70"),
        "in_kind_counts": True,
        "in_kind_hourly_rate": D("700"),
        "target_centrality_classes": [5, 6],
    }
    values.update(overrides)
    return GrantScheme(**values)


def lines(*amounts) -> list[BudgetLine]:
    return [BudgetLine(category="other", amount=D(amount)) for amount in amounts]


def grant(amount, description="KMD via TRFK") -> FinancingSource:
    return FinancingSource(kind=FinancingKind.GRANT, description=description, amount=D(amount))


def cash(amount) -> FinancingSource:
    return FinancingSource(kind=FinancingKind.CASH, description="Egenandel", amount=D(amount))


def in_kind(hours, rate=None) -> FinancingSource:
    return FinancingSource(
        kind=FinancingKind.IN_KIND,
        description="Timeinnsats",
        hours=D(hours),
        hourly_rate=D(rate) if rate is not None else None,
    )


def problems(check) -> list[str]:
    return [finding.message for finding in check.problems]


# ---- (a) the project description's budget ---------------------------------------------------------------------


def seed_budget():
    # Timebruk 500 000, reisevirksomhet 15 000, møtevirksomhet 15 000, digitalt utstyr 70 000 (SUM 600 000)
    return lines("500000", "15000", "15000", "70000")


def test_seed_budget_own_share_is_25_percent_below_the_30_the_scheme_requires(english):
    check = cofinancing_check(
        budget_lines=seed_budget(),
        financing=[grant("450000"), in_kind("200", rate="750")],  # 200 h × kr 750 = kr 150 000
        scheme=kompetansepilot(),
    )
    assert check.total_costs == D("600000")
    assert check.grants == D("450000")
    assert check.in_kind_value == D("150000.00")
    assert check.own_contribution == D("150000.00")
    assert check.total_financing == check.total_costs
    assert check.own_share == D("25.0")
    assert check.grant_share == D("75.0")
    assert check.min_own_share == D("30")
    assert not check.is_ok
    assert problems(check) == [
        "Own share 25.0\xa0% — below the 30\xa0% the scheme requires.",
        "Grants make up 75.0\xa0% — above the 70\xa0% the scheme allows.",
    ]
    assert "The financing covers the costs." in [finding.message for finding in check.findings]


def test_seed_budget_in_norwegian_numbers():
    with translation.override("nb"):
        check = cofinancing_check(
            budget_lines=seed_budget(),
            financing=[grant("450000"), in_kind("200", rate="750")],
            scheme=kompetansepilot(),
        )
        assert check.own_share_display == "25,0\xa0%"
        assert check.grant_share_display == "75,0\xa0%"
        assert any("25,0\xa0%" in message and "30\xa0%" in message for message in problems(check))


def test_in_kind_hours_at_the_schemes_rate_when_the_line_has_none():
    check = cofinancing_check(
        budget_lines=seed_budget(), financing=[grant("450000"), in_kind("200")], scheme=kompetansepilot()
    )
    assert check.in_kind_lines[0].rate == D("700")
    assert check.in_kind_lines[0].rate_from_scheme
    assert check.own_contribution == D("140000.00")
    assert check.difference == D("-10000.00")


def test_in_kind_hours_shown_but_not_counted_when_the_scheme_does_not_accept_them(english):
    check = cofinancing_check(
        budget_lines=seed_budget(),
        financing=[grant("450000"), in_kind("200", rate="750")],
        scheme=kompetansepilot(in_kind_counts=False),
    )
    assert check.in_kind_value == D("150000.00")
    assert check.in_kind_counted == 0
    assert check.own_contribution == 0
    assert check.own_share == D("0.0")
    messages = [finding.message for finding in check.findings]
    assert (
        "In-kind hours worth kr\xa0150\xa0000 are not counted: the scheme does not accept them as own contribution."
        in messages
    )
    assert "The financing does not cover the costs: kr\xa0150\xa0000 is missing." in problems(check)


# ---- (b) the earlier draft: kr 500 000 grant, kr 0 own contribution ----------------------------------------------


def test_earlier_draft_has_no_own_share(english):
    check = cofinancing_check(
        # Næringshager og næringsforeninger: timebruk 430 000; reise og møtevirksomhet 70 000
        budget_lines=lines("430000", "70000"),
        # Egenandel (30 %): kr 0 (timebruk i prosjektledelse)
        financing=[grant("500000", "Trøndelag fylkeskommune"), in_kind("0", rate="750")],
        scheme=kompetansepilot(),
    )
    assert check.total_costs == D("500000")
    assert check.own_contribution == 0
    assert check.own_share == D("0.0")
    assert check.grant_share == D("100.0")
    assert problems(check) == [
        "Own share 0.0\xa0% — below the 30\xa0% the scheme requires.",
        "Grants make up 100.0\xa0% — above the 70\xa0% the scheme allows.",
    ]


# ---- (c) exactly 30 %, (d) the issue's 29,4 % -----------------------------------------------------------------


def test_exactly_thirty_percent_passes(english):
    check = cofinancing_check(
        budget_lines=lines("1000000"),
        financing=[grant("700000"), cash("100000"), in_kind("250", "800")],
        scheme=kompetansepilot(),
    )
    assert check.own_contribution == D("300000.00")
    assert check.own_share == D("30.0")
    assert check.grant_share == D("70.0")
    assert check.is_ok
    assert "Own share 30.0\xa0% — at least the 30\xa0% the scheme requires." in [f.message for f in check.findings]


def test_the_issues_example_29_4_percent():
    with translation.override("nb"):
        check = cofinancing_check(
            budget_lines=lines("1000000"), financing=[grant("706000"), cash("294000")], scheme=kompetansepilot()
        )
        assert check.own_share == D("29.4")
        assert check.own_share_display == "29,4\xa0%"
        assert check.grant_share_display == "70,6\xa0%"
        assert len(check.problems) == 2
        assert "29,4\xa0%" in check.problems[0].message
        assert "30\xa0%" in check.problems[0].message


def test_just_under_thirty_is_flagged_even_when_it_rounds_to_thirty(english):
    check = cofinancing_check(
        budget_lines=lines("1000000"), financing=[grant("700040"), cash("299960")], scheme=kompetansepilot()
    )
    assert check.own_share == D("30.0")  # 29,996 % shown with one decimal
    assert problems(check)[0].startswith("Own share 30.0\xa0% — below")


def test_missing_financing_in_plain_words(english):
    check = cofinancing_check(
        budget_lines=seed_budget(), financing=[grant("400000"), cash("150000")], scheme=kompetansepilot()
    )
    assert "The financing does not cover the costs: kr\xa050\xa0000 is missing." in problems(check)


def test_financing_above_the_costs_is_a_notice(english):
    check = cofinancing_check(budget_lines=lines("100000"), financing=[grant("50000"), cash("60000")], scheme=None)
    assert check.is_ok
    assert [f.level for f in check.findings] == [Level.NOTICE]
    assert check.findings[0].message == "The financing is kr\xa010\xa0000 more than the costs."


def test_without_a_scheme_only_totals_and_coverage():
    check = cofinancing_check(budget_lines=lines("100"), financing=[grant("100")])
    assert check.min_own_share is None
    assert check.own_share == D("0.0")
    assert check.is_ok


def test_without_costs_no_shares(english):
    check = cofinancing_check(budget_lines=[], financing=[grant("100")], scheme=kompetansepilot())
    assert check.own_share is None
    assert check.own_share_display == "–"
    assert check.findings[0].message == "The budget has no costs yet, so the shares cannot be worked out."


def test_in_kind_without_any_rate_is_a_problem(english):
    check = cofinancing_check(
        budget_lines=lines("1000"), financing=[in_kind("10")], scheme=kompetansepilot(in_kind_hourly_rate=None)
    )
    assert check.in_kind_value == 0
    assert problems(check)[0] == "10.0 in-kind hours have no hourly rate and are not valued: give the rate on the line."


def test_percentages_round_half_up_never_to_even():
    assert percentage(D("2945"), D("10000")) == D("29.5")  # 29,45 %: half up (banker's rounding gives 29,4)
    assert percentage(D("2935"), D("10000")) == D("29.4")
    assert percentage(D("1"), D("3")) == D("33.3")
    assert percentage(D("1"), D("0")) is None
    assert isinstance(percentage(D("1"), D("3")), Decimal)


def test_scheme_limits_are_shown_as_written():
    with translation.override("nb"):
        assert format_percent(D("30.00"), decimals=None) == "30\xa0%"
        assert format_percent(D("33.33"), decimals=None) == "33,33\xa0%"
        assert format_percent(D("29.4")) == "29,4\xa0%"


def test_municipalities_outside_the_target_centrality_classes(english):
    holtalen = SimpleNamespace(name="Holtålen", centrality_class=6)
    roros = SimpleNamespace(name="Røros", centrality_class=5)
    trondheim = SimpleNamespace(name="Trondheim", centrality_class=2)
    check = cofinancing_check(
        budget_lines=lines("100"),
        financing=[grant("70"), cash("30")],
        scheme=kompetansepilot(),
        municipalities=[holtalen, roros, trondheim],
    )
    assert check.eligible_municipalities == [holtalen, roros]
    assert check.ineligible_municipalities == [trondheim]
    assert check.is_ok  # a notice, not a broken rule
    assert "Outside the scheme's target centrality classes (5, 6): Trondheim (class 2)." in [
        f.message for f in check.findings
    ]


def test_a_scheme_without_target_classes_allows_every_municipality():
    trondheim = SimpleNamespace(name="Trondheim", centrality_class=2)
    check = cofinancing_check(
        budget_lines=lines("100"),
        financing=[grant("70"), cash("30")],
        scheme=kompetansepilot(target_centrality_classes=[]),
        municipalities=[trondheim],
    )
    assert check.ineligible_municipalities == []


@pytest.mark.django_db
def test_project_check_reads_the_stored_budget_and_financing(world, django_assert_max_num_queries):
    scheme = GrantSchemeFactory(max_grant_share=D("70"), in_kind_counts=True, in_kind_hourly_rate=D("750"))
    project = ProjectFactory(scheme=scheme, region=world.region)
    for category, amount in [
        ("hours", "500000"),
        ("travel", "15000"),
        ("meetings", "15000"),
        ("digital_equipment", "70000"),
    ]:
        BudgetLineFactory(project=project, category=category, amount=D(amount))
    FinancingSourceFactory(project=project, kind=FinancingKind.GRANT, amount=D("450000"))
    FinancingSourceFactory(project=project, kind=FinancingKind.IN_KIND, amount=None, hours=D("200"))
    with django_assert_max_num_queries(3):
        check = project_check(project)
    assert check.own_share == D("25.0")
    assert check.grant_share == D("75.0")
    assert len(check.problems) == 2
    assert check.municipalities  # the region's municipalities, each checked
