"""Shared CLI pieces: consoles, common options, exit codes, progress, output writers."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eventwatch.store import Store, StoreError, default_path

OK, REJECTED, USAGE = 0, 1, 2

out = Console(soft_wrap=True, highlight=False, emoji=False)  # data: stdout, verbatim (no :emoji: codes)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # progress, messages: stderr (one line each)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="EVENTWATCH_DB", help="SQLite database (default ./eventwatch.db).", show_default=False),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or messages on stderr.")]
WorkersOption = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")]
InputsArgument = Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")]
DateDefaultOption = Annotated[str | None, typer.Option(
    "--date", help="Publication date (YYYY-MM-DD) for inputs without one.")]
OutletDefaultOption = Annotated[str | None, typer.Option("--outlet", help="Outlet name for inputs without one.")]
MaxSizeOption = Annotated[str, typer.Option("--max-size", help="Largest document accepted.")]


def usage_error(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True)
    return typer.Exit(USAGE)


def open_db(db: str | None, must_exist: bool = False) -> Store:
    path = db or default_path()
    import os

    if must_exist and path != ":memory:" and not os.path.exists(path):
        raise usage_error(f"no database at {path} (ingest something first, or pass --db)")
    try:
        return Store(path)
    except (StoreError, OSError) as exc:
        raise usage_error(f"cannot open database {path}: {exc}") from exc


def article_ids(db: str | None, given: list[str] | None) -> list[str] | None:
    """Full ids for the `--article` values (unique prefixes allowed); None when none were given."""
    if not given:
        return None
    store = open_db(db, must_exist=True)
    try:
        ids = []
        for a in given:
            full = store.resolve_article_id(a)
            if full is None:
                raise usage_error(f"no article with id {a!r}")
            ids.append(full)
        return ids
    finally:
        store.close()


class Ticker:
    """A progress display on stderr that works for streams of unknown length."""

    def __init__(self, description: str, quiet: bool, total: int | None = None):
        self.quiet = quiet or not err.is_terminal
        self.description = description
        self.total = total
        self._progress: Progress | None = None
        self._task = None
        self.started = time.perf_counter()

    def __enter__(self):
        if not self.quiet:
            cols = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                    MofNCompleteColumn() if self.total else TextColumn("{task.completed}"),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("{task.fields[note]}")]
            self._progress = Progress(*cols, console=err, transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task(self.description, total=self.total, rate="", note="")
        return self

    def advance(self, n: int = 1, note: str = "") -> None:
        if self._progress is not None:
            task = self._progress.tasks[0]
            done = task.completed + n
            rate = done / max(time.perf_counter() - self.started, 1e-6)
            self._progress.update(self._task, advance=n, rate=f"{rate:,.0f}/s", note=note)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def print_json(obj) -> None:
    """One JSON document on stdout, as is (not through Rich, which would read ``[...]`` as markup)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def write_jsonl(rows: Iterable[dict], stream=None) -> int:
    stream = stream or sys.stdout
    n = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict], columns: list[str], stream=None) -> int:
    stream = stream or sys.stdout
    w = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    n = 0
    for row in rows:
        w.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in row.items()})
        n += 1
    return n


@contextmanager
def output_stream(path: str | None) -> Iterator:
    if path in (None, "-"):
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            yield fh


def parse_size(value: str) -> int:
    """``5MB``, ``512k``, ``1048576`` → bytes."""
    v = value.strip().lower().replace(" ", "")
    units = {"gb": 1 << 30, "g": 1 << 30, "mb": 1 << 20, "m": 1 << 20, "kb": 1 << 10, "k": 1 << 10, "b": 1}
    for suffix, mult in units.items():
        if v.endswith(suffix):
            return int(float(v[: -len(suffix)]) * mult)
    return int(v)
