"""Analyst surfaces on the command line: export, dyads, serve."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.cli.common import DbOption, QuietOption, err, open_db, out, output_stream, usage_error, write_csv, write_jsonl

_F = "Filters"
Since = Annotated[str | None, typer.Option("--since", help="Event date from (YYYY, YYYY-MM or YYYY-MM-DD).", rich_help_panel=_F)]
Until = Annotated[str | None, typer.Option("--until", help="Event date to, inclusive.", rich_help_panel=_F)]
Actor = Annotated[str | None, typer.Option("--actor", help="Actor code prefix or country on either side (RUS, USAGOV); comma list.", rich_help_panel=_F)]
Source = Annotated[str | None, typer.Option("--source", help="Source actor code prefix or country.", rich_help_panel=_F)]
Target = Annotated[str | None, typer.Option("--target", help="Target actor code prefix or country.", rich_help_panel=_F)]
Pair = Annotated[str | None, typer.Option("--pair", help="Two actors, either direction: RUS,USA.", rich_help_panel=_F)]
Country = Annotated[str | None, typer.Option("--country", help="ISO3 country of an actor or of the place.", rich_help_panel=_F)]
Cameo = Annotated[str | None, typer.Option("--cameo", help="CAMEO code prefixes (18,19,20 or 1124).", rich_help_panel=_F)]
Plover = Annotated[str | None, typer.Option("--plover", help="PLOVER types (ASSAULT,ACCUSE).", rich_help_panel=_F)]
Quad = Annotated[str | None, typer.Option("--quad", help="QuadClass 1-4 (comma list).", rich_help_panel=_F)]
Modality = Annotated[str | None, typer.Option("--modality", help="asserted, reported, intended, hypothetical, negated.", rich_help_panel=_F)]
Place = Annotated[str | None, typer.Option("--place", help="Place name or GeoNames id.", rich_help_panel=_F)]
Query = Annotated[str | None, typer.Option("--q", "--query", help="Words that must all appear in the evidence sentence.", rich_help_panel=_F)]
Outlet = Annotated[str | None, typer.Option("--outlet", help="Outlet name(s), comma list.", rich_help_panel=_F)]
ArticleOpt = Annotated[str | None, typer.Option("--article", help="Only events of this article id.", rich_help_panel=_F)]


def build_filter(store, **kw):
    from eventwatch.store.query import EventFilter, FilterError

    if kw.get("article"):
        full = store.resolve_article_id(kw["article"])
        if full is None:
            raise usage_error(f"no article with id {kw['article']!r}")
        kw["article"] = full
    try:
        return EventFilter.from_params(kw)
    except FilterError as exc:
        raise usage_error(str(exc)) from None


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_cmd(
        fmt: Annotated[str, typer.Option("--format", "-f", help="gdelt, icews, polecat, jsonl, csv, parquet or geojson.")] = "jsonl",
        output: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default stdout). gdelt also writes PATH's .mentions. file.")] = None,
        header: Annotated[bool | None, typer.Option("--header/--no-header", help="Header row (gdelt: off, as GDELT ships; csv/icews: on).")] = None,
        db: DbOption = None,
        since: Since = None, until: Until = None, actor: Actor = None, source: Source = None, target: Target = None,
        pair: Pair = None, country: Country = None, cameo: Cameo = None, plover: Plover = None, quad: Quad = None,
        modality: Modality = None, place: Place = None, q: Query = None, outlet: Outlet = None,
        article: ArticleOpt = None,
        quiet: QuietOption = False,
    ) -> None:
        """Export events in the shapes analysts' tools read (GDELT 2.0, ICEWS, POLECAT, JSONL, CSV, Parquet, GeoJSON)."""
        from eventwatch.export import CLI_FORMATS, export

        if fmt not in CLI_FORMATS:
            raise usage_error(f"--format must be one of {', '.join(CLI_FORMATS)}")
        if fmt == "gdelt" and output in (None, "-") and not quiet:
            err.print("note: writing GDELT events to stdout; pass --out FILE to get the mentions file too")
        store = open_db(db, must_exist=True)
        f = build_filter(store, since=since, until=until, actor=actor, source=source, target=target, pair=pair, country=country,
                         cameo=cameo, plover=plover, quad=quad, modality=modality, place=place, q=q, outlet=outlet,
                         article=article)
        try:
            result = export(store, fmt, f, output, header)
        except ValueError as exc:
            raise usage_error(str(exc)) from None
        if not quiet:
            for path, n in result["files"].items():
                err.print(f"{fmt}: {n} rows → {'stdout' if path == '-' else escape(path)}")

    @app.command("dyads")
    def dyads_cmd(
        period: Annotated[str, typer.Option("--period", "-p", help="day, week, month or year.")] = "month",
        undirected: Annotated[bool, typer.Option("--undirected", help="Count A→B and B→A together (pair sorted alphabetically).")] = False,
        level: Annotated[str, typer.Option("--level", help="Actor level: code (RUSGOV) or country (RUS).")] = "code",
        unit: Annotated[str, typer.Option("--unit", help="events (deduplicated factual events) or mentions (every coded mention).")] = "events",
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")] = "table",
        output: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default stdout).")] = None,
        db: DbOption = None,
        since: Since = None, until: Until = None, actor: Actor = None, source: Source = None, target: Target = None,
        pair: Pair = None, country: Country = None, cameo: Cameo = None, plover: Plover = None, quad: Quad = None,
        modality: Modality = None, place: Place = None, q: Query = None, outlet: Outlet = None,
    ) -> None:
        """Counts and Goldstein sums per actor pair per period, with the QuadClass split."""
        from eventwatch.store.query import FilterError, dyads

        if fmt not in ("table", "csv", "jsonl"):
            raise usage_error("--format must be table, csv or jsonl")
        store = open_db(db, must_exist=True)
        f = build_filter(store, since=since, until=until, actor=actor, source=source, target=target, pair=pair, country=country,
                         cameo=cameo, plover=plover, quad=quad, modality=modality, place=place, q=q, outlet=outlet)
        try:
            rows = dyads(store, f, period, not undirected, level, unit)
        except FilterError as exc:
            raise usage_error(str(exc)) from None
        cols = ["period", "actor_a", "actor_b", "count", "goldstein", "q1", "q2", "q3", "q4"]
        if fmt == "table":
            from rich import box

            heads = {"actor_a": "actor A", "actor_b": "actor B", "q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4"}
            table = Table(*[heads.get(c, c) for c in cols], box=box.SIMPLE, pad_edge=False,
                          title=f"{'undirected' if undirected else 'directed'} dyads per {period} ({unit})")
            for col in table.columns:
                col.no_wrap = True
            for r in rows:
                table.add_row(*[escape(str(r[c])) if r[c] is not None else "" for c in cols])
            out.print(table)
            return
        with output_stream(output) as stream:
            if fmt == "csv":
                write_csv(rows, cols, stream)
            else:
                write_jsonl(rows, stream)

    @app.command("serve")
    def serve_cmd(
        db: DbOption = None,
        host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Port.")] = 8000,
        token: Annotated[str | None, typer.Option("--token", envvar="EVENTWATCH_TOKEN", help="Enable ingest/code endpoints; they require 'Authorization: Bearer TOKEN'.", show_default=False)] = None,
        workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Server processes.")] = 1,
        quiet: QuietOption = False,
    ) -> None:
        """Serve the HTTP API (/api, /docs) and the web UI from one process."""
        import os

        import uvicorn

        store = open_db(db, must_exist=True)
        path = store.path
        store.close()
        if host not in ("127.0.0.1", "localhost", "::1") and not quiet:
            err.print(f"[yellow]warning:[/yellow] listening on {escape(host)}: anyone who can reach it can read the archive",
                      markup=True)
        os.environ["EVENTWATCH_DB"] = path
        if token:
            os.environ["EVENTWATCH_TOKEN"] = token
        else:
            os.environ.pop("EVENTWATCH_TOKEN", None)
        if not quiet:
            mode = "read-write (token required for ingest/code)" if token else "read-only"
            err.print(f"eventwatch on http://{host}:{port}/ ({mode}); API docs at /docs; database {escape(path)}")
        uvicorn.run("eventwatch.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning" if quiet else "info", access_log=False)
