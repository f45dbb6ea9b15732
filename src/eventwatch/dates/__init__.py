"""Event dates from text, resolved against the publication date.

* :func:`find_expressions` — relative and absolute date expressions in text
  ("on Monday", "last week's", "Sept. 12", "two days ago", "over the weekend",
  "late Tuesday night"); a bare month needs a preposition ("in May"), so "May"
  the name and "march" the verb are not dates.
* :func:`resolve` — an :class:`~eventwatch.model.EventDate` for one expression:
  relative expressions are computed from the publication date (past preference:
  "on Monday" is the most recent Monday, the publication day itself when it is
  a Monday), week expressions give the Monday of the week with precision
  ``week``, month ones the first of the month. Absolute dates go through
  dateparser (``RELATIVE_BASE`` = publication date, ``PREFER_DATES_FROM`` =
  past). Without a publication date, relative expressions (and absolute ones
  without a year) stay unresolved (``date=None, source="unresolved"``) with the
  expression kept; a later ingest with ``--date`` resolves them.
* :func:`event_date` — the date a trigger's clause carries, else the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from eventwatch.model import EventDate

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3, "few": 3}

_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_N = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+few)"
_PATTERNS = [
    # absolute: 12 September 2016, September 12, 2016, Sept. 12, 2016-09-12
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    rf"\b(?:on\s+)?(?:{_DAY},?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON}(?:,?\s+\d{{4}})?(?![\w])",
    rf"\b(?:on\s+)?(?:{_DAY},?\s+)?{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?![\w])",
    rf"\b(?:in|since|until|during|by|from|early|late|mid-|earlier\s+in|later\s+in)\s*(?:early\s+|late\s+)?{_MON}(?:\s+\d{{4}})?(?![\w])",
    rf"\b{_MON}\s+\d{{4}}\b",
    # relative
    rf"\b(?:(?:on|last|this|next|early|late|on\s+the\s+night\s+of|overnight)\s+)?(?:(?:early|late)\s+)?{_DAY}(?:['’]s)?{_PART}?",
    rf"\b(?:earlier|later)\s+(?:this|last)\s+(?:week|month|year)\b",
    rf"\b(?:last|this|next|the\s+previous|the\s+past|the\s+following)\s+(?:week|month|year|weekend)(?:['’]s)?",
    rf"\b(?:over|during|at|on)\s+the\s+weekend\b",
    rf"\b{_N}\s+(?:days?|weeks?|months?|years?)\s+ago\b",
    r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night|this\s+morning|this\s+evening)\b",
]
_RX = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
_CASE_SENSITIVE = re.compile(rf"{_DAY}|{_MON}")


def find_expressions(text: str) -> list[tuple[int, int, str]]:
    """Date expressions in ``text`` as ``(start, end, expression)``, in order, non-overlapping."""
    out = []
    for m in _RX.finditer(text):
        s = m.group(0)
        names = [w for w in re.findall(r"[A-Za-z]+", s) if w.lower() in _DAYS or w.lower().rstrip(".") in _MONTHS]
        if names and not all(w[0].isupper() for w in names):
            continue  # "march", "may": verbs, not dates
        if re.fullmatch(r"(?i)(?:on|last|this|next)\s+", s):
            continue
        out.append((m.start(), m.end(), s.strip()))
    return out


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _first_of_month(d: dt.date, back: int = 0) -> dt.date:
    y, m = d.year, d.month - back
    while m < 1:
        m += 12
        y -= 1
    return dt.date(y, m, 1)


def _number(s: str) -> int:
    s = re.sub(r"\s+", " ", s.lower())
    return int(s) if s.isdigit() else _NUM.get(s, 1)


def _relative(expr: str, pub: dt.date) -> tuple[dt.date, str] | None:
    e = re.sub(r"['’]s\b", "", expr.lower())
    e = re.sub(r"\s+", " ", e).strip()
    for i, day in enumerate(_DAYS):
        if re.search(rf"\b{day}\b", e):
            delta = (pub.weekday() - i) % 7
            if re.search(r"\bnext\b", e):
                return pub + dt.timedelta(days=(i - pub.weekday()) % 7 or 7), "day"
            if re.search(r"\blast\b", e) and delta == 0:
                delta = 7
            return pub - dt.timedelta(days=delta), "day"
    simple = {
        "yesterday": (pub - dt.timedelta(days=1), "day"), "today": (pub, "day"), "tonight": (pub, "day"),
        "this morning": (pub, "day"), "this evening": (pub, "day"), "tomorrow": (pub + dt.timedelta(days=1), "day"),
        "last night": (pub - dt.timedelta(days=1), "day"),
        "the day before yesterday": (pub - dt.timedelta(days=2), "day"),
    }
    if e in simple:
        return simple[e]
    m = re.fullmatch(rf"({_N}) (day|week|month|year)s? ago", e)
    if m:
        n, unit = _number(m.group(1)), m.group(2)
        if unit == "day":
            return pub - dt.timedelta(days=n), "day"
        if unit == "week":
            return _monday(pub - dt.timedelta(weeks=n)), "week"
        if unit == "month":
            return _first_of_month(pub, n), "month"
        return dt.date(pub.year - n, 1, 1), "year"
    if "weekend" in e:
        if "next" in e or "following" in e:
            sat = pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7)
        else:
            sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
            if sat == pub and "last" in e:
                sat -= dt.timedelta(days=7)
        return _monday(sat), "week"
    m = re.search(r"\b(last|this|next|previous|past|following|earlier this|later this|earlier last|later last) (week|month|year)\b", e)
    if m:
        which, unit = m.group(1).split()[-1], m.group(2)
        back = {"last": 1, "previous": 1, "past": 1, "this": 0, "next": -1, "following": -1}[which]
        if unit == "week":
            return _monday(pub) - dt.timedelta(weeks=back), "week"
        if unit == "month":
            return _first_of_month(pub, back), "month"
        return dt.date(pub.year - back, 1, 1), "year"
    return None


@lru_cache(maxsize=4096)
def _dateparse(expr: str, pub: dt.date | None):
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime(pub.year, pub.month, pub.day, 12, 0)
    return dateparser.parse(expr, languages=["en"], settings=settings)


def _absolute(expr: str, pub: dt.date | None) -> tuple[dt.date, str] | None:
    e = re.sub(r"(?i)^(?:on|in|since|until|during|by|from|earlier in|later in)\s+", "", expr.strip())
    e = re.sub(r"(?i)^(?:early|late|mid-)\s*", "", e)
    e = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", e)
    e = re.sub(rf"(?i)^{_DAY},?\s+", "", e)
    has_year = bool(re.search(r"\b\d{4}\b", e))
    has_day = bool(re.search(r"\b\d{1,2}\b(?!\d)", re.sub(r"\b\d{4}\b", "", e))) or bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", e))
    if not has_year and pub is None:
        return None
    parsed = _dateparse(e.replace("Sept.", "Sep.").replace("Sept ", "Sep "), pub)
    if parsed is None:
        return None
    d = parsed.date()
    if pub is not None and not has_year and d > pub:
        d = d.replace(year=d.year - 1)
    if has_day:
        return d, "day"
    if re.search(_MON, e, re.IGNORECASE):
        return d.replace(day=1), "month"
    return dt.date(d.year, 1, 1), "year"


def _is_relative(expr: str) -> bool:
    e = expr.lower()
    if re.search(r"\d{4}", e):
        return False
    if re.search(_MON, expr) and re.search(r"\d", e):
        return False
    return not re.search(_MON, expr) or bool(re.search(_DAY, expr))


def resolve(expression: str, published: dt.date | None) -> EventDate:
    """Resolve one date expression against the publication date."""
    if isinstance(published, dt.datetime):
        published = published.date()
    expr = expression.strip()
    if _is_relative(expr):
        if published is None:
            return EventDate(None, "day", "unresolved", expr)
        hit = _relative(expr, published)
        if hit is None:
            hit = _absolute(expr, published)
    else:
        hit = _absolute(expr, published)
    if hit is None:
        if published is None:
            return EventDate(None, "day", "unresolved", expr)
        return EventDate(published.isoformat(), "day", "publication", expr)
    d, precision = hit
    return EventDate(d.isoformat(), precision, "text", expr)


_CLAUSE = re.compile(r"[;:]|,\s+(?:but|while|after|before|as|when|and)\b|\s[–—-]\s")


def event_date(sentence_text: str, trigger_start_in_sentence: int, published: dt.date | None) -> EventDate:
    """The date the trigger's clause carries: the closest expression in the sentence,
    preferring one in the same clause and after or near the trigger; else the publication date."""
    if isinstance(published, dt.datetime):
        published = published.date()
    exprs = find_expressions(sentence_text)
    if exprs:
        bounds = [m.start() for m in _CLAUSE.finditer(sentence_text)]

        def cost(x: tuple[int, int, str]) -> float:
            s, e, _ = x
            lo, hi = sorted((trigger_start_in_sentence, s))
            crossings = sum(lo < b < hi for b in bounds)
            dist = abs(s - trigger_start_in_sentence) if s >= trigger_start_in_sentence else 1.5 * (trigger_start_in_sentence - e)
            return dist + 200 * crossings

        best = min(exprs, key=cost)
        return resolve(best[2], published)
    if published is None:
        return EventDate(None, "day", "unresolved", None)
    return EventDate(published.isoformat(), "day", "publication", None)


__all__ = ["event_date", "find_expressions", "resolve"]
