"""Executors: move batches of work through a pure stage function.

The stages never know which executor runs them. ``local`` (the default) uses the
calling process for one worker and a process pool for more.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def imap(fn: Callable[[T], R], items: Iterable[T], workers: int = 1, chunksize: int = 8,
         initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[R]:
    """Apply ``fn`` to every item, in order, with ``workers`` processes."""
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(fn, items)
        return
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=initializer, initargs=initargs) as pool:
        yield from pool.imap(fn, items, chunksize=chunksize)
