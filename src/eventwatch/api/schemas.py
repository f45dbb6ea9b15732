"""Response shapes for the OpenAPI schema (the handlers return plain JSON of these shapes)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Span(BaseModel):
    text: str | None = None
    start: int | None = None
    end: int | None = None


class ActorMention(Span):
    code: str | None = Field(None, description="CAMEO-style actor code (RUSGOV, IGOUNO)")
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    confidence: float | None = None
    reason: str | None = None


class EventRecord(BaseModel):
    """The public event record (docs/events.md); offsets are characters in the article body."""

    id: str
    article_id: str
    sentence: dict[str, Any]
    trigger: Span
    source: ActorMention | None = None
    target: ActorMention | None = None
    cameo: dict[str, Any] = Field(description="code, root, quad_class, goldstein")
    plover: dict[str, Any] = Field(description="event, mode, context")
    modality: str
    attributed_to: dict[str, Any] | None = None
    parent: str | None = None
    date: str | None = None
    date_precision: str | None = None
    date_source: str | None = None
    date_expression: str | None = None
    place: dict[str, Any] | None = None
    confidence: float
    rule: str | None = None
    coder_version: str
    event_key: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None


class EventDetail(EventRecord):
    group: dict[str, Any] | None = Field(None, description="the deduplicated event: counts and all its mentions")
    children: list[str] = Field(default_factory=list, description="events this one reports (nested claims)")
    article: dict[str, Any] | None = None


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EventRecord]


class DyadRow(BaseModel):
    period: str
    actor_a: str | None
    actor_b: str | None
    count: int
    goldstein: float | None
    q1: int = Field(description="verbal cooperation")
    q2: int = Field(description="material cooperation")
    q3: int = Field(description="verbal conflict")
    q4: int = Field(description="material conflict")


class PlaceRow(BaseModel):
    geonameid: int | None
    name: str | None
    country: str | None
    precision: str | None
    feature: str | None
    lat: float
    lon: float
    count: int
    goldstein: float | None
    q1: int
    q2: int
    q3: int
    q4: int


class ArticleSummary(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    lang: str | None = None
    duplicate_of: str | None = None
    events: int | None = None
    snippet: str | None = Field(None, description="search hit with matches between \\u0002 and \\u0003")


class ArticlePage(BaseModel):
    total: int | None
    limit: int
    offset: int
    items: list[ArticleSummary]


class Article(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    dateline: str | None
    lang: str | None
    author: str | None
    captions: list[str]
    body: str
    duplicate_of: str | None
    events: list[EventRecord]


class Network(BaseModel):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
