"""Coding commands: code, run (ingest + code), events (export the event records)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.cli.common import (
    OK, REJECTED, DateDefaultOption, DbOption, InputsArgument, JsonOption, MaxSizeOption, OutletDefaultOption,
    QuietOption, WorkersOption, article_ids, err, open_db, out, output_stream, usage_error, write_csv, write_jsonl,
)
from eventwatch.cluster.cli import AddressOption, EngineOption, RestartOption, check_engine
from eventwatch.cluster.progress import EtaProgress

EVENT_CSV = [
    "id", "article_id", "date", "date_precision", "date_source", "source_text", "source_code", "source_country",
    "source_sector", "cameo", "cameo_root", "quad_class", "goldstein", "plover_event", "plover_mode",
    "target_text", "target_code", "target_country", "target_sector", "modality", "attributed_code", "parent",
    "trigger_text", "trigger_start", "trigger_end", "sentence_index", "sentence_start", "sentence_end",
    "sentence_text", "place_name", "geonameid", "place_country", "latitude", "longitude", "place_precision",
    "confidence", "rule", "url", "outlet",
]


def run_code(db, recode: bool, workers: int, quiet: bool, article_ids=None, engine="local", address=None) -> object:
    from eventwatch.events.pipeline import code_store

    check_engine(engine, address)
    store = open_db(db, must_exist=True)
    total = len(article_ids) if article_ids else store.count_to_code(recode)
    with EtaProgress("code", quiet, unit="articles") as ticker:
        report = code_store(store, recode=recode, workers=workers, article_ids=article_ids,
                            on_batch=lambda r, n: ticker.update(r.articles, r.articles / max(total, 1),
                                                               note=f"{r.events} events"),
                            engine_name=engine, address=address)
    if not quiet:
        for aid, reason in report.failures[:20]:
            err.print(f"[yellow]failed[/yellow] article {aid}: {escape(reason)}")
        err.print(f"coded {report.articles} articles in {ticker.elapsed:.1f}s: {report.events} events, "
                  f"{report.skipped} skipped (not English), {report.failed} failed")
    __import__("eventwatch.cli.tracking", fromlist=["x"]).track_after_coding(db, quiet)  # docs/tracking.md
    return report


def register(app: typer.Typer) -> None:
    __import__("eventwatch.cluster.cli", fromlist=["register"]).register(app)  # merge

    @app.command("code")
    def code_cmd(
        db: DbOption = None,
        recode: Annotated[bool, typer.Option("--recode", help="Re-code articles already coded (replaces their events).")] = False,
        article: Annotated[list[str] | None, typer.Option("--article", help="Only this article (repeatable).")] = None,
        workers: WorkersOption = 1,
        engine: EngineOption = "local",
        address: AddressOption = None,
        as_json: JsonOption = False,
        quiet: QuietOption = False,
    ) -> None:
        """Code every archived English article not coded yet into events (a re-run after a crash
        codes only what is left)."""
        ids = article_ids(db, article)
        recode = recode or ids is not None
        report = run_code(db, recode, workers, quiet, ids, engine, address)
        if as_json:
            out.print(json.dumps(report.as_dict()))
        raise typer.Exit(OK)

    @app.command("run")
    def run_cmd(
        paths: InputsArgument,
        db: DbOption = None,
        date_: DateDefaultOption = None,
        outlet: OutletDefaultOption = None,
        max_size: MaxSizeOption = "5MB",
        workers: WorkersOption = 1,
        engine: EngineOption = "local",
        address: AddressOption = None,
        out_dir: Annotated[str | None, typer.Option(
            "--out", help="Write partitioned Parquet (articles, events, mentions by day) here instead of "
                          "the database; workers extract and code, resumable.")] = None,
        merge: Annotated[bool, typer.Option("--merge", help="With --out: then merge the Parquet into --db.")] = False,
        restart: RestartOption = False,
        as_json: JsonOption = False,
        quiet: QuietOption = False,
    ) -> None:
        """Ingest news and code it in one go (into the database, or as Parquet with --out).

        An interrupted run resumes where it stopped when the same command is run again."""
        from eventwatch.cli.archive import _check_date, run_ingest

        if out_dir is not None:
            from eventwatch.cli.common import parse_size
            from eventwatch.cluster.cli import run_to_parquet

            if merge and db is None:
                raise usage_error("--merge needs --db (or EVENTWATCH_DB)")
            try:
                max_bytes = parse_size(max_size)
            except ValueError:
                raise usage_error(f"--max-size must be a size such as 5MB, got {max_size!r}") from None
            report = run_to_parquet(paths, out_dir, _check_date(date_), outlet, max_bytes, engine, workers, address,
                                    restart, quiet)
            summary = {"run": report.as_dict()}
            if merge:
                from eventwatch.cluster.merge import merge as merge_parquet

                store = open_db(db)
                summary["merge"] = merge_parquet(out_dir, store).as_dict()
                store.close()
            if as_json:
                out.print(json.dumps(summary))
            raise typer.Exit(REJECTED if report.rejected else OK)
        if merge:
            raise usage_error("--merge needs --out")
        report, store = run_ingest(paths, db, date_, outlet, max_size, workers, quiet, False, engine, address, restart)
        store.close()
        coded = run_code(db, False, workers, quiet, engine=engine, address=address)
        if as_json:
            out.print(json.dumps({"ingest": report.as_dict(), "code": coded.as_dict()}))
        raise typer.Exit(REJECTED if report.rejected else OK)

    @app.command("dedup")
    def dedup_cmd(
        db: DbOption = None,
        window: Annotated[str, typer.Option("--window", help="Group mentions per day, week, month, or none.")] = "day",
        code: Annotated[str, typer.Option("--code", help="Group by the full CAMEO code or its root.")] = "full",
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Set the dedup key (period, source, target, CAMEO code) and regroup event mentions."""
        store = open_db(db, must_exist=True)
        try:
            with store.transaction():
                groups = store.set_dedup(window, code)
        except ValueError as exc:
            raise usage_error(str(exc)) from None
        mentions = store.scalar("SELECT COUNT(*) FROM events WHERE event_key IS NOT NULL")
        summary = {"window": window, "code": code, "mentions": mentions, "events": groups}
        if as_json:
            out.print(json.dumps(summary), soft_wrap=True)
        else:
            out.print(f"{mentions} factual mentions → {groups} distinct events (window {window}, code {code})")

    @app.command("events")
    def events_cmd(
        db: DbOption = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or table.")] = "jsonl",
        article: Annotated[str | None, typer.Option("--article", help="Only events of this article.")] = None,
        output: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default stdout).")] = None,
        limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
    ) -> None:
        """Export coded events (one record per event, with its evidence)."""
        if fmt not in ("jsonl", "csv", "table"):
            raise usage_error("--format must be jsonl, csv or table")
        store = open_db(db, must_exist=True)
        where, params = "", ()
        if article:
            full = store.resolve_article_id(article)
            if full is None:
                raise usage_error(f"no article with id {article!r}")
            where, params = "e.article_id = ?", (full,)
        records = store.iter_events(where, params, limit=limit)
        if fmt == "table":
            table = Table("date", "source", "event", "target", "modality", "evidence", show_lines=True)
            for r in records:
                src = r["source"] or {}
                tgt = r["target"] or {}
                table.add_row(r["date"] or "", escape(f"{src.get('code') or ''}\n{src.get('text') or ''}"),
                              f"{r['cameo']['code']} {r['plover']['event'] or ''}",
                              escape(f"{tgt.get('code') or ''}\n{tgt.get('text') or ''}"), r["modality"],
                              escape(r["sentence"]["text"][:300]))
            out.print(table)
            return
        with output_stream(output) as stream:
            if fmt == "jsonl":
                write_jsonl(records, stream)
            else:
                write_csv((dict(r) for r in store.iter_event_rows(where, params, limit=limit)), EVENT_CSV, stream)
