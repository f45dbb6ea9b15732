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
