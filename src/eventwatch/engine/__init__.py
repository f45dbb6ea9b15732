"""Executors: move batches of work through a pure stage function.

The stages never know which executor runs them. An executor takes a stage function
``fn(batch) -> result`` and an iterable of batches and yields the results **in input
order**, with at most ``workers × prefetch`` batches in flight, so a stream of any
length (a directory of WARC files) runs in bounded memory. ``setup`` (with
``setup_args``) runs once in every worker before its first batch: the place to load
spaCy once per worker.

Two implementations, chosen by name (``get_executor("local" | "ray", workers)``):

* ``local`` (the default): the calling process for one worker, a process pool for more;
* ``ray``: an actor pool on a local Ray instance or an existing cluster (``address``),
  from the optional ``eventwatch[ray]`` extra.

``imap(fn, items, workers, chunksize, initializer, initargs)`` maps a per-item
function through the local executor, for callers that think in items, not batches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "ray")

# BLAS/OpenMP pools sized to the machine oversubscribe the cores when every worker
# process runs its own; the stages are parallel across processes, one thread each.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def limit_threads() -> None:
    """One compute thread per worker process (env for libraries not loaded yet, and torch if loaded)."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    import sys

    torch = sys.modules.get("torch")
    if torch is not None:  # pragma: no cover - torch is not a dependency
        torch.set_num_threads(1)


class Executor:
    """Ordered, bounded map of a stage function over batches."""

    name = "executor"

    def __init__(self, workers: int = 1, prefetch: int = 2):
        self.workers = max(1, int(workers))
        self.prefetch = max(1, int(prefetch))
        self.stats: list[dict] = []  # per worker after each map: pid, cpu_s, peak_rss_mb

    def map(self, fn: Callable[[T], R], batches: Iterable[T], setup: Callable | None = None,
            setup_args: tuple = ()) -> Iterator[R]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return f"{self.name} ({self.workers} worker{'s' if self.workers != 1 else ''})"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def get_executor(name: str = "local", workers: int = 1, address: str | None = None, **options) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        if address:
            raise ValueError("--address needs --engine ray")
        from eventwatch.engine.local import LocalExecutor

        return LocalExecutor(workers, **options)
    if name == "ray":
        from eventwatch.engine.ray import RayExecutor

        return RayExecutor(workers, address=address, **options)
    raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


def _apply_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(x) for x in chunk]


def chunks(items: Iterable[T], n: int) -> Iterator[list[T]]:
    """Lists of `n` consecutive items (the last may be shorter), read lazily from `items`."""
    chunk: list[T] = []
    for x in items:
        chunk.append(x)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def imap(fn: Callable[[T], R], items: Iterable[T], workers: int = 1, chunksize: int = 8,
         initializer: Callable | None = None, initargs: tuple = (), executor: Executor | None = None) -> Iterator[R]:
    """Apply ``fn`` to every item, in order, with ``workers`` processes (or through ``executor``)."""
    from functools import partial

    own = executor is None
    ex = executor if executor is not None else get_executor("local", workers)
    try:
        for out in ex.map(partial(_apply_chunk, fn), chunks(items, max(1, chunksize)), initializer, initargs):
            yield from out
    finally:
        if own:
            ex.close()
