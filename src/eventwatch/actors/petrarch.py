"""Import PETRARCH/TABARI actor and agent dictionaries into the user KB directory.

Format (``dictionaries.rst`` in PETRARCH2): ``#`` starts a comment.

Actors::

    PRIMARY_PHRASE_  [CODE]      a record; the optional code is the default
    +SYNONYM_PHRASE              more aliases of the record
    <tab>[CODE]                  a default code
    <tab>[CODE <YYYYMMDD]        before the date, inclusive ("or equal to")
    <tab>[CODE >YYYYMMDD]        after the date, inclusive
    <tab>[CODE YYYYMMDD-YYYYMMDD] between the dates

Dates may be YYMMDD (YY < 30 is 20YY). Agents::

    !PERSON! = MAN, MEN, WOMAN    a substitution set, used as CONGRESS!PERSON!
    PHRASE {PLURALS}  [~CODE]     ``~CODE`` adds the code after the actor, ``CODE~`` before

Each actor record becomes one row per code spell in a generic table
(``kind name aliases code country sector role from to note``); each agent a row of
``phrase sector kind note``. CAMEO agent sectors are mapped to PLOVER ones (CAMEO
MED media -> JRN, HLH health -> MED, INS/SEP -> REB, religions -> REL); the raw
code is kept in the note. Malformed lines are reported with their line numbers and
skipped; the import goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

INTL_PREFIX = {"IGO": "IGO", "NGO": "NGO", "NGM": "NGO", "MNC": "BUS", "IMG": "REB", "UIS": "UIS", "INT": "IGO"}
RELIGIONS = {"CHR", "MUS", "JEW", "HIN", "BUD", "SIK", "JAN", "SHN", "TAO", "ZRO", "BAH", "ITR", "CON", "DRZ",
             "ALE", "SHI", "SUN", "CTH", "PRO", "ORT", "MOS", "REL"}
SECTOR_MAP = {"MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB", "MOD": "OPP", "RAD": "OPP"}
SMALL = {"of", "the", "and", "for", "in", "on", "al", "el", "bin", "ibn", "de", "la", "du", "van", "von", "da", "a"}
_CODE = re.compile(r"^[A-Z0-9]{3,}$")
_RESTRICT = re.compile(r"^(?:<\s*(\d+)|>\s*(\d+)|(\d+)\s*-\s*(\d+))$")
_BRACKET = re.compile(r"\[([^\]]*)\]")


@dataclass
class ImportReport:
    kind: str = "actors"  # actors | agents
    records: int = 0
    rows: int = 0
    aliases: int = 0
    skipped: int = 0  # records without any code (a null code, legal)
    errors: list[str] = field(default_factory=list)
    output: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "records": self.records, "rows": self.rows, "aliases": self.aliases,
                "skipped_without_code": self.skipped, "errors": len(self.errors), "output": self.output}


def iso_date(s: str) -> str:
    """``20040309`` -> ``2004-03-09``; ``040309`` -> ``2004-03-09`` (YY < 30 is 20YY)."""
    if len(s) == 8:
        y, m, d = s[:4], s[4:6], s[6:]
    elif len(s) == 6:
        yy = int(s[:2])
        y, m, d = str(2000 + yy if yy < 30 else 1900 + yy), s[2:4], s[4:]
    else:
        raise ValueError(f"date {s!r} is neither YYYYMMDD nor YYMMDD")
    if not (1 <= int(m) <= 12 and 1 <= int(d) <= 31):
        raise ValueError(f"date {s!r} has month {m} day {d}")
    return f"{y}-{m}-{d}"


def pretty(phrase: str) -> str:
    """``SERGEY_LAVROV_`` -> ``Sergey Lavrov``; ``UN_`` -> ``UN``; ``U.N._SECURITY_COUNCIL`` -> ``U.N. Security Council``."""
    words = [w for w in re.split(r"[_\s]+", phrase.strip().strip("_")) if w]
    if len(words) == 1 and len(words[0].replace(".", "")) <= 3:
        return words[0]
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if i and low in SMALL:
            out.append(low)
        elif "." in w and len(w.replace(".", "")) <= 4:
            out.append(w)  # U.N., U.S.
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def split_code(code: str) -> tuple[str, str | None]:
    """(country, sector) of a CAMEO actor code: RUSGOV -> (RUS, GOV); IGOUNO -> (UNO, IGO); AFG -> (AFG, None)."""
    prefix = code[:3]
    if prefix in INTL_PREFIX:
        return (code[3:6] if len(code) >= 6 else prefix), INTL_PREFIX[prefix]
    rest = code[3:6] or None
    return prefix, (SECTOR_MAP.get(rest, rest) if rest else None)


def _strip_comment(line: str) -> tuple[str, str]:
    text, _, comment = line.partition("#")
    return text.rstrip(), comment.strip()


class _NullCode(Exception):
    """``[---]``: PETRARCH's null code (the phrase is known but codes nothing)."""


@dataclass
class _Record:
    line: int
    name: str
    aliases: list[str]
    default: str | None = None
    spells: list[tuple[str, str | None, str | None, int]] = field(default_factory=list)
    note: str = ""


def _parse_code(body: str, where: str) -> tuple[str, str | None, str | None]:
    parts = body.split(None, 1)
    if not parts:
        raise ValueError(f"{where}: empty code []")
    code = parts[0].strip()
    if code == "---":
        raise _NullCode
    if not _CODE.match(code):
        raise ValueError(f"{where}: malformed code {code!r}")
    if len(parts) == 1:
        return code, None, None
    m = _RESTRICT.match(parts[1].strip())
    if not m:
        raise ValueError(f"{where}: malformed date restriction {parts[1].strip()!r}")
    before, after, a, b = m.groups()
    try:
        if before:
            return code, None, iso_date(before)
        if after:
            return code, iso_date(after), None
        lo, hi = iso_date(a), iso_date(b)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    if lo > hi:
        raise ValueError(f"{where}: restriction {a}-{b} ends before it starts")
    return code, lo, hi


def parse_actors(text: str, source: str = "") -> tuple[list[_Record], list[str]]:
    recs: list[_Record] = []
    errors: list[str] = []
    cur: _Record | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        where = f"{source}:{n}" if source else f"line {n}"
        line, comment = _strip_comment(raw)
        if not line.strip():
            continue
        try:
            if line.lstrip().startswith("["):
                if cur is None:
                    raise ValueError(f"{where}: code line outside any record")
                codes = _BRACKET.findall(line)
                if not codes or _BRACKET.sub("", line).strip():
                    raise ValueError(f"{where}: expected [CODE restriction], got {line.strip()!r}")
                for body in codes:
                    try:
                        code, lo, hi = _parse_code(body, where)
                    except _NullCode:
                        continue
                    cur.spells.append((code, lo, hi, n))
            elif line.startswith("+"):
                if cur is None:
                    raise ValueError(f"{where}: synonym outside any record")
                phrase = _BRACKET.sub("", line[1:]).strip()
                if not phrase:
                    raise ValueError(f"{where}: empty synonym")
                cur.aliases.append(pretty(phrase))
            else:
                codes = _BRACKET.findall(line)
                phrase = _BRACKET.sub("", line).strip().rstrip(";").strip()
                if not phrase or "[" in phrase or "]" in phrase:
                    raise ValueError(f"{where}: malformed primary phrase {line.strip()!r}")
                cur = _Record(n, pretty(phrase), [], note=comment)
                recs.append(cur)
                for body in codes:
                    try:
                        code, lo, hi = _parse_code(body, where)
                    except _NullCode:
                        continue
                    if lo or hi:
                        cur.spells.append((code, lo, hi, n))
                    else:
                        cur.default = code
        except ValueError as exc:
            errors.append(str(exc))
    return recs, errors


def parse_agents(text: str, source: str = "") -> tuple[list[tuple[list[str], str, str, int]], list[str]]:
    """Agent rows: ``(phrases, sector, raw code, line)``."""
    sets: dict[str, list[str]] = {}
    rows = []
    errors: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        where = f"{source}:{n}" if source else f"line {n}"
        line, _ = _strip_comment(raw)
        line = line.strip()
        if not line or line.startswith("<!--"):
            continue
        try:
            m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
            if m:
                sets[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
                continue
            m = re.match(r"^(.+?)\s*(\{[^}]*\})?\s*\[([^\]}]*)[\]}]?\s*$", line)
            if not m or "~" not in m.group(3):
                raise ValueError(f"{where}: expected PHRASE {{PLURALS}} [~CODE], got {line!r}")
            phrase, plurals, code = m.group(1).strip(), m.group(2), m.group(3).strip()
            raw_code = code.replace("~", "")
            if not _CODE.match(raw_code):
                raise ValueError(f"{where}: malformed agent code {code!r}")
            forms = [phrase] + ([p for p in plurals.strip("{}").split() if p] if plurals else [])
            expanded: list[str] = []
            for f in forms:
                marks = re.findall(r"![A-Z]+!", f)
                variants = [f]
                for mk in marks:
                    if mk not in sets:
                        raise ValueError(f"{where}: undefined substitution set {mk}")
                    variants = [v.replace(mk, s, 1) for v in variants for s in sets[mk]]
                expanded += variants
            first = raw_code[:3]
            sector = "REL" if first in RELIGIONS else SECTOR_MAP.get(first, first)
            rows.append(([pretty(x).lower() for x in expanded], sector, code, n))
        except ValueError as exc:
            errors.append(str(exc))
    return rows, errors


def looks_like_agents(text: str) -> bool:
    head = "\n".join(line for line in text.splitlines()[:400] if not line.lstrip().startswith("#"))
    return bool(re.search(r"\[~[A-Z]|\[[A-Z]+~\]", head))


def _cell(s: str | None) -> str:
    return (s or "").replace("\t", " ").replace("\n", " ")


def import_dictionary(path: str | Path, out_dir: str | Path, name: str | None = None, kind: str = "auto") -> ImportReport:
    """Convert a PETRARCH/TABARI actor or agent dictionary to ``out_dir/<name>.tsv``."""
    path, out_dir = Path(path), Path(out_dir)
    text = path.read_text(encoding="utf-8", errors="replace")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name or path.stem.lower()).strip("._") or "imported"
    if kind == "auto":
        kind = "agents" if looks_like_agents(text) else "actors"
    rep = ImportReport(kind=kind)
    lines: list[str] = []
    if kind == "agents":
        rows, rep.errors = parse_agents(text, path.name)
        lines.append(f"# imported from {path.name} (PETRARCH agent dictionary) by `eventwatch actors import`")
        lines.append("# phrase\tsector\tkind\tnote")
        for phrases, sector, code, n in rows:
            rep.records += 1
            rep.rows += 1
            rep.aliases += len(phrases)
            lines.append("\t".join([";".join(_cell(p) for p in phrases), sector, "agent", f"{code} ({path.name}:{n})"]))
    else:
        recs, rep.errors = parse_actors(text, path.name)
        lines.append(f"# imported from {path.name} (PETRARCH actor dictionary) by `eventwatch actors import`")
        lines.append("# kind\tname\taliases\tcode\tcountry\tsector\trole\tfrom\tto\tnote")
        for r in recs:
            spells = list(r.spells)
            if r.default:
                spells.append((r.default, None, None, r.line))
            if not spells:
                rep.skipped += 1
                continue
            rep.records += 1
            dated = any(lo or hi for _, lo, hi, _ in spells)
            aliases = list(dict.fromkeys(a for a in r.aliases if a and a != r.name))
            rep.aliases += 1 + len(aliases)
            for code, lo, hi, n in spells:
                country, sector = split_code(code)
                if dated:
                    k = "person"
                elif len(code) == 3 and code[:3] not in INTL_PREFIX:
                    k = "country"
                elif code[:3] in INTL_PREFIX and code[:3] != "IMG":
                    k = "organization"
                else:
                    k = "group"
                note = f"{path.name}:{n}" + (f" {r.note}" if r.note else "")
                lines.append("\t".join(_cell(x) for x in (k, r.name, ";".join(aliases), code, country, sector,
                                                         "default" if dated and not (lo or hi) else "", lo, hi, note)))
                rep.rows += 1
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{name}.tsv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep.output = str(out)
    return rep
