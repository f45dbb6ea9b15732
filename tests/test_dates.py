"""Relative and absolute date expressions against fixed publication dates."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwatch.dates import event_date, find_expressions, resolve

MON = dt.date(2016, 9, 26)  # the seed article's publication date, a Monday
TUE = dt.date(2016, 9, 20)
SAT = dt.date(2016, 12, 3)
JAN = dt.date(2017, 1, 4)  # a Wednesday early in January: month/year roll-over

TABLE = [
    # (expression, published, date, precision)
    ("last week", MON, "2016-09-19", "week"),
    ("on Sunday", MON, "2016-09-25", "day"),
    ("on Monday", MON, "2016-09-26", "day"),
    ("on Friday", MON, "2016-09-23", "day"),
    ("last month", MON, "2016-08-01", "month"),
    ("Sept. 12", MON, "2016-09-12", "day"),
    ("yesterday", MON, "2016-09-25", "day"),
    ("last week's", MON, "2016-09-19", "week"),
    ("two days ago", MON, "2016-09-24", "day"),
    ("earlier this month", MON, "2016-09-01", "month"),
    ("over the weekend", MON, "2016-09-19", "week"),
    ("late Tuesday night", MON, "2016-09-20", "day"),
    ("12 September 2016", MON, "2016-09-12", "day"),
    ("September 12, 2016", MON, "2016-09-12", "day"),
    ("on Monday", TUE, "2016-09-19", "day"),
    ("Monday", TUE, "2016-09-19", "day"),
    ("on Friday", TUE, "2016-09-16", "day"),
    ("last week", TUE, "2016-09-12", "week"),
    ("this week", TUE, "2016-09-19", "week"),
    ("earlier this week", TUE, "2016-09-19", "week"),
    ("next week", TUE, "2016-09-26", "week"),
    ("three weeks ago", TUE, "2016-08-29", "week"),
    ("a week ago", TUE, "2016-09-12", "week"),
    ("10 days ago", TUE, "2016-09-10", "day"),
    ("last Monday", MON, "2016-09-19", "day"),
    ("Tuesday morning", SAT, "2016-11-29", "day"),
    ("on Saturday", SAT, "2016-12-03", "day"),
    ("last weekend", SAT, "2016-11-21", "week"),
    ("today", SAT, "2016-12-03", "day"),
    ("tomorrow", SAT, "2016-12-04", "day"),
    ("last night", SAT, "2016-12-02", "day"),
    ("last month", JAN, "2016-12-01", "month"),
    ("last year", JAN, "2016-01-01", "year"),
    ("earlier this year", JAN, "2017-01-01", "year"),
    ("Dec. 29", JAN, "2016-12-29", "day"),
    ("in December", JAN, "2016-12-01", "month"),
    ("two months ago", JAN, "2016-11-01", "month"),
    ("on Dec. 30", JAN, "2016-12-30", "day"),
    ("in September 2015", MON, "2015-09-01", "month"),
    ("2016-09-01", MON, "2016-09-01", "day"),
]


@pytest.mark.parametrize("expression,published,date,precision", TABLE)
def test_relative_table(expression, published, date, precision):
    d = resolve(expression, published)
    assert (d.date, d.precision, d.source, d.expression) == (date, precision, "text", expression)


@pytest.mark.parametrize("expression", ["last week", "on Sunday", "yesterday", "two days ago", "over the weekend", "Sept. 12"])
def test_without_publication_date_relative_stays_unresolved(expression):
    d = resolve(expression, None)
    assert d.date is None and d.source == "unresolved" and d.expression == expression


@pytest.mark.parametrize("expression,date", [("12 September 2016", "2016-09-12"), ("September 2016", "2016-09-01"), ("2016-09-26", "2016-09-26")])
def test_without_publication_date_absolute_resolves(expression, date):
    d = resolve(expression, None)
    assert d.date == date and d.source == "text"


def test_find_expressions():
    text = ("The truce broke down last week. The US accused Russia on Sunday; last week's talks failed. "
            "Sept. 12 and 12 September 2016 and two days ago, earlier this month, yesterday, over the weekend "
            "and late Tuesday night.")
    found = [e for _, _, e in find_expressions(text)]
    assert found == ["last week", "on Sunday", "last week's", "Sept. 12", "12 September 2016", "two days ago",
                     "earlier this month", "yesterday", "over the weekend", "late Tuesday night"]
    for s, e, expr in find_expressions(text):
        assert text[s:e] == expr


@pytest.mark.parametrize("text", [
    "May Smith said the talks would resume.",
    "Protesters will march on the capital.",
    "Theresa May met Angela Merkel.",
    "They may march again.",
    "The mayday signal was sent.",
])
def test_false_positives(text):
    assert find_expressions(text) == []


def test_month_with_preposition_is_a_date():
    assert [e for *_, e in find_expressions("Talks collapsed in May and resumed in March 2017.")] == ["in May", "in March 2017"]


SEED = ("The ceasefire brokered by Moscow and Washington broke down last week. The United States accused Russia "
        "on Sunday of barbarism as warplanes pounded Aleppo.")


def test_seed_cases():
    s1 = "The ceasefire brokered by Moscow and Washington broke down last week."
    d = event_date(s1, s1.index("broke"), MON)
    assert (d.date, d.precision, d.source) == ("2016-09-19", "week", "text")
    s2 = "The United States accused Russia on Sunday of barbarism as warplanes pounded Aleppo."
    assert event_date(s2, s2.index("accused"), MON).date == "2016-09-25"
    s3 = "Meanwhile, the Russian defense ministry said on Monday that an agreement was nearly reached."
    assert event_date(s3, s3.index("said"), MON).date == "2016-09-26"


def test_event_date_prefers_trigger_clause():
    s = "The army said on Monday that rebels had attacked the base last week."
    assert event_date(s, s.index("said"), MON).expression == "on Monday"
    assert event_date(s, s.index("attacked"), MON).expression == "last week"


def test_event_date_falls_back_to_publication():
    d = event_date("Rebels shelled the city.", 7, MON)
    assert (d.date, d.source, d.expression) == ("2016-09-26", "publication", None)
    d = event_date("Rebels shelled the city.", 7, None)
    assert (d.date, d.source) == (None, "unresolved")
    d = event_date("Rebels shelled the city on Sunday.", 7, None)
    assert (d.date, d.source, d.expression) == (None, "unresolved", "on Sunday")
