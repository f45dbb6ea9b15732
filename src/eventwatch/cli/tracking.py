"""Tracking commands: track, agreements (+ import), agreement, accusations, quotes (+ eval)."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.cli.common import (
    DbOption, JsonOption, QuietOption, Ticker, article_ids, err, open_db, out, print_json, usage_error, write_jsonl,
)

FORMATS = ("table", "jsonl", "json")


def _fmt(value: str, allowed=FORMATS) -> str:
    if value not in allowed:
        raise usage_error(f"--format must be one of {', '.join(allowed)}")
    return value


def run_track(db, everything: bool, quiet: bool, article_ids=None):
    from eventwatch.tracking.stage import track_store

    store = open_db(db, must_exist=True)
    with Ticker("track", quiet, total=None) as ticker:
        report = track_store(store, everything=everything, article_ids=article_ids,
                             on_article=lambda r: ticker.advance(note=f"{r.mentions} agreement mentions"))
    if not quiet:
        for aid, reason in report.failures[:20]:
            err.print(f"[yellow]tracking failed[/yellow] article {aid}: {escape(reason)}")
        err.print(f"tracked {report.articles} articles in {ticker.elapsed:.1f}s: {report.mentions} agreement mentions "
                  f"({report.agreements_new} new agreements), {report.states} lifecycle states, "
                  f"{report.accusations} accusations, {report.quotes} quotes")
    return report


def track_after_coding(db, quiet: bool) -> None:
    """The tracking stage at the end of ``code``/``run`` (``EVENTWATCH_NO_TRACK=1`` skips it);
    a failure here is reported and never fails the coding."""
    if os.environ.get("EVENTWATCH_NO_TRACK"):
        return
    try:
        run_track(db, False, quiet)
    except typer.Exit:
        raise
    except Exception as exc:  # pragma: no cover - reported, coding already stored
        err.print(f"[yellow]tracking skipped:[/yellow] {escape(f'{type(exc).__name__}: {exc}')}")


def _state_line(s: dict) -> str:
    who = ""
    if s["state"] == "breach_alleged":
        a, b = s.get("accuser") or {}, s.get("accused") or {}
        who = f" {a.get('code') or '?'} → {b.get('code') or '?'}"
    src = f"{s['articles']} article(s)" if s["articles"] else ", ".join(s["records"])
    return f"{s['date'] or 'undated'}  {s['state']}{who}  [{s['modality']}; {src}]"


def register(app: typer.Typer) -> None:
    @app.command("track")
    def track_cmd(
        db: DbOption = None,
        everything: Annotated[bool, typer.Option("--all", help="Forget detected agreements and track every article again.")] = False,
        article: Annotated[list[str] | None, typer.Option("--article", help="Only this article (repeatable).")] = None,
        as_json: JsonOption = False,
        quiet: QuietOption = False,
    ) -> None:
        """Track agreements, accusations and quotes in the coded articles (incremental)."""
        ids = article_ids(db, article)
        report = run_track(db, everything, quiet, ids)
        if as_json:
            print_json(report.as_dict())

    agreements_app = typer.Typer(help="Agreements and ceasefires tracked across articles.", no_args_is_help=False)

    @agreements_app.callback(invoke_without_command=True)
    def agreements_cmd(
        ctx: typer.Context,
        db: DbOption = None,
        party: Annotated[str | None, typer.Option("--party", help="A party or broker: code (RUS, SYRGOV), ISO3 or name.")] = None,
        place: Annotated[str | None, typer.Option("--place", help="Country (ISO3) or place name.")] = None,
        type_: Annotated[str | None, typer.Option("--type", help="ceasefire, agreement or talks.")] = None,
        state: Annotated[str | None, typer.Option("--state", help="Only agreements that reached this state.")] = None,
        since: Annotated[str | None, typer.Option("--since", help="Active on or after YYYY-MM-DD.")] = None,
        until: Annotated[str | None, typer.Option("--until", help="Active on or before YYYY-MM-DD.")] = None,
        detected: Annotated[bool, typer.Option("--detected", help="Only agreements mentioned in the archive.")] = False,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or json.")] = "table",
        limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
    ) -> None:
        """List agreements with parties, place, lifecycle states and evidence."""
        if ctx.invoked_subcommand is not None:
            return
        from eventwatch.tracking.agreements import agreement_record

        _fmt(fmt)
        store = open_db(db, must_exist=True)
        store.ensure_tracking()
        ids = store.list_agreement_ids(party, place, type_, state, since, until)
        recs = (agreement_record(store, i, full=False) for i in ids)
        recs = [r for r in recs if r and (not detected or r["mentions"])][: limit or None]
        if fmt == "jsonl":
            write_jsonl(recs)
        elif fmt == "json":
            print_json(recs)
        else:
            table = Table("id", "type", "parties", "brokers", "place", "dates", "state", "mentions", "records",
                          show_lines=False)
            table.columns[0].no_wrap = True
            for r in recs:
                table.add_row(r["id"], r["type"], escape(" ".join(r["parties"])), escape(" ".join(r["brokers"])),
                              escape(r["place"]["name"] or r["place"]["country"] or ""),
                              f"{r['first_date'] or ''}…{r['last_date'] or ''}", r["state"] or "",
                              str(r["mentions"]), escape(" ".join(f"{x['dataset']}:{x['record_id']}" for x in r["records"])))
            out.print(table)
            err.print(f"{len(recs)} agreements")

    @agreements_app.command("import")
    def import_cmd(
        files: Annotated[list[str], typer.Argument(help="PA-X or ETH/PRIO ceasefire CSV files.")],
        db: DbOption = None,
        fmt: Annotated[str, typer.Option("--format", help="auto, pax or ethprio.")] = "auto",
        retrack: Annotated[bool, typer.Option("--retrack", help="Track every article again so mentions attach to the records.")] = False,
        quiet: QuietOption = False,
    ) -> None:
        """Import curated agreement records (PA-X, ETH/PRIO) as known agreements."""
        from eventwatch.tracking.importers import import_file

        if fmt not in ("auto", "pax", "ethprio"):
            raise usage_error("--format must be auto, pax or ethprio")
        store = open_db(db)
        for f in files:
            if not os.path.isfile(f):
                raise usage_error(f"no such file: {f}")
            try:
                got = import_file(store, f, None if fmt == "auto" else fmt)
            except ValueError as exc:
                raise usage_error(str(exc)) from None
            if not quiet:
                err.print(f"imported {got['records']} {got['dataset']} records from {f}")
        tracked = store.scalar("SELECT COUNT(*) FROM tracked_articles") or 0
        if retrack:
            run_track(db, True, quiet)
        elif tracked and not quiet:
            err.print("articles already tracked keep their links: run `eventwatch track --all` to attach them to the records")

    app.add_typer(agreements_app, name="agreements")

    @app.command("agreement")
    def agreement_cmd(
        agreement_id: Annotated[str, typer.Argument(help="Agreement id (or a unique prefix).")],
        db: DbOption = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    ) -> None:
        """One agreement's timeline: states with dates, accusations, evidence sentences."""
        from eventwatch.tracking.agreements import agreement_record

        _fmt(fmt, ("table", "json"))
        store = open_db(db, must_exist=True)
        store.ensure_tracking()
        rec = agreement_record(store, agreement_id)
        if rec is None:
            raise usage_error(f"no agreement with id {agreement_id!r}")
        if fmt == "json":
            print_json(rec)
            return
        out.print(f"[bold]{escape(rec['id'])}[/bold] {rec['type']}: {escape(rec['name'] or '')}", markup=True)
        out.print(f"parties {escape(' '.join(rec['parties']) or '-')}; brokers {escape(' '.join(rec['brokers']) or '-')}; "
                  f"place {escape(rec['place']['name'] or rec['place']['country'] or '-')}; "
                  f"{rec['mentions']} mentions in {rec['articles']} articles; records "
                  f"{escape(' '.join(x['dataset'] + ':' + x['record_id'] for x in rec['records']) or '-')}")
        for s in rec["states"]:
            out.print(escape(_state_line(s)))
            for e in s["evidence"][:5]:
                where = e.get("outlet") or e.get("origin")
                said = f" — {e['attributed_to']['text']}" if e.get("attributed_to") else ""
                out.print(f"    {escape(where or '')} {escape(e.get('published') or '')}: "
                          f"{escape((e.get('sentence') or '')[:240])}{escape(said)}")

    @app.command("accusations")
    def accusations_cmd(
        db: DbOption = None,
        party: Annotated[str | None, typer.Option("--party", help="Accuser or accused: code, ISO3.")] = None,
        since: Annotated[str | None, typer.Option("--since", help="From YYYY-MM-DD.")] = None,
        until: Annotated[str | None, typer.Option("--until", help="Until YYYY-MM-DD.")] = None,
        level: Annotated[str, typer.Option("--level", help="country (state organs folded) or actor.")] = "country",
        min_spike: Annotated[int, typer.Option("--min-spike", min=1, help="Accusations a week for a mutual spike.")] = 3,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, json (the network) or jsonl (one accusation a line).")] = "table",
    ) -> None:
        """Who accuses whom of what, how often, over time; mutual accusation spikes flagged."""
        from eventwatch.tracking.accusations import network

        _fmt(fmt)
        if level not in ("country", "actor"):
            raise usage_error("--level must be country or actor")
        store = open_db(db, must_exist=True)
        store.ensure_tracking()
        rows = store.accusation_rows(party, since, until)
        if fmt == "jsonl":
            write_jsonl(rows)
            return
        net = network(rows, level=level, min_spike=min_spike)
        if fmt == "json":
            print_json(net)
            return
        table = Table("accuser", "accused", "count", "of what", "weeks", "mutual")
        for e in net["edges"]:
            table.add_row(escape(e["accuser"]), escape(e["accused"]), str(e["count"]),
                          escape(", ".join(f"{k} {v}" for k, v in e["alleged"].items())),
                          escape(" ".join(f"{w}:{n}" for w, n in e["weeks"].items())), "yes" if e["mutual"] else "")
        out.print(table)
        for s in net["mutual_spikes"]:
            a, b = s["sides"]
            out.print(f"[bold red]mutual spike[/bold red] week of {s['week']}: {escape(a)} ⇄ {escape(b)} "
                      f"{s['total']} accusations (usual {s['baseline']}/week)", markup=True)

    quotes_app = typer.Typer(help="Quotes and their speakers.", no_args_is_help=False)

    @quotes_app.callback(invoke_without_command=True)
    def quotes_cmd(
        ctx: typer.Context,
        db: DbOption = None,
        speaker: Annotated[str | None, typer.Option("--speaker", help="Speaker code (RUSGOV), country or name.")] = None,
        article: Annotated[str | None, typer.Option("--article", help="Only quotes of this article.")] = None,
        kind: Annotated[str | None, typer.Option("--kind", help="direct, partial or indirect.")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
        limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
    ) -> None:
        """Direct and indirect quotes with their speakers and offsets."""
        if ctx.invoked_subcommand is not None:
            return
        _fmt(fmt, ("table", "jsonl"))
        store = open_db(db, must_exist=True)
        store.ensure_tracking()
        aid = None
        if article:
            aid = store.resolve_article_id(article)
            if aid is None:
                raise usage_error(f"no article with id {article!r}")
        from eventwatch.tracking.quotes import quote_record

        rows = (quote_record(r) for r in store.iter_quote_rows(speaker, aid, kind, limit))
        if fmt == "jsonl":
            write_jsonl(rows)
            return
        table = Table("speaker", "kind", "quote", "article", show_lines=True)
        for q in rows:
            sp = q["speaker"] or {}
            table.add_row(escape(f"{sp.get('code') or ''}\n{sp.get('text') or ''}"), q["kind"],
                          escape(q["text"][:300]), escape(f"{q['article_id'][:12]} {q.get('published') or ''}"))
        out.print(table)

    @quotes_app.command("eval")
    def quotes_eval_cmd(
        gold: Annotated[str, typer.Argument(help="Gold quote/speaker pairs (JSONL, see docs/tracking.md).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the full result (with errors) as JSON.")] = False,
    ) -> None:
        """Precision/recall of speaker attribution against hand-built quote/speaker pairs."""
        from eventwatch.tracking.evaluate import evaluate_quotes

        if not os.path.isfile(gold):
            raise usage_error(f"no such file: {gold}")
        res = evaluate_quotes(gold)
        if as_json:
            print_json(res)
            return
        table = Table("class", "gold", "predicted", "right", "precision", "recall", "F1")
        for c in ("direct", "indirect", "overall"):
            r = res[c]
            table.add_row(c, str(r["gold"]), str(r["predicted"]), str(r["right"]), f"{r['precision']:.3f}",
                          f"{r['recall']:.3f}", f"{r['f1']:.3f}")
        out.print(table)
        if res["missing_documents"]:
            err.print(f"[yellow]missing documents:[/yellow] {escape(', '.join(res['missing_documents']))}")
        err.print(f"{res['documents']} documents; {len(res['errors'])} errors (--json lists them)")

    app.add_typer(quotes_app, name="quotes")


__all__ = ["register", "run_track", "track_after_coding"]
