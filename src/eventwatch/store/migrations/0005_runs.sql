-- Runs and checkpoints. An ingest (or a `run --out` to Parquet) is a run, identified by a hash of
-- its inputs and options; every committed batch records, per input file, how many items (documents,
-- rejects, skips, in read order) are done. The same command after a crash resumes the unfinished
-- run: finished files are not read again, a partly done file skips its committed items.

CREATE TABLE runs (
    id          TEXT PRIMARY KEY,           -- sortable: start time + random suffix
    key         TEXT NOT NULL,              -- hash of command, inputs and options
    command     TEXT NOT NULL,              -- ingest | parquet
    args        TEXT NOT NULL,              -- JSON
    status      TEXT NOT NULL,              -- running | finished | abandoned
    batches     INTEGER NOT NULL DEFAULT 0, -- committed batches
    counts      TEXT NOT NULL DEFAULT '{}', -- JSON counts over all invocations of the run
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX runs_key ON runs(key, status);

CREATE TABLE run_inputs (
    run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    input    TEXT NOT NULL,
    size     INTEGER,
    mtime_ns INTEGER,
    records  INTEGER NOT NULL DEFAULT 0,   -- items committed, in read order
    done     INTEGER NOT NULL DEFAULT 0,   -- 1 when every item of the input is committed
    PRIMARY KEY (run_id, input)
) WITHOUT ROWID;

-- Parquet output (in <out>/_state.db): ids written (an article is written once), committed part files.
CREATE TABLE parquet_articles (
    id    TEXT PRIMARY KEY,
    batch TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE parquet_parts (
    path  TEXT PRIMARY KEY,                -- relative to the output directory
    batch TEXT NOT NULL,
    tbl   TEXT NOT NULL,
    rows  INTEGER NOT NULL
);
CREATE INDEX parquet_parts_batch ON parquet_parts(batch);

-- Parquet batches merged into this database (a merge resumes and never merges a batch twice).
CREATE TABLE merged_batches (
    batch     TEXT PRIMARY KEY,
    source    TEXT NOT NULL,
    merged_at TEXT NOT NULL
);
