"""Exports in the shapes analysts' tools read: GDELT 2.0, ICEWS, POLECAT/PLOVER, JSONL, CSV,
Parquet and GeoJSON. Every format takes the shared ``EventFilter`` (``eventwatch.store.query``).

``FORMATS`` is the registry the CLI (``eventwatch export``) and the API (``/api/export/{format}``)
both use; text formats are line iterators, so the API can stream them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from eventwatch.store.query import EventFilter


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extension: str
    media_type: str
    lines: Callable[..., Iterator[str]] | None = None  # (store, filter) → text chunks
    binary: bool = False


def _gdelt_events(store, f, header=False):
    from eventwatch.export.gdelt import iter_events

    return iter_events(store, f, header)


def _gdelt_mentions(store, f, header=False):
    from eventwatch.export.gdelt import iter_mentions

    return iter_mentions(store, f, header)


def _icews(store, f, header=True):
    from eventwatch.export.icews import iter_icews

    return iter_icews(store, f, header)


def _polecat(store, f, header=False):
    from eventwatch.export.polecat import iter_polecat

    return iter_polecat(store, f)


def _jsonl(store, f, header=False):
    from eventwatch.export.tables import iter_jsonl

    return iter_jsonl(store, f)


def _csv(store, f, header=True):
    from eventwatch.export.tables import iter_csv

    return iter_csv(store, f)


def _geojson(store, f, header=False):
    from eventwatch.export.tables import iter_geojson

    return iter_geojson(store, f)


FORMATS: dict[str, Format] = {
    "gdelt": Format("gdelt", "GDELT 2.0 events (61 columns, one row per deduplicated event) + mentions file",
                    ".export.CSV", "text/tab-separated-values; charset=utf-8", _gdelt_events),
    "gdelt-mentions": Format("gdelt-mentions", "GDELT 2.0 mentions (16 columns, one row per mention)",
                             ".mentions.CSV", "text/tab-separated-values; charset=utf-8", _gdelt_mentions),
    "icews": Format("icews", "ICEWS coded events (20 columns, tab-separated, factual mentions)", ".tab",
                    "text/tab-separated-values; charset=utf-8", _icews),
    "polecat": Format("polecat", "POLECAT/PLOVER 2.0 JSON records, one per line", ".plover.jsonl",
                      "application/x-ndjson; charset=utf-8", _polecat),
    "jsonl": Format("jsonl", "eventwatch event records (docs/events.md), one per line", ".jsonl",
                    "application/x-ndjson; charset=utf-8", _jsonl),
    "csv": Format("csv", "flat event columns, comma-separated with a header", ".csv", "text/csv; charset=utf-8", _csv),
    "parquet": Format("parquet", "flat event columns, typed (pyarrow)", ".parquet", "application/vnd.apache.parquet",
                      None, binary=True),
    "geojson": Format("geojson", "located events as GeoJSON points", ".geojson", "application/geo+json", _geojson),
}
CLI_FORMATS = ("gdelt", "icews", "polecat", "jsonl", "csv", "parquet", "geojson")


def iter_format(store, name: str, f: EventFilter, header: bool | None = None) -> Iterator[str]:
    fmt = FORMATS[name]
    if fmt.lines is None:
        raise ValueError(f"{name} is a binary format")
    return fmt.lines(store, f) if header is None else fmt.lines(store, f, header)


def _write_chunks(chunks: Iterator[str], path: str | None) -> int:
    """Write every chunk; returns how many there were (iterators yield one chunk per row)."""
    n = 0
    if path in (None, "-"):
        for chunk in chunks:
            sys.stdout.write(chunk)
            n += 1
        sys.stdout.flush()
        return n
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for chunk in chunks:
            fh.write(chunk)
            n += 1
    return n


def _overhead(name: str, header: bool | None) -> int:
    """Chunks that are not rows: header lines, the GeoJSON envelope."""
    if name == "geojson":
        return 2
    if name in ("csv", "icews"):
        return 0 if header is False else 1
    return 1 if header else 0


def export(store, name: str, f: EventFilter, out: str | None = None, header: bool | None = None) -> dict:
    """Write one export; returns ``{"format", "files": {path: lines_or_rows}}`` (path '-' for stdout)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (one of {', '.join(CLI_FORMATS)})")
    files: dict[str, int] = {}
    if name == "parquet":
        from eventwatch.export.tables import write_parquet

        if out in (None, "-"):
            if sys.stdout.isatty():
                raise ValueError("parquet is binary: pass --out FILE.parquet (or redirect stdout)")
            files["-"] = write_parquet(store, f, sys.stdout.buffer)
        else:
            files[out] = write_parquet(store, f, out)
        return {"format": name, "files": files}
    files[out or "-"] = _write_chunks(iter_format(store, name, f, header), out) - _overhead(name, header)
    if name == "gdelt" and out not in (None, "-"):
        from eventwatch.export.gdelt import mentions_path

        mpath = mentions_path(out)
        files[mpath] = _write_chunks(iter_format(store, "gdelt-mentions", f, header), mpath) - _overhead(name, header)
    return {"format": name, "files": files}
