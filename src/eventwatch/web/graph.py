"""The actor network as inline SVG: a deterministic force-directed layout computed on the server."""

from __future__ import annotations

import math

from markupsafe import Markup, escape


def layout(nodes: list[str], edges: list[tuple[str, str, float]], size: float = 1.0, iterations: int = 200) -> dict:
    """Fruchterman–Reingold with gravity (numpy), from a circle (same input → same picture), scaled
    to fill [0, size]²; gravity keeps disconnected pairs from drifting to the edges."""
    import numpy as np

    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (size / 2, size / 2)}
    angle = 2 * np.pi * np.arange(n) / n
    pos = np.stack([0.5 + 0.4 * np.cos(angle), 0.5 + 0.4 * np.sin(angle)], axis=1)
    index = {v: i for i, v in enumerate(nodes)}
    src = np.array([index[a] for a, _, _ in edges], dtype=int)
    dst = np.array([index[b] for _, b, _ in edges], dtype=int)
    weight = np.array([1 + 0.3 * math.log1p(w) for _, _, w in edges])
    k = 0.8 * math.sqrt(1.0 / n)
    gravity, t = 0.6, 0.08
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = (delta ** 2).sum(-1)
        np.fill_diagonal(d2, np.inf)
        disp = (delta * (k * k / np.maximum(d2, 1e-9))[:, :, None]).sum(1)  # repulsion k²/d
        e = pos[src] - pos[dst]
        f = e * (np.sqrt((e ** 2).sum(-1)) / k * weight)[:, None]  # attraction d²/k
        np.add.at(disp, src, -f)
        np.add.at(disp, dst, f)
        disp -= gravity * (pos - 0.5)
        length = np.maximum(np.sqrt((disp ** 2).sum(-1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, t)[:, None]
        t = max(0.001, t * 0.978)
    lo, hi = pos.min(0), pos.max(0)
    span = max(float((hi - lo).max()), 1e-9)
    centre = (lo + hi) / 2
    out = (0.5 + (pos - centre) / span) * size
    return {v: (float(out[i, 0]), float(out[i, 1])) for i, v in enumerate(nodes)}


def network_svg(net: dict, link) -> Markup:
    """Nodes sized by events, directed edges coloured by conflict share (red) vs cooperation (blue)."""
    if not net["edges"]:
        return Markup('<p class="empty">No actor pairs for these filters.</p>')
    nodes = [n["id"] for n in net["nodes"]]
    pos = layout(nodes, [(e["source"], e["target"], e["count"]) for e in net["edges"]])
    w, h, pad = 900, 620, 45
    xy = {v: (pad + x * (w - 2 * pad), pad + y * (h - 2 * pad)) for v, (x, y) in pos.items()}
    top_edge = max(e["count"] for e in net["edges"])
    top_node = max(n["in"] + n["out"] for n in net["nodes"])
    parts = [f'<svg id="network" class="network" viewBox="0 0 {w} {h}" role="img" aria-label="actor network">',
             '<defs>']
    for cls in ("conf", "coop", "mixed"):
        parts.append(f'<marker id="arrow-{cls}" class="arrow {cls}" viewBox="0 0 10 10" refX="10" refY="5" '
                     f'markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0L10,5L0,10z"/></marker>')
    parts.append("</defs><g class=\"edges\">")
    radius = {n["id"]: 5 + 14 * math.sqrt((n["in"] + n["out"]) / top_node) for n in net["nodes"]}
    for e in net["edges"]:
        (x1, y1), (x2, y2) = xy[e["source"]], xy[e["target"]]
        dx, dy = x2 - x1, y2 - y1
        d = math.hypot(dx, dy) or 1
        # a slight curve so A→B and B→A stay apart; end at the target's rim
        r2 = radius[e["target"]] + 3
        ex, ey = x2 - dx / d * r2, y2 - dy / d * r2
        mx, my = (x1 + ex) / 2 - dy / d * 18, (y1 + ey) / 2 + dx / d * 18
        cls = "conf" if e["conflict_share"] >= 0.6 else "coop" if e["conflict_share"] <= 0.4 else "mixed"
        width = 1 + 5 * e["count"] / top_edge
        title = escape(f"{e['source']} → {e['target']}: {e['count']} events, conflict share {e['conflict_share']:.0%}, "
                       f"mean Goldstein {e['mean_goldstein']:+.1f}")
        href = escape(link(source=e["source"], target=e["target"]))
        parts.append(f'<a href="{href}"><path class="edge {cls}" d="M{x1:.1f},{y1:.1f}Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" '
                     f'stroke-width="{width:.1f}" marker-end="url(#arrow-{cls})" data-source="{escape(e["source"])}" '
                     f'data-target="{escape(e["target"])}"><title>{title}</title></path></a>')
    parts.append('</g><g class="nodes">')
    for n in net["nodes"]:
        x, y = xy[n["id"]]
        title = escape(f"{n['id']}: acts {n['out']}, acted on {n['in']}")
        parts.append(f'<a href="{escape(link(actor=n["id"]))}"><g class="node" data-id="{escape(n["id"])}">'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[n["id"]]:.1f}"><title>{title}</title></circle>'
                     f'<text x="{x:.1f}" y="{y - radius[n["id"]] - 4:.1f}" text-anchor="middle">{escape(n["id"])}</text></g></a>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
