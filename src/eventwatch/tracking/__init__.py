"""Tracking across articles: agreements and ceasefires with their lifecycle, accusations, quotes.

* :mod:`eventwatch.tracking.quotes` — direct, partial and indirect quotes with speakers;
* :mod:`eventwatch.tracking.mentions` — agreement/ceasefire/talks mentions in a parsed article,
  with parties, place and the lifecycle cue of their sentence;
* :mod:`eventwatch.tracking.agreements` — mentions linked to agreement entities (within and
  across articles), lifecycle states with evidence;
* :mod:`eventwatch.tracking.accusations` — who accuses whom of what, over time, mutual spikes;
* :mod:`eventwatch.tracking.importers` — PA-X and ETH/PRIO ceasefire records as known agreements;
* :mod:`eventwatch.tracking.stage` — the incremental, idempotent tracking stage after coding.

See docs/tracking.md.
"""

from eventwatch.tracking.quotes import Quote, attribute_events, find_quotes

__all__ = ["Quote", "attribute_events", "find_quotes"]
