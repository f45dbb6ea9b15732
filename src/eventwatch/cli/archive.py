"""Archive commands: ingest, search, show, stats, articles, rejects."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.archive.ingest import IngestOptions, IngestReport, ingest
from eventwatch.cli.common import (
    OK, REJECTED, DateDefaultOption, DbOption, InputsArgument, JsonOption, MaxSizeOption, OutletDefaultOption,
    QuietOption, WorkersOption, err, open_db, out, output_stream, parse_size, print_json, usage_error, write_csv,
    write_jsonl,
)
from eventwatch.cluster.cli import AddressOption, EngineOption, RestartOption, check_engine
from eventwatch.cluster.progress import EtaProgress
from eventwatch.extract import Defaults
from eventwatch.model import Reject
from eventwatch.store import HL_END, HL_START

ARTICLE_FIELDS = [
    "id", "url", "title", "outlet", "source_id", "published", "dateline", "captions", "body",
    "lang", "duplicate_of", "author", "kind", "origin", "location", "ingested_at",
]


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise usage_error(f"--date must be YYYY-MM-DD, got {value!r}") from None


def run_ingest(paths: list[str], db, date_, outlet, max_size, workers, quiet, as_json, engine="local",
               address=None, restart=False) -> tuple[IngestReport, object]:
    try:
        max_bytes = parse_size(max_size)
    except ValueError:
        raise usage_error(f"--max-size must be a size such as 5MB, got {max_size!r}") from None
    check_engine(engine, address)
    options = IngestOptions(Defaults(_check_date(date_), outlet), max_bytes, workers, engine=engine,
                            address=address, restart=restart)
    store = open_db(db)

    with EtaProgress("ingest", quiet) as ticker:
        def on_item(report: IngestReport, item) -> None:
            if isinstance(item, Reject) and not quiet:
                err.print(f"[yellow]rejected[/yellow] {escape(item.message())}")
            ticker.update(report.documents + report.rejected + report.skipped,
                          report.bytes_read / report.total_bytes if report.total_bytes else None,
                          note=f"{report.stored} new")

        report = ingest(paths, store, options, on_item=on_item)
    if not quiet and report.resumed:
        err.print(f"resumed an interrupted run of this command: {report.files_skipped} finished files and "
                  f"{report.records_skipped} committed records were not read again")
    if not quiet:
        err.print(
            f"ingested {report.documents} documents in {ticker.elapsed:.1f}s: {report.stored} new, "
            f"{report.already_stored} already stored, {report.near_duplicates} near-duplicates, "
            f"{report.non_english} not English, {report.skipped} skipped, {report.rejected} rejected"
        )
    if as_json:
        print_json(report.as_dict())
    return report, store


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        paths: InputsArgument,
        db: DbOption = None,
        date_: DateDefaultOption = None,
        outlet: OutletDefaultOption = None,
        max_size: MaxSizeOption = "5MB",
        workers: WorkersOption = 1,
        engine: EngineOption = "local",
        address: AddressOption = None,
        restart: RestartOption = False,
        as_json: JsonOption = False,
        quiet: QuietOption = False,
    ) -> None:
        """Read news (scraped text pages, HTML, WARC, JSONL) into the archive.

        Progress is checkpointed per input file: after a crash, the same command resumes
        where it stopped (finished files are not read again)."""
        try:
            report, store = run_ingest(paths, db, date_, outlet, max_size, workers, quiet, as_json, engine,
                                       address, restart)
        except KeyboardInterrupt:
            err.print("interrupted: every batch committed before this point is kept; run the same command "
                      "again to finish (nothing is stored twice)")
            raise typer.Exit(130) from None
        store.close()
        raise typer.Exit(REJECTED if report.rejected else OK)

    @app.command("search")
    def search_cmd(
        query: Annotated[str, typer.Argument(help="FTS5 query: words, \"phrases\", AND/OR/NOT, prefix*.")],
        db: DbOption = None,
        limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
        collapse: Annotated[bool, typer.Option("--collapse", help="One hit per near-duplicate cluster.")] = False,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
    ) -> None:
        """Full-text search over the archive, best matches first (BM25)."""
        if fmt not in ("table", "jsonl"):
            raise usage_error("--format must be table or jsonl")
        store = open_db(db, must_exist=True)
        hits = store.search(query, limit=limit, collapse=collapse)
        if fmt == "jsonl":
            write_jsonl(
                {**asdict(h), "snippet": h.snippet.replace(HL_START, "[").replace(HL_END, "]")} for h in hits
            )
            return
        table = Table(show_lines=False, expand=False)
        for col in ("id", "published", "outlet", "title / snippet"):
            table.add_column(col, overflow="fold")
        for h in hits:
            snip = escape(h.snippet).replace(HL_START, "[bold yellow]").replace(HL_END, "[/bold yellow]")
            more = f" [dim](+{h.cluster_hits - 1} near-duplicates)[/dim]" if collapse and h.cluster_hits > 1 else ""
            table.add_row(h.id[:12], h.published or "", escape(h.outlet or ""),
                          f"[bold]{escape(h.title or '(untitled)')}[/bold]{more}\n{snip}")
        out.print(table)
        if not hits:
            err.print("no matches")

    @app.command("show")
    def show_cmd(
        article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of 6+ characters).")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Show one article: metadata, captions and body."""
        store = open_db(db, must_exist=True)
        art = store.get_article(article_id)
        if art is None:
            raise usage_error(f"no article with id {article_id!r}")
        if as_json:
            print_json({k: getattr(art, k) for k in ARTICLE_FIELDS})
            return
        for key in ("id", "title", "outlet", "source_id", "published", "dateline", "url", "author", "lang",
                    "duplicate_of", "kind", "origin", "location"):
            value = getattr(art, key)
            if value:
                out.print(f"[bold]{key:>12}[/bold]  {escape(str(value))}")
        for cap in art.captions:
            out.print(f"[bold]{'caption':>12}[/bold]  {escape(cap)}")
        out.print()
        out.print(escape(art.body))

    @app.command("stats")
    def stats_cmd(db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Counts: articles by kind, language and outlet; duplicates; rejects; date range."""
        store = open_db(db, must_exist=True)
        stats = store.stats() if hasattr(store, "stats") else store.archive_stats()
        if as_json:
            print_json(stats)
            return
        table = Table("measure", "value", show_header=False)
        for key, value in stats.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}: {v}" for k, v in value.items())
            elif isinstance(value, list):
                value = " – ".join(str(v) for v in value if v) or "—"
            table.add_row(key.replace("_", " "), escape(str(value)))
        out.print(table)

    @app.command("articles")
    def articles_cmd(
        db: DbOption = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
        output: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default stdout).")] = None,
    ) -> None:
        """Export every stored article with all its fields."""
        if fmt not in ("jsonl", "csv"):
            raise usage_error("--format must be jsonl or csv")
        store = open_db(db, must_exist=True)
        rows = ({k: getattr(a, k) for k in ARTICLE_FIELDS} for a in store.iter_articles())
        with output_stream(output) as stream:
            if fmt == "jsonl":
                write_jsonl(rows, stream)
            else:
                write_csv(rows, ARTICLE_FIELDS, stream)

    @app.command("rejects")
    def rejects_cmd(
        db: DbOption = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")] = "table",
    ) -> None:
        """Inputs that were rejected, where, and why."""
        store = open_db(db, must_exist=True)
        rows = [dict(r) for r in store.iter_rejects()]
        if fmt == "jsonl":
            write_jsonl(rows)
        elif fmt == "csv":
            write_csv(rows, ["input", "location", "stage", "reason", "first_seen", "last_seen", "times"])
        else:
            table = Table("input", "location", "stage", "reason", "times")
            for r in rows:
                table.add_row(escape(r["input"]), escape(r["location"]), r["stage"], escape(r["reason"]), str(r["times"]))
            out.print(table)
