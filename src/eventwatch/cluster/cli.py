"""CLI pieces for scale-out: engine options, ``run --out`` (Parquet) and ``merge``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from eventwatch.cli.common import DbOption, QuietOption, err, open_db, out, usage_error
from eventwatch.engine import ENGINES

EngineOption = Annotated[str, typer.Option("--engine", "-e", help="Executor: local (process pool) or ray.")]
AddressOption = Annotated[str | None, typer.Option(
    "--address", help="An existing Ray cluster (ray://host:10001, host:6379 or auto); needs --engine ray.")]
RestartOption = Annotated[bool, typer.Option(
    "--restart", help="Start over instead of resuming an interrupted run of the same command.")]


def make_executor(engine: str, workers: int, address: str | None):
    """The executor, or a usage error that says what is wrong."""
    from eventwatch.engine import get_executor

    check_engine(engine, address)
    try:
        return get_executor(engine, workers, address)
    except Exception as exc:  # noqa: BLE001 -- Ray missing or the cluster unreachable
        raise usage_error(f"cannot start the {engine} engine: {exc}") from None


def check_engine(engine: str, address: str | None) -> None:
    if engine not in ENGINES:
        raise usage_error(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if address and engine != "ray":
        raise usage_error("--address needs --engine ray")
    if engine == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise usage_error("the ray engine needs Ray: pip install 'eventwatch[ray]'") from None


def run_to_parquet(paths, out, date_, outlet, max_bytes, engine, workers, address, restart, quiet):
    from eventwatch.cluster.progress import EtaProgress
    from eventwatch.cluster.run import ParquetOptions, run_parquet
    from eventwatch.extract import Defaults

    ex = make_executor(engine, workers, address)
    opts = ParquetOptions(Defaults(date_, outlet), max_bytes, restart=restart)
    with ex, EtaProgress("run", quiet) as progress:
        def on_batch(r) -> None:
            progress.update(r.documents, r.bytes_read / r.total_bytes if r.total_bytes else None,
                            note=f"{r.events:,} events")

        report = run_parquet(paths, out, ex, opts, on_batch=on_batch)
    if not quiet:
        if report.resumed:
            err.print(f"resumed run {report.run_id}: {report.files_skipped} finished files and "
                      f"{report.records_skipped} committed records were not read again"
                      + (f"; {report.removed_uncommitted} uncommitted part files removed"
                         if report.removed_uncommitted else ""))
        for r in report.rejects[:20]:
            err.print(f"rejected {r.message()}", markup=False)
        err.print(f"wrote {report.stored} articles, {report.events} events, {report.mentions} mentions to {out} "
                  f"in {progress.elapsed:.1f}s with {ex.describe()}: {report.documents} documents, "
                  f"{report.already_stored} already written, {report.non_english} not English, "
                  f"{report.skipped} skipped, {report.rejected} rejected, {report.failed} failed coding", markup=False)
    return report


def register(app: typer.Typer) -> None:
    @app.command("merge")
    def merge_cmd(
        parquet_dir: Annotated[str, typer.Argument(help="Output directory of `run --out`.")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
        quiet: QuietOption = False,
    ) -> None:
        """Merge Parquet output (run --out) into the SQLite database: resumable, never twice."""
        from pathlib import Path

        from eventwatch.cluster.merge import merge
        from eventwatch.cluster.progress import EtaProgress

        if not Path(parquet_dir, "articles").is_dir():
            raise usage_error(f"no Parquet output at {parquet_dir} (expected {parquet_dir}/articles/)")
        store = open_db(db)
        with EtaProgress("merge", quiet, unit="batches") as progress:
            report = merge(parquet_dir, store, on_batch=lambda r: progress.update(r.batches))
        store.close()
        if not quiet:
            err.print(f"merged {report.batches} batches ({report.already_merged} merged before): "
                      f"{report.articles} articles ({report.new_articles} new, {report.near_duplicates} "
                      f"near-duplicates), {report.events} events, {report.rejects} rejects", markup=False)
        if as_json:
            out.print(json.dumps(report.as_dict()))
