"""Extraction: one raw document in, one normalised ``Article`` (or a ``Reject``) out.

Pure functions, no I/O: safe to run in worker processes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from eventwatch.extract.dateline import split_dateline
from eventwatch.extract.html import HtmlError, extract_html
from eventwatch.extract.text import (
    DecodeError,
    clean_line,
    decode,
    detect_language,
    hash_key,
    join_paragraphs,
    paragraphs,
)
from eventwatch.extract.textpage import parse as parse_textpage
from eventwatch.model import Article, RawDoc, Reject

ID_LENGTH = 24  # hex characters of SHA-256 (96 bits)


@dataclass(frozen=True, slots=True)
class Defaults:
    """Metadata for inputs that carry none (``ingest --date/--outlet``)."""

    published: str | None = None
    outlet: str | None = None


def article_id(body: str) -> str:
    """Identity of an article: a hash of its normalised text."""
    return hashlib.sha256(hash_key(body).encode("utf-8")).hexdigest()[:ID_LENGTH]


def extract(raw: RawDoc, defaults: Defaults = Defaults()) -> Article | Reject:
    try:
        art = _extract(raw)
    except (DecodeError, HtmlError, ValueError) as exc:
        return Reject(raw.origin, str(exc), raw.location, "extract")
    except Exception as exc:  # a parser bug must not stop the batch
        return Reject(raw.origin, f"extraction failed ({type(exc).__name__}: {exc})", raw.location, "extract")
    if not art.body.strip():
        return Reject(raw.origin, "no article text found", raw.location, "extract")
    art.id = article_id(art.body)
    art.kind, art.origin, art.location = raw.kind, raw.origin, raw.location
    art.published = art.published or defaults.published
    art.outlet = art.outlet or defaults.outlet
    if not art.lang:
        art.lang = detect_language(art.body)
    return art


def _extract(raw: RawDoc) -> Article:
    if raw.kind == "record":
        return _from_record(raw.fields or {})
    if raw.kind == "html":
        parts = extract_html(raw.data, raw.url)
        body = parts.body
        dateline = None
        if body:
            dateline, body[0] = split_dateline(body[0])
        return Article(
            id="",
            body=join_paragraphs(body),
            title=parts.title,
            url=parts.url or raw.url,
            outlet=parts.outlet,
            published=normalise_date(parts.published) if parts.published else None,
            author=parts.author,
            captions=parts.captions,
            dateline=dateline,
        )
    text = decode(raw.data)
    paras = paragraphs(text)
    lang = detect_language(" ".join(paras))
    page = parse_textpage(paras, lang)
    published = None
    if page.published:
        try:
            published = normalise_date(page.published)
        except ValueError:
            published = None  # a date line we cannot read is left to --date
    return Article(
        id="",
        body=join_paragraphs(page.body),
        title=page.title,
        outlet=page.outlet,
        source_id=page.source_id,
        published=published,
        dateline=page.dateline,
        captions=page.captions,
        author=page.author,
        lang=lang,
    )


def _from_record(f: dict) -> Article:
    paras = paragraphs(f["text"])
    dateline = None
    if paras:
        dateline, paras[0] = split_dateline(paras[0])
    return Article(
        id="",
        body=join_paragraphs(paras),
        title=clean_line(f["title"]) if f.get("title") else None,
        url=f.get("url"),
        outlet=f.get("source"),
        source_id=f.get("id"),
        published=normalise_date(f["date"]) if f.get("date") else None,
        dateline=dateline,
        lang=re.split(r"[-_]", (f.get("lang") or "").strip().lower())[0] or None,  # "en-US" → "en"
    )


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise_date(value: str) -> str:
    """ISO 8601: ``YYYY-MM-DD`` for dates, ``YYYY-MM-DDTHH:MM:SS+00:00`` (UTC) for times."""
    value = value.strip()
    if _ISO_DAY.match(value):
        date.fromisoformat(value)  # validates the day
        return value
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        dt = _dateparser(value)
    if dt.tzinfo is None:
        if dt.hour == dt.minute == dt.second == 0:
            return dt.date().isoformat()
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


_DATE_LANGUAGES = ["en", "fr", "es", "de", "pt", "it", "nl", "ru", "uk", "ar", "tr", "pl", "id", "zh", "ja"]


def _dateparser(value: str) -> datetime:
    import dateparser

    # Absolute dates only ("yesterday" is no publication date), in the languages news feeds
    # mostly use: trying all of dateparser's ~200 locales costs seconds per unreadable value.
    dt = dateparser.parse(
        value,
        languages=_DATE_LANGUAGES,
        settings={
            "STRICT_PARSING": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )
    if dt is None:
        raise ValueError(f"unparseable publication date {value!r} (use ISO 8601, e.g. 2016-09-26)")
    return dt
