"""Cluster mode and volume: resumable input streams, partitioned Parquet output, merge into SQLite.

* ``stream``: files, directories and globs as a stream of tagged raw documents that skips
  what a checkpoint says is done;
* ``run``: the extract + code stage over batches through any executor, written as
  Parquet partitioned by day, checkpointed in ``OUT/_state.db``;
* ``parquet``: the Parquet layout and its writer;
* ``merge``: Parquet batches into an eventwatch SQLite database, resumable;
* ``progress``: progress with rate and ETA on stderr.
"""
