"""The small typed records that flow between pipeline stages.

Stages are plain functions over these dataclasses; none of them does I/O, so the
same code runs in-process, in a process pool or on cluster workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class RawDoc:
    """One input document as read from a source, before extraction.

    ``kind`` is what the content was detected as: ``textpage`` (scraped text),
    ``html`` (an HTML page, possibly from a WARC record) or ``record`` (a JSONL
    object, already decoded into ``fields``).
    """

    origin: str
    kind: str
    data: bytes = b""
    location: str | None = None
    fields: dict | None = None
    url: str | None = None
    fetched: str | None = None


@dataclass(slots=True)
class Article:
    """An extracted, normalised article: the unit the archive stores."""

    id: str
    body: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    source_id: str | None = None
    published: str | None = None
    dateline: str | None = None
    captions: list[str] = field(default_factory=list)
    lang: str | None = None
    author: str | None = None
    kind: str | None = None
    origin: str | None = None
    location: str | None = None
    duplicate_of: str | None = None
    ingested_at: str | None = None

    # Metadata fields that a later ingest may fill in for an article already stored.
    METADATA = ("title", "url", "outlet", "source_id", "published", "dateline", "author")


@dataclass(slots=True, frozen=True)
class Reject:
    """An input (or part of one) that could not be used, and why."""

    input: str
    reason: str
    location: str | None = None
    stage: str = "ingest"

    def message(self) -> str:
        where = f"{self.input} ({self.location})" if self.location else self.input
        return f"{where}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Skip:
    """Input that is valid but not an article (e.g. a WARC image record)."""

    input: str
    reason: str
    location: str | None = None


@dataclass(slots=True)
class Actor:
    """An actor mention resolved to codes.

    ``code`` is the CAMEO-style code (``RUSGOV``, ``USAMIL``, ``IGOUNO``, ``SYRREB``);
    ``country`` is ISO 3166 alpha-3, or an IGO/NGO code such as ``UNO``; ``sector``
    is the primary sector (GOV, MIL, REB, OPP, IGO, …). Offsets are characters in
    the article body. ``reason`` says which rule or knowledge-base entry decided.
    """

    text: str
    start: int
    end: int
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    confidence: float = 1.0
    reason: str = ""

    def brief(self) -> dict:
        return {"text": self.text, "code": self.code, "country": self.country, "sector": self.sector}


@dataclass(slots=True)
class Place:
    """A toponym resolved against the gazetteer (or left unresolved, ``geonameid`` None)."""

    text: str
    start: int
    end: int
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None  # GeoNames admin1 code, e.g. "SY.09"
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None  # GeoNames feature code: PPL, PPLC, ADM1, PCLI, …
    precision: str | None = None  # point | admin1 | country
    confidence: float = 0.0
    reason: str = ""


@dataclass(slots=True)
class EventDate:
    """When an event happened, and how we know."""

    date: str | None  # YYYY-MM-DD (first day of the week/month when less precise)
    precision: str = "day"  # day | week | month | year
    source: str = "publication"  # "text" (from an expression) | "publication" | "unresolved"
    expression: str | None = None  # the text expression, e.g. "last week"


@dataclass(slots=True)
class Event:
    """One coded event with its evidence in the article body."""

    id: str
    article_id: str
    sentence_index: int
    sentence_text: str
    sentence_start: int
    sentence_end: int
    trigger_text: str
    trigger_start: int
    trigger_end: int
    cameo: str
    source: Actor | None = None
    target: Actor | None = None
    root: str = ""
    quad_class: int = 0
    goldstein: float = 0.0
    plover_event: str | None = None
    plover_mode: str | None = None
    plover_context: str | None = None
    modality: str = "asserted"  # asserted | reported | intended | hypothetical | negated
    attributed_to: Actor | None = None
    parent: str | None = None
    date: EventDate | None = None
    place: Place | None = None
    confidence: float = 1.0
    rule: str = ""  # the lexicon entry that fired, for provenance
