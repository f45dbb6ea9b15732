"""Progress with rate and ETA, on stderr: a live bar on a terminal, a line every ``interval``
seconds otherwise (an overnight run's log), nothing with ``quiet``.

The fraction done comes from the caller: input bytes read for a stream of unknown
length (a WARC directory), items for a known count (articles to code). The ETA
extrapolates the rate of this invocation, so a resumed run does not count the work
its predecessor did as fast.
"""

from __future__ import annotations

import os
import sys
import time


def fmt_duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class EtaProgress:
    def __init__(self, description: str, quiet: bool = False, unit: str = "docs", interval: float | None = None,
                 stream=None):
        self.description = description
        self.unit = unit
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.interval = interval if interval is not None else float(os.environ.get("EVENTWATCH_PROGRESS_EVERY", 30))
        self.started = time.monotonic()
        self.cpu_started = time.process_time()
        self._last = self.started
        self._f0: float | None = None
        self.done = 0
        self.fraction: float | None = None
        self.note = ""

    def eta(self) -> float | None:
        """Seconds left, from the progress made since this invocation started."""
        if self.fraction is None or self._f0 is None:
            return None
        gained = self.fraction - self._f0
        elapsed = time.monotonic() - self.started
        if gained <= 0 or elapsed <= 0:
            return None
        return elapsed * (1 - self.fraction) / gained

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        parts = [f"{self.description}: {self.done:,} {self.unit}", f"{rate:,.1f} {self.unit}/s"]
        if self.fraction is not None:
            parts.append(f"{100 * self.fraction:.1f}%")
        eta = self.eta()
        parts.append(f"elapsed {fmt_duration(elapsed)}")
        if eta is not None:
            parts.append(f"ETA {fmt_duration(eta)}")
        if self.note:
            parts.append(self.note)
        return ", ".join(parts)

    def update(self, done: int, fraction: float | None = None, note: str = "") -> None:
        self.done = done
        if fraction is not None:
            self.fraction = min(1.0, max(0.0, fraction))
            if self._f0 is None:
                self._f0 = self.fraction
        self.note = note
        if self.quiet:
            return
        now = time.monotonic()
        if self.live and now - self._last >= 0.2:
            self.stream.write("\r\x1b[2K" + self.line()[:200])
            self.stream.flush()
            self._last = now
        elif not self.live and now - self._last >= self.interval:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self._last = now

    def start_at(self, fraction: float) -> None:
        """Where this invocation starts (the part of the input a resumed run already did)."""
        self._f0 = self.fraction = min(1.0, max(0.0, fraction))

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started
