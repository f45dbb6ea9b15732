"""Reading the actor TSV files into :class:`Entry` records with their aliases.

Every file is a tab-separated table whose first ``#`` line names the columns;
``;`` separates list items; a blank cell means none. The column set tells the
file family, so any of them can also be dropped into a user KB directory:

==============  ===========================================================
family          columns
==============  ===========================================================
countries       code name aliases demonyms capitals
regions         name aliases demonyms country type note
seats           alias country sector note
organizations   name aliases code country sector note
groups          name aliases code country sector from to note
people          name aliases country sector role from to note
agents          phrase sector kind note
generic         kind name aliases code country sector role from to note
==============  ===========================================================

Codes: an entry's ``code`` is its country (ISO3, or ``IMG`` for transnational
armed groups) followed by its sector (``RUSGOV``, ``SYRREB``, ``IMGREB``);
organizations carry their own code (``IGOUNO``) and ``country`` is the
organisation code (``UNO``). A person's code is built the same way from the
``country`` and ``sector`` of the role row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eventwatch.actors.normalize import plural

FAMILIES = {
    "countries": ("code", "name", "aliases", "demonyms", "capitals"),
    "regions": ("name", "aliases", "demonyms", "country", "type", "note"),
    "seats": ("alias", "country", "sector", "note"),
    "organizations": ("name", "aliases", "code", "country", "sector", "note"),
    "groups": ("name", "aliases", "code", "country", "sector", "from", "to", "note"),
    "people": ("name", "aliases", "country", "sector", "role", "from", "to", "note"),
    "agents": ("phrase", "sector", "kind", "note"),
    "generic": ("kind", "name", "aliases", "code", "country", "sector", "role", "from", "to", "note"),
}
KINDS = ("country", "capital", "seat", "organization", "group", "person", "agent")
AGENT_KINDS = ("title", "agent", "body", "member", "modifier")


@dataclass(frozen=True, slots=True)
class Entry:
    """One knowledge-base record: an actor (or agent noun) and, for dated roles, its validity.

    ``kind`` is one of country | capital | seat | organization | group | person | agent.
    ``role`` is a person's role ("foreign minister"); for kind country: None for the
    country's names, ``demonym``, ``region`` (Darfur -> SDN), ``region demonym`` (Chechen -> RUS), ``people``
    or ``people demonym`` (an ethnic community: Yoruba -> NGA); the agent kind (title/agent/body/member/modifier) for agents.
    ``source`` is where it came from, ``people/RUS.tsv:12``.
    """

    kind: str
    name: str
    code: str | None
    country: str | None
    sector: str | None
    role: str | None
    valid_from: str | None
    valid_to: str | None
    source: str


@dataclass(slots=True)
class Record:
    entry: Entry
    aliases: list[str]


class FormatError(ValueError):
    pass


def split_list(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def family_of(columns: tuple[str, ...]) -> str | None:
    cols = set(columns)
    if "kind" in cols and "name" in cols:
        return "generic"
    if "phrase" in cols:
        return "agents"
    if "demonyms" in cols:
        return "countries" if "code" in cols else "regions"
    if "alias" in cols:
        return "seats"
    if "role" in cols:
        return "people"
    if "from" in cols and "code" in cols:
        return "groups"
    if "code" in cols and "name" in cols:
        return "organizations"
    return None


def read_table(path: Path, default_family: str | None = None) -> tuple[str, Iterator[tuple[int, dict]]]:
    """Open a TSV file; returns its family and an iterator of ``(line number, row dict)``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    columns: tuple[str, ...] | None = None
    start = 0
    for i, line in enumerate(lines):
        if line.startswith("#"):
            cols = tuple(c.strip() for c in line.lstrip("#").split("\t"))
            if family_of(cols):
                columns, start = cols, i + 1
                break
            continue
        if line.strip():
            break
    family = family_of(columns) if columns else default_family
    if family is None:
        raise FormatError(f"{path}: no '#' header line naming the columns")
    if columns is None:
        columns = FAMILIES[family]

    def rows() -> Iterator[tuple[int, dict]]:
        for n, line in enumerate(lines[start:], start + 1):
            if not line or line[0] == "#" or line.isspace():
                continue
            yield n, dict(zip(columns, [c.strip() for c in line.split("\t")]))

    return family, rows()


def _code(country: str, sector: str, org_codes: dict[str, str]) -> str:
    base = org_codes.get(country)
    if base:  # an organisation's member/body: IGOUNO + MIL
        return base if not sector or base.endswith(sector) or sector in ("IGO", "NGO") else base + sector
    return country + sector


def records(path: Path, source: str, default_family: str | None = None,
            org_codes: dict[str, str] | None = None) -> Iterator[Record]:
    """The records of one TSV file. ``org_codes`` maps organisation country codes (UNO) to codes (IGOUNO)."""
    org_codes = org_codes or {}
    family, rows = read_table(path, default_family)
    for n, r in rows:
        src = f"{source}:{n}"
        g = r.get
        if family == "countries":
            code, name = g("code", ""), g("name", "")
            if not code or not name:
                continue
            yield Record(Entry("country", name, code, code, None, None, None, None, src), [name, *split_list(g("aliases", ""))])
            dem = split_list(g("demonyms", ""))
            if dem:
                yield Record(Entry("country", name, code, code, None, "demonym", None, None, src), dem)
            for cap in split_list(g("capitals", "")):
                yield Record(Entry("capital", cap, code + "GOV", code, "GOV", None, None, None, src), [cap])
        elif family == "regions":
            name, country = g("name", ""), g("country", "")
            if not name or not country:
                continue
            kind = "people" if g("type", "") == "people" else "region"
            yield Record(Entry("country", name, country, country, None, kind, None, None, src),
                         [name, *split_list(g("aliases", ""))])
            dem = split_list(g("demonyms", ""))
            if dem:
                yield Record(Entry("country", name, country, country, None, f"{kind} demonym", None, None, src), dem)
        elif family == "seats":
            names = split_list(g("alias", ""))
            country, sector = g("country", ""), g("sector", "") or None
            if not names or not country:
                continue
            code = _code(country, sector or "", org_codes)
            yield Record(Entry("seat", names[0], code, country, sector, None, None, None, src), names)
        elif family in ("organizations", "groups", "people", "generic"):
            name = g("name", "")
            if not name:
                continue
            country, sector = g("country", "") or None, g("sector", "") or None
            code = g("code", "") or (_code(country, sector or "", org_codes) if country else None)
            kind = {"organizations": "organization", "groups": "group", "people": "person"}.get(family) or g("kind", "group")
            role = g("role", "") or None
            entry = Entry(kind, name, code, country, sector, role, g("from", "") or None, g("to", "") or None, src)
            yield Record(entry, [name, *split_list(g("aliases", ""))])
        elif family == "agents":
            phrases = split_list(g("phrase", ""))
            sector, kind = g("sector", "") or None, g("kind", "") or "agent"
            if not phrases:
                continue
            if kind not in AGENT_KINDS:
                raise FormatError(f"{src}: agent kind must be one of {AGENT_KINDS}, got {kind!r}")
            for p in phrases:  # one entry per phrase, so a reason names the noun that matched
                aliases = [p] if kind == "modifier" or p.endswith("s") else [p, plural(p)]
                yield Record(Entry("agent", p, None, None, sector, kind, None, None, src), aliases)
