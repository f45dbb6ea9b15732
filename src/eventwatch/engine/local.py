"""The local executor: the calling process for one worker, a process pool for more.

Batches are submitted with ``apply_async`` through a window of ``workers × prefetch``
so the input is read only as fast as the workers take it (``Pool.imap`` would drain
the whole input into its task queue). Workers are forked where the platform allows
(the parent's imports are shared copy-on-write; spaCy is loaded by ``setup`` after the
fork, once per worker) and run one compute thread each.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from eventwatch.engine import Executor, limit_threads


def _init(setup: Callable | None, setup_args: tuple) -> None:
    limit_threads()
    if setup is not None:
        setup(*setup_args)


def proc_stats(pid: int) -> dict | None:
    """CPU seconds and peak resident memory of a live process, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as fh:
            status = dict(line.split(":", 1) for line in fh if ":" in line)
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    hwm_kb = int(status.get("VmHWM", "0 kB").split()[0])
    return {"pid": pid, "cpu_s": (int(fields[11]) + int(fields[12])) / tick, "peak_rss_mb": hwm_kb / 1024}


def self_stats() -> dict:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"pid": os.getpid(), "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": ru.ru_maxrss / 1024}


class LocalExecutor(Executor):
    name = "local"

    def __init__(self, workers: int = 1, prefetch: int = 2, start_method: str | None = None):
        super().__init__(workers, prefetch)
        methods = mp.get_all_start_methods()
        self.start_method = start_method or ("fork" if "fork" in methods else "spawn")

    def map(self, fn, batches: Iterable, setup: Callable | None = None, setup_args: tuple = ()) -> Iterator:
        if self.workers == 1:
            yield from self._map_inline(fn, batches, setup, setup_args)
            return
        ctx = mp.get_context(self.start_method)
        pool = ctx.Pool(self.workers, initializer=_init, initargs=(setup, setup_args))
        try:
            window: deque = deque()
            limit = self.workers * self.prefetch
            for batch in batches:
                window.append(pool.apply_async(fn, (batch,)))
                if len(window) >= limit:
                    yield window.popleft().get()
            while window:
                yield window.popleft().get()
            self.stats = [s for p in pool._pool if (s := proc_stats(p.pid)) is not None]
        finally:
            pool.terminate()
            pool.join()

    def _map_inline(self, fn, batches, setup, setup_args) -> Iterator:
        t0 = time.process_time()
        if setup is not None:
            setup(*setup_args)
        for batch in batches:
            yield fn(batch)
        self.stats = [{**self_stats(), "cpu_s": time.process_time() - t0}]
