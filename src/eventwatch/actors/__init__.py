"""Actor knowledge base and phrase-level actor resolution.

>>> from eventwatch.actors import resolve_phrase
>>> r = resolve_phrase("Russian Foreign Minister Sergei Lavrov", date="2016-09-26")
>>> r.code, r.reason  # doctest: +SKIP
('RUSGOV', "title 'Foreign Minister' (GOV) + person 'Sergei Lavrov' (foreign minister 2004-03-09–)")

``default_kb()`` loads the package data (countries, seats, organisations, groups,
agents, people) and the user KB directory once per process.
"""

from eventwatch.actors.kb import KnowledgeBase, default_kb, reset_default_kb, user_dir
from eventwatch.actors.loader import Entry
from eventwatch.actors.resolve import Resolution, resolve_cached, resolve_phrase

__all__ = ["Entry", "KnowledgeBase", "Resolution", "default_kb", "reset_default_kb", "resolve_cached",
           "resolve_phrase", "user_dir"]
