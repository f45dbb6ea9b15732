"""Native exports: JSONL (the nested event record), CSV and Parquet (flat columns), GeoJSON points."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from eventwatch.store.events import row_to_record
from eventwatch.store.query import EventFilter, iter_event_rows
from eventwatch.store.query_export import iter_flat, iter_flat_batches

# The flat column set (CSV and Parquet), with Parquet types. Offsets are characters in articles.body.
COLUMNS: list[tuple[str, str]] = [
    ("id", "string"), ("article_id", "string"), ("parent", "string"), ("event_key", "string"),
    ("date", "date32"), ("date_precision", "string"), ("date_source", "string"), ("date_expression", "string"),
    ("source_text", "string"), ("source_start", "int32"), ("source_end", "int32"), ("source_code", "string"),
    ("source_country", "string"), ("source_sector", "string"), ("source_name", "string"),
    ("source_confidence", "float64"), ("source_reason", "string"),
    ("cameo", "string"), ("cameo_root", "string"), ("quad_class", "int8"), ("goldstein", "float64"),
    ("plover_event", "string"), ("plover_mode", "string"), ("plover_context", "string"),
    ("target_text", "string"), ("target_start", "int32"), ("target_end", "int32"), ("target_code", "string"),
    ("target_country", "string"), ("target_sector", "string"), ("target_name", "string"),
    ("target_confidence", "float64"), ("target_reason", "string"),
    ("modality", "string"), ("attributed_text", "string"), ("attributed_start", "int32"),
    ("attributed_end", "int32"), ("attributed_code", "string"), ("attributed_country", "string"),
    ("attributed_sector", "string"),
    ("trigger_text", "string"), ("trigger_start", "int32"), ("trigger_end", "int32"),
    ("sentence_index", "int32"), ("sentence_start", "int32"), ("sentence_end", "int32"), ("sentence_text", "string"),
    ("place_text", "string"), ("place_start", "int32"), ("place_end", "int32"), ("place_name", "string"),
    ("geonameid", "int64"), ("place_country", "string"), ("place_admin1", "string"), ("latitude", "float64"),
    ("longitude", "float64"), ("place_feature", "string"), ("place_precision", "string"),
    ("place_confidence", "float64"),
    ("confidence", "float64"), ("rule", "string"), ("coder_version", "string"),
    ("published", "string"), ("url", "string"), ("outlet", "string"), ("title", "string"),
]
NAMES = [n for n, _ in COLUMNS]


def iter_jsonl(store, f: EventFilter, sort: str = "date") -> Iterator[str]:
    for row in iter_event_rows(store, f, sort):
        yield json.dumps(row_to_record(row), ensure_ascii=False) + "\n"


def iter_csv(store, f: EventFilter, sort: str = "date", delimiter: str = ",") -> Iterator[str]:
    """A header line, then one chunk per row (a row may span lines when a field holds a newline)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(NAMES)
    for row in iter_flat(store, f, NAMES, sort):
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        w.writerow(row)
    yield buf.getvalue()


def arrow_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "int8": pa.int8(),
             "float64": pa.float64(), "date32": pa.date32()}
    return pa.schema([pa.field(n, types[t]) for n, t in COLUMNS],
                     metadata={"eventwatch": "event mentions, one row per coded mention; see docs/exports.md"})


def _batch(rows: list[tuple], schema):
    import pyarrow as pa

    arrays = []
    for (name, typ), col in zip(COLUMNS, zip(*rows)):  # transposed in C: faster than a comprehension per column
        if typ == "date32":
            arrays.append(pa.array(col, pa.string()).cast(pa.date32()))
        else:
            arrays.append(pa.array(col, schema.field(name).type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def write_parquet(store, f: EventFilter, where, sort: str = "stored", compression: str = "zstd") -> int:
    """Write the flat columns to a Parquet file (path or binary file object); returns the row count.

    Rows come in storage order (the order articles were coded): sorting 100,000 wide rows costs
    SQLite more than the whole conversion; sort in your tool (``sort="date"`` here)."""
    import pyarrow.parquet as pq

    schema = arrow_schema()
    n = 0
    with pq.ParquetWriter(where, schema, compression=compression) as writer:
        for rows in iter_flat_batches(store, f, NAMES, sort):
            writer.write_batch(_batch(rows, schema))
            n += len(rows)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def iter_geojson(store, f: EventFilter, sort: str = "date") -> Iterator[str]:
    """A GeoJSON FeatureCollection of located events (one Feature per mention, the record as properties)."""
    yield '{"type": "FeatureCollection", "features": [\n'
    first = True
    located = EventFilter(**{**f.__dict__, "located": True})
    for row in iter_event_rows(store, located, sort):
        rec = row_to_record(row)
        feat = {"type": "Feature", "id": rec["id"],
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": rec}
        yield ("" if first else ",\n") + json.dumps(feat, ensure_ascii=False)
        first = False
    yield "\n]}\n"
