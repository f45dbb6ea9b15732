"""The tracking stage: after coding, each coded article is parsed again and its quotes,
agreement mentions (linked to agreements, with lifecycle states) and accusations are stored.

Incremental and idempotent: an article is tracked when it was never tracked or was coded
again since (``coded_articles.coded_at`` changed); its previous rows are replaced in one
transaction, and the agreements it touched are recomputed (a detected agreement nothing refers
to any more is dropped). Tracking the same archive twice changes nothing. ``everything=True``
forgets all detected agreements and tracks every article again, oldest first, so the result
does not depend on the order articles arrived in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from eventwatch import __version__

TRACKER_VERSION = f"eventwatch-tracking-{__version__}"


@dataclass
class TrackReport:
    articles: int = 0
    mentions: int = 0
    linked: int = 0
    agreements_new: int = 0
    states: int = 0
    accusations: int = 0
    quotes: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("articles", "mentions", "linked", "agreements_new", "states",
                                               "accusations", "quotes", "failed")}


def _parsed(articles: list, batch_size: int = 16) -> Iterator[tuple[object, list]]:
    from eventwatch import nlp as nlp_mod
    from eventwatch.events.coder import chunks

    nlp = nlp_mod.load()
    for i in range(0, len(articles), batch_size):
        batch = articles[i : i + batch_size]
        pieces = [((j, start), text) for j, (a, _c) in enumerate(batch) for start, text in chunks(a.body)]
        parsed: dict[int, list] = {j: [] for j in range(len(batch))}
        for doc, (j, start) in nlp.pipe(((t, ctx) for ctx, t in pieces), as_tuples=True, batch_size=batch_size):
            parsed[j].append((start, doc))
        for j, item in enumerate(batch):
            yield item, parsed[j]


def track_store(store, everything: bool = False, article_ids: list[str] | None = None,
                on_article: Callable[[TrackReport], None] | None = None) -> TrackReport:
    """Track the coded articles that need it (all of them with ``everything``)."""
    store.ensure_tracking()
    report = TrackReport()
    if everything:
        with store.transaction():
            store.reset_detected()
    todo = store.articles_to_track(everything=everything, article_ids=article_ids)
    for (article, coded_at), docs in _parsed(todo):
        try:
            track_article(store, article, coded_at, docs, report)
        except Exception as exc:  # one article must not stop the stage
            report.failed += 1
            report.failures.append((article.id, f"{type(exc).__name__}: {exc}"))
        report.articles += 1
        if on_article:
            on_article(report)
    return report


def detect_article(article, docs: list, events: list[dict], places: dict | None = None,
                   quotes: list | None = None) -> tuple[list, list]:
    """The pure part of tracking one article: its quotes and agreement mentions, from its parsed
    pieces and coded event records. Runs inside the coding stage, on the coder's own parse (and
    its quotes, when given)."""
    from eventwatch.tracking.mentions import Detector
    from eventwatch.tracking.quotes import find_quotes

    if quotes is None:
        quotes = find_quotes(docs, article.published, article.dateline)
    return quotes, Detector(article, docs, events, quotes, places=places).run()


def track_article(store, article, coded_at: str | None, docs: list, report: TrackReport | None = None) -> dict:
    """Replace one article's quotes, mentions, states and accusations, and relink its agreements."""
    events = list(store.iter_events("e.article_id = ?", (article.id,)))
    quotes, mentions = detect_article(article, docs, events)
    return store_tracking(store, article, coded_at, events, quotes, mentions, report)


def store_tracking(store, article, coded_at: str | None, events: list[dict], quotes: list, mentions: list,
                   report: TrackReport | None = None) -> dict:
    """The store part of tracking one article (links need the archive's agreements)."""
    from eventwatch.tracking import accusations as acc
    from eventwatch.tracking.agreements import cluster, link

    report = report or TrackReport()
    with store.transaction():
        touched = store.clear_article_tracking(article.id)
        before = {r[0] for r in store.conn.execute("SELECT id FROM agreements")}
        clusters = cluster(mentions)
        links = link(store, clusters, article)
        store.insert_tracking_rows("quotes", [_quote_row(article.id, q) for q in quotes])
        store.insert_tracking_rows("agreement_mentions", [_mention_row(m, links) for m in mentions])
        states = [_state_row(m, s, links) for m in mentions for s in m.states]
        store.insert_tracking_rows("agreement_states", [s for s in states if s["agreement_id"]])
        rows = acc.from_events(article.id, events)
        rows += acc.from_breaches(article.id, mentions, links, rows)
        store.insert_tracking_rows("accusations", rows)
        linked = {v[0] for v in links.values()}
        store.refresh_agreements(touched | linked)
        counts = {"mentions": len(mentions), "quotes": len(quotes), "accusations": len(rows)}
        store.mark_tracked(article.id, coded_at, TRACKER_VERSION, counts)
        after = {r[0] for r in store.conn.execute("SELECT id FROM agreements")}
    report.mentions += len(mentions)
    report.linked += sum(1 for m in mentions if m.cluster in links)
    report.agreements_new += len(after - before)
    report.states += sum(1 for s in states if s["agreement_id"])
    report.accusations += len(rows)
    report.quotes += len(quotes)
    return counts


def _actor_json(actors) -> str:
    return json.dumps([{"text": a.text, "code": a.code, "country": a.country, "sector": a.sector, "name": a.name}
                       for a in actors], ensure_ascii=False)


def _quote_row(article_id: str, q) -> dict:
    import hashlib

    sp = q.speaker
    return {
        "id": hashlib.sha1(f"{article_id}|{q.kind}|{q.start}|{q.end}".encode()).hexdigest()[:16],
        "article_id": article_id, "start": q.start, "end": q.end, "text": q.text, "kind": q.kind,
        "speaker_text": sp.text if sp else None, "speaker_start": sp.start if sp else None,
        "speaker_end": sp.end if sp else None, "speaker_code": sp.code if sp else None,
        "speaker_country": sp.country if sp else None, "speaker_sector": sp.sector if sp else None,
        "speaker_name": sp.name if sp else None, "speaker_confidence": sp.confidence if sp else None,
        "speaker_reason": sp.reason if sp else None, "cue_text": q.cue, "cue_start": q.cue_start,
        "cue_end": q.cue_end, "sentence_index": q.sentence_index, "paragraphs": q.paragraphs,
        "closed": int(q.closed), "confidence": q.confidence, "reason": q.reason,
    }


def _mention_row(m, links: dict) -> dict:
    link = links.get(m.cluster)
    place = m.place or {}
    return {
        "id": m.id, "article_id": m.article_id, "agreement_id": link[0] if link else None, "cluster": m.cluster,
        "sentence_index": m.sentence_index, "sentence_start": m.sentence_start, "sentence_end": m.sentence_end,
        "sentence_text": m.sentence_text, "start": m.start, "end": m.end, "text": m.text, "term": m.term,
        "type": m.type, "definite": int(m.definite), "introduces": int(m.introduces),
        "parties": _actor_json(m.parties), "brokers": _actor_json(m.brokers),
        "place_country": place.get("country"), "place_name": place.get("name"), "geonameid": place.get("geonameid"),
        "place_source": place.get("source"), "link_confidence": link[1] if link else None,
        "link_reason": link[2] if link else None,
    }


def _state_row(m, s, links: dict) -> dict:
    import hashlib

    link = links.get(m.cluster)
    key = f"{m.id}|{s.state}|{s.cue_start}|{s.accused.code if s.accused else ''}|{s.accuser.code if s.accuser else ''}"
    return {
        "id": hashlib.sha1(key.encode()).hexdigest()[:16], "agreement_id": link[0] if link else None,
        "mention_id": m.id, "article_id": m.article_id, "state": s.state, "date": s.date.date,
        "date_precision": s.date.precision, "date_source": s.date.source, "date_expression": s.date.expression,
        "modality": s.modality, "cue": s.cue, "cue_start": s.cue_start, "cue_end": s.cue_end,
        "sentence_index": m.sentence_index, "sentence_start": m.sentence_start, "sentence_end": m.sentence_end,
        "evidence": m.sentence_text,
        "accuser_text": s.accuser.text if s.accuser else None, "accuser_code": s.accuser.code if s.accuser else None,
        "accuser_country": s.accuser.country if s.accuser else None,
        "accused_text": s.accused.text if s.accused else None, "accused_code": s.accused.code if s.accused else None,
        "accused_country": s.accused.country if s.accused else None,
        "attributed_text": s.attributed.text if s.attributed else None,
        "attributed_code": s.attributed.code if s.attributed else None,
        "event_id": s.event_id, "alleged_cameo": s.alleged, "origin": "detected", "record_id": None,
        "confidence": s.confidence,
    }
