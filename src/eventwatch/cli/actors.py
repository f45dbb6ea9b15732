"""``eventwatch actors lookup|import|stats``: the actor knowledge base from the command line."""

from __future__ import annotations

import json
from datetime import date as _date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.cli.common import OK, REJECTED, err, out, usage_error


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return _date.fromisoformat(value).isoformat()
    except ValueError:
        raise usage_error(f"--date must be YYYY-MM-DD, got {value!r}") from None


def register(app: typer.Typer) -> None:
    actors = typer.Typer(help="The actor knowledge base: look up names, import PETRARCH dictionaries, stats.",
                         no_args_is_help=True)
    app.add_typer(actors, name="actors")

    @actors.command("lookup")
    def lookup_cmd(
        name: Annotated[str, typer.Argument(help='A name or noun phrase, e.g. "Lavrov" or "the Syrian army".')],
        date: Annotated[str | None, typer.Option("--date", "-d", help="Date of the text (YYYY-MM-DD).")] = None,
        prior: Annotated[list[str] | None, typer.Option("--prior", "-p",
                         help="Country code of the article context (repeatable), a weak fallback.")] = None,
        fuzzy: Annotated[bool, typer.Option("--fuzzy", help="Also list aliases within 75/100 (rapidfuzz ratio).")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    ) -> None:
        """Resolve NAME: the chosen code, the reason, and every candidate considered."""
        from eventwatch.actors import default_kb, resolve_phrase

        d = _check_date(date)
        kb = default_kb()
        res = resolve_phrase(name, d, tuple(p.upper() for p in prior or ()), kb=kb)
        near = kb.fuzzy(name, limit=16, cutoff=75) if fuzzy else []
        near = list({(e.kind, e.name, e.code): (e, sc) for e, sc in reversed(near)}.values())[::-1][:8]
        if as_json:
            payload = {"query": name, "date": d, "resolution": res.as_dict() if res else None,
                       "fuzzy": [{"name": e.name, "kind": e.kind, "code": e.code, "score": s} for e, s in near]}
            out.print_json(json.dumps(payload, ensure_ascii=False))
            raise typer.Exit(OK)
        if res is None:
            out.print(f"no actor in {escape(name)!r}")
        else:
            flag = " [yellow](ambiguous)[/yellow]" if res.ambiguous else ""
            low = " [yellow](low confidence)[/yellow]" if res.low_confidence else ""
            out.print(f"[bold]{escape(res.code or '—')}[/bold]  country={res.country or '—'} sector={res.sector or '—'}"
                      f"  name={escape(res.name or '—')}  confidence={res.confidence:.2f}{flag}{low}")
            out.print(f"reason: {escape(res.reason)}")
            if res.candidates:
                table = Table("kind", "name", "code", "role", "from", "to", "source", box=None, title="candidates")
                for e in res.candidates:
                    table.add_row(e.kind, escape(e.name), e.code or "", escape(e.role or ""), e.valid_from or "",
                                  e.valid_to or "", e.source)
                out.print(table)
        if near:
            table = Table("score", "kind", "name", "code", box=None, title="fuzzy")
            for e, s in near:
                table.add_row(f"{s:.0f}", e.kind, escape(e.name), e.code or "")
            out.print(table)

    @actors.command("import")
    def import_cmd(
        file: Annotated[Path, typer.Argument(help="A PETRARCH/TABARI actor or agent dictionary.", exists=True,
                                             dir_okay=False, readable=True)],
        name: Annotated[str | None, typer.Option("--name", "-n", help="Name of the imported dictionary.")] = None,
        kind: Annotated[str, typer.Option("--kind", help="auto | actors | agents")] = "auto",
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON on stdout.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not list malformed lines.")] = False,
    ) -> None:
        """Import a dictionary into the user KB ($EVENTWATCH_HOME/actors); curated entries keep priority.

        Malformed lines are reported with their line numbers and skipped; exit code 1 when there were any."""
        from eventwatch.actors import reset_default_kb, user_dir
        from eventwatch.actors.petrarch import import_dictionary

        if kind not in ("auto", "actors", "agents"):
            raise usage_error(f"--kind must be auto, actors or agents, got {kind!r}")
        try:
            rep = import_dictionary(file, user_dir(), name, kind)
        except OSError as exc:
            raise usage_error(f"cannot import {file}: {exc}") from exc
        reset_default_kb()
        if as_json:
            out.print_json(json.dumps(rep.as_dict() | {"error_lines": rep.errors}, ensure_ascii=False))
        else:
            err.print(f"imported {rep.records} {rep.kind} records ({rep.rows} rows, {rep.aliases} aliases) "
                      f"into {escape(rep.output)}; {rep.skipped} without a code, {len(rep.errors)} malformed lines")
            if not quiet:
                for e in rep.errors:
                    err.print(f"[yellow]malformed[/yellow] {escape(e)}")
        raise typer.Exit(REJECTED if rep.errors else OK)

    @actors.command("stats")
    def stats_cmd(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    ) -> None:
        """Entries by kind and people by country in the loaded knowledge base."""
        from eventwatch.actors import default_kb, user_dir

        st = default_kb().stats()
        st["user_dir"] = str(user_dir())
        if as_json:
            out.print_json(json.dumps(st, ensure_ascii=False))
            raise typer.Exit(OK)
        out.print(f"{st['entries']} entries, {st['aliases']} distinct aliases, {st['people']} people "
                  f"(user dictionaries: {escape(st['user_dir'])})")
        table = Table("kind", "entries", box=None)
        for k, v in st["by_kind"].items():
            table.add_row(k, str(v))
        out.print(table)
        table = Table("country", "person roles", box=None)
        for k, v in st["person_roles_by_country"].items():
            table.add_row(k or "—", str(v))
        out.print(table)
        for e in st["errors"]:
            err.print(f"[yellow]unreadable[/yellow] {escape(e)}")
