"""An offline world map as inline SVG: country shapes from the installed ``countryinfo``
package (Natural Earth-derived GeoJSON), an equirectangular projection, event places as circles."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

W, H = 1000, 500  # the whole world; the view crops the poles (below)
VIEW = (0, 28, 1000, 400)  # x, y, width, height: latitudes ≈ 80°N … 64°S


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * W / 360.0, (90.0 - lat) * H / 180.0


def _ring_path(ring: list) -> str:
    pts = [project(float(p[0]), float(p[1])) for p in ring]
    out, last = [], None
    for x, y in pts:
        cur = (round(x, 1), round(y, 1))
        if cur != last:
            out.append(f"{cur[0]},{cur[1]}")
            last = cur
    return "M" + "L".join(out) + "Z" if len(out) > 2 else ""


@lru_cache(maxsize=1)
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """``(iso3, name, svg path)`` for every country countryinfo has a shape for."""
    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    out = []
    for f in sorted(folder.glob("*.json")):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        geo = d.get("geoJSON") or {}
        iso3 = (d.get("ISO") or {}).get("alpha3")
        if not geo or not iso3:
            continue
        paths = []
        for feat in geo.get("features", []):
            g = feat.get("geometry") or {}
            polys = [g.get("coordinates", [])] if g.get("type") == "Polygon" else g.get("coordinates", [])
            for poly in polys:
                for ring in poly:
                    p = _ring_path(ring)
                    if p:
                        paths.append(p)
        if paths:
            out.append((iso3, d.get("name") or iso3, "".join(paths)))
    return tuple(out)


def _bucket(n: int, peak: int) -> int:
    if n <= 0:
        return 0
    return 1 + min(4, int(4 * math.log1p(n) / math.log1p(max(peak, 1))))


def map_svg(places: list[dict], by_country: dict[str, int], link) -> Markup:
    """The world with countries shaded by event counts and a circle per event place.

    ``link(**filters)`` makes the event-list URL each country and place links to."""
    peak = max(by_country.values(), default=0)
    x0, y0, vw, vh = VIEW
    parts = [f'<svg id="map" class="worldmap" viewBox="{x0} {y0} {vw} {vh}" data-viewbox="{x0} {y0} {vw} {vh}" '
             f'role="img" aria-label="map of event locations">',
             f'<rect class="sea" x="-2000" y="-2000" width="{W + 4000}" height="{H + 4000}"/>', '<g class="graticule">']
    for lon in range(-150, 181, 30):
        x = project(lon, 0)[0]
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{H}"/>')
    for lat in range(-60, 91, 30):
        y = project(0, lat)[1]
        parts.append(f'<line x1="0" x2="{W}" y1="{y:.1f}" y2="{y:.1f}"/>')
    parts.append('</g><g class="countries">')
    for iso3, name, d in country_paths():
        n = by_country.get(iso3, 0)
        title = escape(f"{name}: {n} event mention{'s' if n != 1 else ''}")
        shape = f'<path class="country c{_bucket(n, peak)}" data-iso3="{iso3}" d="{d}"><title>{title}</title></path>'
        parts.append(f'<a href="{escape(link(country=iso3))}">{shape}</a>' if n else shape)
    parts.append('</g><g class="places">')
    top = max((p["count"] for p in places), default=1)
    for p in sorted(places, key=lambda p: -p["count"]):
        x, y = project(p["lon"], p["lat"])
        r = 2.5 + 9 * math.sqrt(p["count"] / top)
        mean = (p["goldstein"] or 0) / p["count"]
        cls = "conf" if mean < -1 else "coop" if mean > 1 else "mixed"
        title = escape(f"{p['name'] or 'unnamed place'} ({p['country'] or '?'}, {p['precision'] or '?'}): {p['count']} "
                       f"mention{'s' if p['count'] != 1 else ''}, mean Goldstein {mean:+.1f}")
        key = str(p["geonameid"]) if p["geonameid"] is not None else (p["name"] or "")
        parts.append(f'<a href="{escape(link(place=key))}"><circle class="place {cls}" cx="{x:.1f}" cy="{y:.1f}" '
                     f'r="{r:.1f}" data-name="{escape(p["name"] or "")}" data-count="{p["count"]}"><title>{title}</title>'
                     f'</circle></a>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
