"""Server-side SVG for the tracker pages: an agreement's timeline with accusation arrows between
the parties' lanes, and the accusation network. Every text is escaped; colours are SVG
attributes (the pages' content security policy allows no inline style)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from markupsafe import Markup, escape

STATE_COLOURS = {
    "proposed": "#8a8f98", "negotiated": "#6b7fa8", "signed": "#2f6db5", "declared": "#2f6db5",
    "in_force": "#2e8b57", "breach_alleged": "#d2691e", "collapsed": "#b22222", "revival_talks": "#7b4fa8",
    "renewed": "#12857a", "superseded": "#8a8f98", "ended": "#555555",
}
ACCUSE = "#d2691e"


def _d(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def timeline_svg(rec: dict, evidence_link) -> Markup:
    """States on a time axis; each alleged breach an arrow from the accuser's lane to the accused's."""
    states = [s for s in rec["states"] if _d(s["date"])]
    if not states:
        return Markup('<p class="empty">No dated states yet.</p>')
    lanes: list[str] = []
    for s in states:
        if s["state"] == "breach_alleged":
            for who in (s.get("accuser"), s.get("accused")):
                code = lane_of(who)
                if code and code not in lanes:
                    lanes.append(code)
    for code in rec["parties"] + rec["brokers"]:
        code = lane_of({"code": code, "country": code[:3] if len(code) >= 3 else None})
        if code and code not in lanes and len(lanes) < 12:
            lanes.append(code)
    d0 = min(_d(s["date"]) for s in states) - timedelta(days=1)
    d1 = max(_d(s["date"]) for s in states) + timedelta(days=1)
    span = max((d1 - d0).days, 1)
    left, right, top = 120, 100, 30
    width = 960
    band = top + 20 + 18 * max(_stack(states).values(), default=0)
    lane_y = {code: band + 40 + i * 34 for i, code in enumerate(lanes)}
    height = (max(lane_y.values()) if lane_y else band) + 50

    def x(day: str) -> float:
        return left + (width - left - right) * (_d(day) - d0).days / span

    out = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="timeline of {escape(rec["id"])}">',
           '<defs><marker id="acc-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
           f'markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{ACCUSE}"/></marker></defs>']
    step = max(1, span // 12)
    day = d0
    while day <= d1:  # the axis
        xx = x(day.isoformat())
        out.append(f'<line x1="{xx:.1f}" y1="{top}" x2="{xx:.1f}" y2="{height - 25}" stroke="#e6e9ee"/>')
        out.append(f'<text x="{xx:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" fill="#666">'
                   f'{day.strftime("%d %b")}</text>')
        day += timedelta(days=step)
    for code, y in lane_y.items():
        out.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" stroke="#c9ced6"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4}" font-size="12" text-anchor="end" fill="#222">{escape(code)}</text>')
    level = _stack(states)
    for i, s in enumerate(states):
        xx = x(s["date"])
        colour = STATE_COLOURS.get(s["state"], "#444")
        tip = escape(_tip(s))
        href = escape(evidence_link(s))
        if s["state"] == "breach_alleged":
            a = lane_of(s.get("accuser"))
            b = lane_of(s.get("accused"))
            yb = lane_y.get(b)
            if yb is None:
                continue
            ya = lane_y.get(a, band + 18)
            off = 4 * ((i % 3) - 1)
            dash = "" if a in lane_y else ' stroke-dasharray="4 3"'
            out.append(f'<a href="{href}"><line class="accusation" x1="{xx + off:.1f}" y1="{ya}" x2="{xx + off:.1f}" '
                       f'y2="{yb + (-6 if yb > ya else 6)}" stroke="{ACCUSE}" stroke-width="2.2"{dash} '
                       f'marker-end="url(#acc-arrow)" data-accuser="{escape(a or "")}" data-accused="{escape(b)}">'
                       f'<title>{tip}</title></line></a>')
            if a in lane_y:
                out.append(f'<circle cx="{xx + off:.1f}" cy="{ya}" r="3" fill="{ACCUSE}"/>')
            continue
        y = top + 12 + 18 * level[i]
        out.append(f'<a href="{href}"><g class="state" data-state="{escape(s["state"])}">'
                   f'<circle cx="{xx:.1f}" cy="{y}" r="6" fill="{colour}"/>'
                   f'<text x="{xx + 9:.1f}" y="{y + 4}" font-size="11" fill="{colour}">{escape(s["state"].replace("_", " "))}</text>'
                   f'<title>{tip}</title></g></a>')
        if s["state"] in ("collapsed", "in_force", "renewed") and lane_y:
            out.append(f'<line x1="{xx:.1f}" y1="{band + 20}" x2="{xx:.1f}" y2="{height - 25}" stroke="{colour}" '
                       f'stroke-dasharray="2 4" opacity="0.6"/>')
    out.append("</svg>")
    return Markup("".join(out))


def lane_of(who: dict | None) -> str | None:
    """One lane per side: state organs fold into their country (RUSMIL, RUSGOV → RUS), other
    actors (rebels, opposition, IGOs) keep their code — as in the accusation network."""
    from eventwatch.tracking.accusations import node

    if not who or not who.get("code"):
        return None
    code, country = who["code"], who.get("country")
    sector = code[len(country):] or None if country and code.startswith(country) else None
    return node(code, country, sector, "country")


def _stack(states: list[dict]) -> dict[int, int]:
    """Row of each non-breach state so labels on the same or close days do not overlap."""
    rows: dict[int, int] = {}
    last: list[date] = []
    for i, s in enumerate(states):
        if s["state"] == "breach_alleged":
            continue
        d = _d(s["date"])
        row = next((r for r, prev in enumerate(last) if (d - prev).days >= 3), len(last))
        if row == len(last):
            last.append(d)
        else:
            last[row] = d
        rows[i] = row
    return rows


def _tip(s: dict) -> str:
    who = ""
    if s["state"] == "breach_alleged":
        who = f" {(s.get('accuser') or {}).get('code') or '?'} → {(s.get('accused') or {}).get('code') or '?'}"
    first = (s["evidence"][0].get("sentence") or "") if s["evidence"] else ""
    return f"{s['date']} {s['state']}{who} ({len(s['evidence'])} evidence): {first[:200]}"


def network_svg(net: dict) -> Markup:
    """Accusers → accused; mutual pairs in red, width by count."""
    if not net["edges"]:
        return Markup('<p class="empty">No accusations for these filters.</p>')
    from eventwatch.web.graph import layout

    nodes = [n["id"] for n in net["nodes"]]
    pos = layout(nodes, [(e["accuser"], e["accused"], e["count"]) for e in net["edges"]])
    w, h, pad = 900, 560, 50
    xy = {v: (pad + px * (w - 2 * pad), pad + py * (h - 2 * pad)) for v, (px, py) in pos.items()}
    top = max(e["count"] for e in net["edges"])
    biggest = max(n["accusations"] for n in net["nodes"])
    radius = {n["id"]: 5 + 12 * math.sqrt(n["accusations"] / biggest) for n in net["nodes"]}
    out = [f'<svg class="network accusations" viewBox="0 0 {w} {h}" role="img" aria-label="accusation network"><defs>']
    for cls, colour in (("mutual", "#b22222"), ("one", ACCUSE)):
        out.append(f'<marker id="acc-{cls}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" '
                   f'markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>')
    out.append("</defs>")
    for e in net["edges"]:
        (x1, y1), (x2, y2) = xy[e["accuser"]], xy[e["accused"]]
        dx, dy = x2 - x1, y2 - y1
        d = math.hypot(dx, dy) or 1
        r2 = radius[e["accused"]] + 3
        ex, ey = x2 - dx / d * r2, y2 - dy / d * r2
        mx, my = (x1 + ex) / 2 - dy / d * 20, (y1 + ey) / 2 + dx / d * 20
        cls = "mutual" if e["mutual"] else "one"
        colour = "#b22222" if e["mutual"] else ACCUSE
        tip = escape(f"{e['accuser']} accuses {e['accused']}: {e['count']} — "
                     + ", ".join(f"{k} {v}" for k, v in e["alleged"].items()))
        out.append(f'<path class="edge {cls}" d="M{x1:.1f},{y1:.1f}Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                   f'stroke="{colour}" stroke-width="{1 + 5 * e["count"] / top:.1f}" marker-end="url(#acc-{cls})" '
                   f'data-accuser="{escape(e["accuser"])}" data-accused="{escape(e["accused"])}"><title>{tip}</title></path>')
    for v, (x0, y0) in xy.items():
        out.append(f'<g class="node"><circle cx="{x0:.1f}" cy="{y0:.1f}" r="{radius[v]:.1f}" fill="#3b5b80"/>'
                   f'<text x="{x0:.1f}" y="{y0 - radius[v] - 4:.1f}" font-size="12" text-anchor="middle" fill="#222">'
                   f'{escape(v)}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))
