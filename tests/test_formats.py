from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from kompetansebro.core.money import format_nok, round_nok


def render(source, **context):
    return Template(source).render(Context(context))


def test_kroner_are_written_the_norwegian_way():
    assert format_nok(Decimal("690000")) == "kr\xa0690\xa0000"
    assert format_nok(Decimal("1234.5")) == "kr\xa01\xa0234,50"
    assert format_nok(Decimal("-70000")) == "-kr\xa070\xa0000"
    assert format_nok(0) == "kr\xa00"
    assert format_nok(None) == ""
    assert round_nok("10.005") == Decimal("10.01")


def test_dates_are_written_the_norwegian_way_in_both_languages():
    for language in ["nb", "en"]:
        with translation.override(language):
            assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=date(2026, 11, 22)) == "22.11.2026"
            assert render("{{ d }}", d=date(2026, 11, 22)) == "22.11.2026"


def test_times_are_shown_in_oslo_time():
    moment = datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("nb"):
        assert render("{{ t|date:'SHORT_DATETIME_FORMAT' }}", t=moment) == "01.06.2026 10:00"


def test_template_filters():
    assert render("{{ a|kr }}", a=Decimal("690000")) == "kr\xa0690\xa0000"
    assert render("{{ n|orgnr }}", n="974760673") == "974 760 673"
    with translation.override("nb"):
        assert render("{{ p|grouped }}", p=15546) == "15\xa0546"
