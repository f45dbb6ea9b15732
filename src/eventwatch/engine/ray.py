"""The Ray executor: an actor pool, one actor per worker, each running ``setup`` once.

``RayExecutor(workers)`` starts a local Ray instance with that many CPUs;
``RayExecutor(workers, address="ray://head:10001")`` (or ``"auto"``, or
``"head:6379"``) joins an existing cluster, where every node must have eventwatch
and its model installed (the same image or venv). An actor loads spaCy once, then
codes batch after batch; each actor has up to ``prefetch`` batches queued, so it
never waits for the driver, and results are yielded in input order. Ray is the
optional ``eventwatch[ray]`` extra.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from eventwatch.engine import THREAD_VARS, Executor, limit_threads


class RayUnavailable(RuntimeError):
    pass


class _Worker:
    def __init__(self, setup: Callable | None, setup_args: tuple):
        limit_threads()
        if setup is not None:
            setup(*setup_args)

    def run(self, fn: Callable, batch):
        return fn(batch)

    def stats(self) -> dict:
        from eventwatch.engine.local import self_stats

        return self_stats()


def _import_ray():
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RayUnavailable("the ray engine needs Ray: pip install 'eventwatch[ray]'") from exc
    return ray


class RayExecutor(Executor):
    name = "ray"

    def __init__(self, workers: int = 1, address: str | None = None, prefetch: int = 2,
                 num_cpus_per_worker: float = 1.0, init_options: dict | None = None):
        super().__init__(workers, prefetch)
        self.address = address
        self.num_cpus_per_worker = num_cpus_per_worker
        self.ray = _import_ray()
        self._owns = False
        if not self.ray.is_initialized():
            opts = {
                "include_dashboard": False,
                "logging_level": logging.WARNING,
                "log_to_driver": False,
                "runtime_env": {"env_vars": {v: "1" for v in THREAD_VARS}},
            }
            if address:
                opts["address"] = address
            else:
                opts["num_cpus"] = max(1, int(workers * num_cpus_per_worker + 0.999))
            opts.update(init_options or {})
            self.ray.init(**opts)
            self._owns = True

    def describe(self) -> str:
        where = self.address or "local Ray instance"
        return f"ray ({self.workers} actor{'s' if self.workers != 1 else ''} on {where})"

    def map(self, fn, batches: Iterable, setup: Callable | None = None, setup_args: tuple = ()) -> Iterator:
        ray = self.ray
        actor_cls = ray.remote(num_cpus=self.num_cpus_per_worker)(_Worker)
        actors = [actor_cls.remote(setup, setup_args) for _ in range(self.workers)]
        try:
            window: deque = deque()
            load = [0] * len(actors)
            limit = len(actors) * self.prefetch
            for batch in batches:
                i = min(range(len(actors)), key=load.__getitem__)
                window.append((actors[i].run.remote(fn, batch), i))
                load[i] += 1
                if len(window) >= limit:
                    ref, j = window.popleft()
                    load[j] -= 1
                    yield ray.get(ref)
            while window:
                ref, j = window.popleft()
                load[j] -= 1
                yield ray.get(ref)
            self.stats = ray.get([a.stats.remote() for a in actors])
        finally:
            for a in actors:
                ray.kill(a)

    def close(self) -> None:
        if self._owns and self.ray.is_initialized():
            self.ray.shutdown()
        self._owns = False
