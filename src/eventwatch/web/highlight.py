"""The article reader's evidence highlighting: the body split at span edges, every piece escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

# Roles in the order their classes are listed; <mark> for the evidence of the selected event.
ROLES = ("sentence", "trigger", "source", "target", "attributed", "place", "other")
MARKED = {"trigger", "source", "target", "attributed", "place"}


def event_spans(ev: dict) -> list[tuple[int, int, str]]:
    """The selected event's evidence spans: sentence, trigger, source, target, who said it, place."""
    out = [(ev["sentence"]["start"], ev["sentence"]["end"], "sentence"),
           (ev["trigger"]["start"], ev["trigger"]["end"], "trigger")]
    for role, key in (("source", "source"), ("target", "target"), ("attributed", "attributed_to"), ("place", "place")):
        span = ev.get(key)
        if span and span.get("start") is not None and span.get("end") is not None and span["start"] >= 0:
            out.append((span["start"], span["end"], role))
    return out


def highlight(body: str, spans: list[tuple[int, int, str]]) -> Markup:
    """Body text with ``<span class="hl hl-sentence">`` / ``<mark class="hl hl-source" data-role=…>``
    around the spans. Overlapping spans produce pieces carrying every covering role."""
    n = len(body)
    valid = [(max(0, s), min(n, e), r) for s, e, r in spans if s is not None and e is not None and 0 <= s < e]
    cuts = sorted({0, n, *[s for s, _, _ in valid], *[e for _, e, _ in valid]})
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        roles = [r for r in ROLES if any(s <= a and b <= e and rr == r for s, e, rr in valid)]
        text = str(escape(body[a:b]))
        if not roles:
            parts.append(text)
            continue
        classes = " ".join(["hl"] + [f"hl-{r}" for r in roles])
        marked = [r for r in roles if r in MARKED]
        if marked:
            parts.append(f'<mark class="{classes}" data-role="{marked[0]}">{text}</mark>')
        else:
            parts.append(f'<span class="{classes}">{text}</span>')
    return Markup("".join(parts))
