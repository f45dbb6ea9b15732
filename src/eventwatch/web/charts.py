"""Inline SVG charts built on the server: no chart library, no inline script or style
(colours come from classes in app.css; sizes are SVG attributes, which the CSP allows)."""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

from eventwatch.events.codes import QUAD_NAMES


def _next(d: date, period: str) -> date:
    if period == "day":
        return d + timedelta(days=1)
    if period == "week":
        return d + timedelta(days=7)
    if period == "month":
        return date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def period_range(period: str, start: str) -> tuple[str, str]:
    """The ``since``/``until`` filter values covering one bin."""
    d = date.fromisoformat(start)
    if period == "month":
        return start[:7], start[:7]
    if period == "year":
        return start[:4], start[:4]
    return start, (_next(d, period) - timedelta(days=1)).isoformat()


def fill_bins(bins: list[dict], period: str, max_bins: int = 400) -> list[dict]:
    """Continuous bins from the first to the last (empty periods as zeros), at most ``max_bins``."""
    if not bins:
        return []
    have = {b["period"]: b for b in bins}
    d, last = date.fromisoformat(bins[0]["period"]), date.fromisoformat(bins[-1]["period"])
    out = []
    while d <= last and len(out) < max_bins:
        key = d.isoformat()
        out.append(have.get(key) or {"period": key, "count": 0, "goldstein": 0, "q1": 0, "q2": 0, "q3": 0, "q4": 0})
        d = _next(d, period)
    return out


def timeline_svg(bins: list[dict], period: str, link) -> Markup:
    """Stacked bars per period by QuadClass; each bar links to the event list for its period."""
    bins = fill_bins(bins, period)
    if not bins:
        return Markup('<p class="empty">No dated events for these filters.</p>')
    w, h, left, bottom, top = 900, 240, 40, 30, 10
    plot_w, plot_h = w - left - 10, h - bottom - top
    peak = max(b["count"] for b in bins) or 1
    bw = plot_w / len(bins)
    parts = [f'<svg class="chart timeline" viewBox="0 0 {w} {h}" role="img" aria-label="events over time by QuadClass">']
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line class="grid" x1="{left}" x2="{w - 10}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{round(peak * frac)}</text>')
    label_every = max(1, len(bins) // 8)
    for i, b in enumerate(bins):
        x = left + i * bw
        y = top + plot_h
        since, until = period_range(period, b["period"])
        title = escape(f"{b['period']} ({period}): {b['count']} — " + ", ".join(
            f"{QUAD_NAMES[q]} {b[f'q{q}']}" for q in (1, 2, 3, 4)))
        parts.append(f'<a href="{escape(link(since=since, until=until))}" class="bar"><title>{title}</title>')
        for q in (1, 2, 3, 4):
            v = b[f"q{q}"] or 0
            if v:
                bh = plot_h * v / peak
                y -= bh
                parts.append(f'<rect class="q{q}" x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(bw - 1, 1):.1f}" height="{bh:.1f}"/>')
        parts.append("</a>")
        if i % label_every == 0:
            lab = b["period"][:7] if period in ("month", "year") else b["period"]
            parts.append(f'<text class="tick" x="{x + bw / 2:.1f}" y="{h - 10}" text-anchor="middle">{escape(lab)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def balance_svg(balance: float, counts: dict) -> Markup:
    """A bar from the centre: right (blue) for cooperation, left (red) for conflict."""
    w, h, mid = 120, 14, 60
    v = max(-1.0, min(1.0, balance or 0.0))
    cls = "coop" if v > 0 else "conf"
    x, bw = (mid, mid * v) if v > 0 else (mid + mid * v, -mid * v)
    title = escape(f"balance {v:+.2f}: cooperation {counts.get('q1', 0) + counts.get('q2', 0)}, "
                   f"conflict {counts.get('q3', 0) + counts.get('q4', 0)}")
    return Markup(f'<svg class="balance" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"><title>{title}</title>'
                  f'<rect class="track" x="0" y="3" width="{w}" height="8"/>'
                  f'<rect class="{cls}" x="{x:.1f}" y="3" width="{bw:.1f}" height="8"/>'
                  f'<line class="mid" x1="{mid}" x2="{mid}" y1="0" y2="{h}"/></svg>')


def legend() -> Markup:
    items = "".join(f'<span class="key"><span class="swatch q{q}"></span>{escape(QUAD_NAMES[q])}</span>' for q in (1, 2, 3, 4))
    return Markup(f'<div class="legend">{items}</div>')
