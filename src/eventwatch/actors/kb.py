"""The actor knowledge base: curated, generated and user-imported entries behind one alias index.

Priority (tiers): curated package files (seats, organizations, groups, agents,
people) and the generated ``countries.tsv`` come first; entries from
``extra_dirs`` and the user KB directory (``$EVENTWATCH_HOME/actors``, default
``~/.local/share/eventwatch/actors``) are used only for aliases that no package
entry has, so an imported dictionary adds coverage without overriding curated
knowledge.

Matching is on normalised tokens (see :mod:`eventwatch.actors.normalize`) with
two case rules: short all-capital aliases (US, UN, IS, WHO) match only the same
capitals, and proper-name aliases (anything but agent nouns written with a
capital) need at least one capitalised word in the matched text unless the whole
phrase is lower case.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from eventwatch.actors.loader import Entry, FormatError, Record, records
from eventwatch.actors.normalize import _tokens, fold, has_upper, is_acronym, tokens

DATA = Path(__file__).resolve().parent / "data"
CURATED, GENERATED, USER = 0, 1, 2
EXACT, PROPER = 1, 2
SHORT_FUZZY = 8  # queries shorter than this keep their last letter too in a fuzzy match
_FUZZY_MEMO_MAX = 100_000
_CACHE_FORMAT = 1  # bump when Entry, Hit or the index change
_PACKAGE_FILES = (("organizations.tsv", CURATED), ("seats.tsv", CURATED), ("groups.tsv", CURATED),
                  ("agents.tsv", CURATED), ("regions.tsv", CURATED), ("countries.tsv", GENERATED))


class Hit(NamedTuple):
    """One alias -> entry link in the index."""

    entry: Entry
    flags: int
    orig: str  # alias tokens as written (for exact-case acronyms)
    lo: str  # valid_from, "" when open
    hi: str  # valid_to + "~" (sorts after any date inside the period), "~" when open
    tier: int


def user_dir() -> Path:
    """Where ``eventwatch actors import`` writes and ``KnowledgeBase.load`` reads user dictionaries."""
    home = os.environ.get("EVENTWATCH_HOME")
    base = Path(home) if home else Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "eventwatch"
    return base / "actors"


def norm_date(date) -> str | None:
    """``date``/``datetime``/``"2016-09-26T.."`` -> ``"2016-09-26"``; None stays None."""
    if date is None:
        return None
    return str(date)[:10]


def valid_on(hit: Hit, date: str | None) -> bool:
    return date is None or hit.lo <= date <= hit.hi


def memoised(store: dict, key, compute, limit: int):
    """``store[key]``, computed by ``compute()`` on a miss; the store is emptied when it holds
    ``limit`` entries (a bounded memo for one process)."""
    try:
        return store[key]
    except KeyError:
        pass
    if len(store) >= limit:
        store.clear()
    value = store[key] = compute()
    return value


def filter_date(hits: Sequence[Hit], date: str | None) -> list[Hit]:
    """Date-valid hits (undated always valid); an undated default of a (kind, name, file)
    is dropped when a dated entry of the same group is valid (PETRARCH default codes)."""
    if date is None:
        return list(hits)
    ok = [h for h in hits if h.lo <= date <= h.hi]
    dated = {(h.entry.kind, h.entry.name, h.entry.source.rsplit(":", 1)[0]) for h in ok if h.lo or h.hi != "~"}
    if dated:
        ok = [h for h in ok if h.lo or h.hi != "~"
              or (h.entry.kind, h.entry.name, h.entry.source.rsplit(":", 1)[0]) not in dated]
    return ok


class KnowledgeBase:
    """Alias index over :class:`Entry` records. Build with :meth:`load`."""

    def __init__(self, recs: Iterable[tuple[int, Record]], errors: Sequence[str] = ()):
        index: dict[str, list[Hit]] = {}
        records: list[tuple[Entry, list[str]]] = []
        seen: set = set()
        for tier, rec in recs:
            e = rec.entry
            lo, hi = e.valid_from or "", (e.valid_to + "~") if e.valid_to else "~"
            names: list[str] = []
            records.append((e, names))
            agent = e.kind == "agent"
            eid = id(e)
            for alias in rec.aliases:
                orig, norm = _tokens(alias)
                if not norm:
                    continue
                k = " ".join(norm)
                exact = len(orig) == 1 and is_acronym(orig)
                o = " ".join(orig)
                sk = (k, eid, o) if exact else (k, eid)
                if sk in seen:
                    continue
                seen.add(sk)
                names.append(alias)
                flags = EXACT if exact else (PROPER if not agent and alias != alias.lower() else 0)
                hit = Hit(e, flags, o, lo, hi, tier)
                found = index.get(k)
                if found is None:
                    index[k] = [hit]
                else:
                    found.append(hit)
        span: dict[str, int] = {}
        for k, hits in index.items():
            if len(hits) > 1:
                best = min(h.tier for h in hits)
                if best < USER:
                    hits = [h for h in hits if h.tier < USER]
                hits.sort(key=lambda h: h.tier)
                index[k] = hits
            first, _, _ = k.partition(" ")
            n = k.count(" ") + 1
            if span.get(first, 0) < n:
                span[first] = n
        self._index = index
        self._span = span
        self._records = records
        self.errors = list(errors)
        self._start_caches()

    def _start_caches(self) -> None:
        """Empty the caches derived from the index (both constructors call this)."""
        self._alias_map: dict[Entry, list[str]] | None = None
        self._fuzzy_keys: dict[int, list[str]] | None = None
        self._fuzzy_choices: dict[tuple[int, int, str], list[str]] = {}
        self._fuzzy_memo: dict[tuple, tuple] = {}
        self.memo: dict = {}  # resolve_phrase results for this KB

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def load(cls, extra_dirs: Iterable[str | Path] = (), user: bool = True, data_dir: Path | None = None) -> KnowledgeBase:
        """Package data, then ``extra_dirs``, then the user KB directory (``user=False`` skips it).

        Unreadable files are skipped and listed in ``kb.errors``."""
        enabled = gc.isenabled()
        gc.disable()  # tens of thousands of small objects: the cyclic GC would run dozens of times
        try:
            extra = [Path(d) for d in extra_dirs]
            if not user or extra:
                return cls._load(extra, user, data_dir)
            return cls._cached_load(data_dir)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _cached_load(cls, data_dir: Path | None) -> KnowledgeBase:
        """With user dictionaries, reuse a compiled copy of the KB from ``<user dir>/.cache``
        while no source file changed (an imported PETRARCH dictionary has ~40k entries)."""
        udir = user_dir()
        user_files = sorted(udir.rglob("*.tsv")) if udir.is_dir() else []
        if not user_files:
            return cls._load([], True, data_dir)
        data = data_dir or DATA
        sig = hashlib.sha1(str(_CACHE_FORMAT).encode())
        for path in [*sorted(data.rglob("*.tsv")), *user_files]:
            st = path.stat()
            sig.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        cache = udir / ".cache" / f"kb-{sig.hexdigest()[:20]}.pickle"
        try:
            with open(cache, "rb") as fh:
                return cls._from_compact(pickle.load(fh))
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, IndexError, KeyError):
            pass
        kb = cls._load([], True, data_dir)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            for old in cache.parent.glob("kb-*.pickle"):
                old.unlink(missing_ok=True)
            tmp = cache.with_suffix(".tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(kb._to_compact(), fh, protocol=5)
            tmp.replace(cache)
        except OSError:
            pass  # a read-only home: no cache
        return kb

    def _to_compact(self) -> tuple:
        ents = [e for e, _ in self._records]
        pos = {id(e): i for i, e in enumerate(ents)}
        return (_CACHE_FORMAT, [tuple(getattr(e, f) for f in Entry.__slots__) for e in ents],
                [names for _, names in self._records],
                {k: [(pos[id(h.entry)], h.flags, h.orig, h.lo, h.hi, h.tier) for h in v] for k, v in self._index.items()},
                self._span, self.errors)

    @classmethod
    def _from_compact(cls, data: tuple) -> KnowledgeBase:
        fmt, ents, names, index, span, errors = data
        if fmt != _CACHE_FORMAT:
            raise ValueError("stale cache format")
        es = [Entry(*t) for t in ents]
        kb = cls.__new__(cls)
        kb._index = {k: [Hit(es[i], f, o, lo, hi, t) for i, f, o, lo, hi, t in v] for k, v in index.items()}
        kb._span = span
        kb._records = list(zip(es, names))
        kb.errors = list(errors)
        kb._start_caches()
        return kb

    @classmethod
    def _load(cls, extra_dirs: list[Path], user: bool, data_dir: Path | None) -> KnowledgeBase:
        data = data_dir or DATA
        recs: list[tuple[int, Record]] = []
        errors: list[str] = []
        org_codes: dict[str, str] = {}

        def add(path: Path, source: str, tier: int, family: str | None = None) -> None:
            try:
                for rec in records(path, source, family, org_codes):
                    e = rec.entry
                    if e.kind == "organization" and e.country and e.code and e.code[3:] == e.country:
                        org_codes.setdefault(e.country, e.code)  # UNO -> IGOUNO
                    recs.append((tier, rec))
            except (OSError, UnicodeDecodeError, FormatError) as exc:
                errors.append(f"{source}: {exc}")

        for name, tier in _PACKAGE_FILES:
            if (data / name).is_file():
                add(data / name, name, tier)
        for path in sorted((data / "people").glob("*.tsv")):
            add(path, f"people/{path.name}", CURATED, "people")
        dirs = [Path(d) for d in extra_dirs]
        if user:
            dirs.append(user_dir())
        for d in dirs:
            if not d.is_dir():
                continue
            for path in sorted(d.rglob("*.tsv")):
                rel = path.relative_to(d)
                family = "people" if rel.parts[0] == "people" else None
                add(path, f"{d.name}/{rel.as_posix()}", USER, family)
        return cls(recs, errors)

    # -- queries ------------------------------------------------------------------------------

    def hits(self, alias: str, date: str | None = None) -> list[Hit]:
        """Index hits for an exact normalised alias, date-filtered, case rules applied."""
        orig, norm = tokens(alias)
        if not norm:
            return []
        while len(norm) > 1 and norm[0] in ("the", "a", "an"):
            orig, norm = orig[1:], norm[1:]
        found = self._index.get(" ".join(norm))
        if not found:
            return []
        lower = not has_upper(alias)
        ok = [h for h in found if self._case_ok(h, orig, 0, len(orig), lower)]
        return filter_date(ok, norm_date(date))

    def lookup(self, alias: str, date: str | None = None) -> list[Entry]:
        """Entries whose alias equals ``alias`` after normalisation (a leading "the" is ignored),
        valid on ``date`` (undated entries are always valid); best tier first."""
        return [h.entry for h in self.hits(alias, date)]

    @staticmethod
    def _case_ok(h: Hit, orig: Sequence[str], i: int, j: int, lower: bool) -> bool:
        if h.flags & EXACT:
            return " ".join(orig[i:j]) == h.orig
        if h.flags & PROPER and not lower:
            return any(t[:1].isupper() or t[:1].isdigit() for t in orig[i:j])
        return True

    def match_at(self, orig: Sequence[str], norm: Sequence[str], i: int, lower: bool) -> tuple[int, list[Hit]] | None:
        """The longest alias starting at token ``i``: ``(end, hits)`` or None."""
        n = self._span.get(norm[i])
        if not n:
            return None
        index = self._index
        for j in range(min(len(norm), i + n), i, -1):
            found = index.get(norm[i] if j == i + 1 else " ".join(norm[i:j]))
            if found:
                ok = [h for h in found if not h.flags or self._case_ok(h, orig, i, j, lower)]
                if ok:
                    return j, ok
        return None

    def scan(self, orig: Sequence[str], norm: Sequence[str], lower: bool) -> list[tuple[int, int, list[Hit]]]:
        """Leftmost-longest, non-overlapping alias matches over normalised tokens."""
        out = []
        i, n = 0, len(norm)
        while i < n:
            m = self.match_at(orig, norm, i, lower)
            if m:
                out.append((i, m[0], m[1]))
                i = m[0]
            else:
                i += 1
        return out

    def longest_matches(self, tokens_: list[str], date: str | None = None) -> list[tuple[int, int, list[Entry]]]:
        """Non-overlapping longest alias matches over caller tokens (e.g. spaCy token texts).

        Returns ``(start, end, entries)`` with ``end`` exclusive, in caller token indices.
        Punctuation-only tokens are skipped inside a match except ``,;:()`` which break it;
        a token such as ``al-Qaeda`` may hold several normalised pieces."""
        orig: list[str] = []
        owner: list[int] = []
        segments: list[tuple[int, int]] = []
        seg_start = 0
        for ti, tok in enumerate(tokens_):
            pieces = tokens(tok)[0]
            if not pieces and any(c in ",;:()[]" for c in tok):
                segments.append((seg_start, len(orig)))
                seg_start = len(orig)
            for p in pieces:
                orig.append(p)
                owner.append(ti)
        segments.append((seg_start, len(orig)))
        lower = not any(has_upper(t) for t in tokens_)
        d = norm_date(date)
        out = []
        for a, b in segments:
            o, nm = orig[a:b], [fold(t) for t in orig[a:b]]
            for i, j, hits in self.scan(o, nm, lower):
                hs = filter_date(hits, d)
                if hs:
                    out.append((owner[a + i], owner[a + j - 1] + 1, [h.entry for h in hs]))
        return out

    def fuzzy(self, alias: str, limit: int = 5, cutoff: float = 88) -> list[tuple[Entry, float]]:
        """Entries whose alias is within ``cutoff`` (0-100, rapidfuzz ``ratio``) of ``alias``;
        best first, with the score.

        The alias must begin with the query's first letter, and for a short query (under
        ``SHORT_FUZZY`` characters) end with its last: an edit at the edge of a short word makes
        another word ("Audi" is not "Saudi", "forced" is not "force", "Roman" is not "Oman"),
        while misspellings are mostly inside a word ("Russa", "Bulgria"). Results are memoised
        per query (names recur across articles)."""
        q = " ".join(tokens(alias)[1])
        if len(q) < 4:
            return []
        return list(memoised(self._fuzzy_memo, (q, limit, cutoff), lambda: self._fuzzy(q, limit, cutoff),
                             _FUZZY_MEMO_MAX))

    def _fuzzy(self, q: str, limit: int, cutoff: float) -> tuple[tuple[Entry, float], ...]:
        from rapidfuzz import fuzz, process

        if self._fuzzy_keys is None:
            by_len: dict[int, list[str]] = {}
            for k in self._index:
                if len(k) >= 4:
                    by_len.setdefault(len(k), []).append(k)
            self._fuzzy_keys = by_len
        # ratio = 2·matches / (len(a) + len(b)) >= c needs c/(2-c) <= len(b)/len(a) <= (2-c)/c
        c = max(cutoff, 1) / 100
        lo, hi = int(len(q) * c / (2 - c)), int(len(q) * (2 - c) / c) + 1
        short = len(q) < SHORT_FUZZY
        window = (lo, hi, q[0])
        choices = self._fuzzy_choices.get(window)
        if choices is None:  # one list per length window and initial, built once
            choices = [k for n in range(lo, hi + 1) for k in self._fuzzy_keys.get(n, ()) if k[0] == q[0]]
            self._fuzzy_choices[window] = choices
        out: list[tuple[Entry, float]] = []
        seen: set[Entry] = set()
        for k, score, _ in process.extract(q, choices, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=cutoff):
            if short and k[-1] != q[-1]:
                continue
            for h in self._index[k]:
                if h.entry not in seen and not h.flags & EXACT:
                    seen.add(h.entry)
                    out.append((h.entry, float(score)))
        out.sort(key=lambda x: -x[1])
        return tuple(out[:limit])

    # -- introspection ------------------------------------------------------------------------

    def aliases(self, entry: Entry) -> list[str]:
        if self._alias_map is None:
            m: dict[Entry, list[str]] = {}
            for e, names in self._records:
                m.setdefault(e, []).extend(names)
            self._alias_map = m
        return self._alias_map.get(entry, [])

    def entries(self) -> list[Entry]:
        return [e for e, _ in self._records]

    def __len__(self) -> int:
        return len(self._records)

    def __bool__(self) -> bool:
        return True

    @property
    def alias_count(self) -> int:
        return len(self._index)

    def stats(self) -> dict:
        ents = self.entries()
        kinds = Counter(e.kind if e.role != "demonym" else "demonym" for e in ents)
        people = Counter(e.country for e in ents if e.kind == "person")
        persons = {(e.country, e.name) for e in ents if e.kind == "person"}
        return {
            "entries": len(ents), "aliases": len(self._index), "by_kind": dict(kinds.most_common()),
            "people": len(persons), "person_roles_by_country": dict(sorted(people.items(), key=lambda x: (-x[1], x[0] or ""))),
            "errors": self.errors,
        }


_default: KnowledgeBase | None = None
_lock = threading.Lock()


def default_kb() -> KnowledgeBase:
    """The package + user knowledge base, loaded once per process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = KnowledgeBase.load()
    return _default


@contextmanager
def use_kb(kb: KnowledgeBase):
    """Make ``kb`` the default knowledge base inside a ``with`` block (evaluations, tests)."""
    global _default
    with _lock:
        previous, _default = _default, kb
    try:
        yield kb
    finally:
        with _lock:
            _default = previous


def reset_default_kb() -> None:
    """Forget the cached default KB (after an import, or in tests)."""
    global _default
    with _lock:
        _default = None
