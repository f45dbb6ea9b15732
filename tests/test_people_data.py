"""Checks on the date-bounded people files of the actor knowledge base.

``src/eventwatch/actors/data/people/<CODE>.tsv``: one row per role spell, tab-separated,
first line the column header; further lines starting with ``#`` are notes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

PEOPLE = Path(__file__).resolve().parents[1] / "src" / "eventwatch" / "actors" / "data" / "people"
HEADER = "# name\taliases\tcountry\tsector\trole\tfrom\tto\tnote"
COLUMNS = HEADER[2:].split("\t")
# Organisation codes used in the ``country`` column for IGO officials (CAMEO-style).
IGO_CODES = {"UNO", "NAT", "EUR", "ARL", "AFU", "GCC", "OPC", "OSC", "IMF", "WBK", "WTO", "ICC", "IAE"}
SECTORS = {"GOV", "MIL", "LEG", "REB", "OPP", "IGO", "JUD", "SPY", "PTY", "COP", "REL"}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

FILES = sorted(PEOPLE.glob("*.tsv"))


def _earliest(value: str) -> dt.date:
    y, m, d = DATE_RE.match(value).groups()
    return dt.date(int(y), int(m or 1), int(d or 1))


def _latest(value: str) -> dt.date:
    y, m, d = DATE_RE.match(value).groups()
    if d:
        return dt.date(int(y), int(m), int(d))
    if m:
        nxt = dt.date(int(y) + (m == "12"), int(m) % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(int(y), 12, 31)


def _rows(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines[1:], 2):
        if not line.strip() or line.startswith("#"):
            continue
        yield n, line.split("\t")


def _valid_country(code: str) -> bool:
    return code in IGO_CODES or pycountry.countries.get(alpha_3=code) is not None


def test_people_files_exist():
    assert FILES, f"no people files under {PEOPLE}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_name_is_a_code(path):
    assert path.stem == "IGO" or _valid_country(path.stem), path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_header(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == HEADER, f"{path.name}: bad header {first!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rows(path):
    errors = []
    for n, cols in _rows(path):
        where = f"{path.name}:{n}"
        if len(cols) != len(COLUMNS):
            errors.append(f"{where}: {len(cols)} columns, want {len(COLUMNS)}")
            continue
        row = dict(zip(COLUMNS, cols))
        if not row["name"].strip() or row["name"] != row["name"].strip():
            errors.append(f"{where}: empty or padded name")
        if not row["role"].strip():
            errors.append(f"{where}: empty role")
        if not _valid_country(row["country"]):
            errors.append(f"{where}: bad country code {row['country']!r}")
        if path.stem != "IGO" and row["country"] != path.stem:
            errors.append(f"{where}: country {row['country']} in {path.name}")
        if path.stem == "IGO" and row["country"] not in IGO_CODES:
            errors.append(f"{where}: IGO.tsv row with non-IGO code {row['country']}")
        if row["sector"] not in SECTORS:
            errors.append(f"{where}: bad sector {row['sector']!r}")
        aliases = row["aliases"].split(";") if row["aliases"] else []
        if any(not a.strip() or a != a.strip() for a in aliases):
            errors.append(f"{where}: empty or padded alias in {row['aliases']!r}")
        if not DATE_RE.match(row["from"]):
            errors.append(f"{where}: bad from date {row['from']!r}")
            continue
        if row["to"] and not DATE_RE.match(row["to"]):
            errors.append(f"{where}: bad to date {row['to']!r}")
            continue
        try:
            start = _earliest(row["from"])
            end = _latest(row["to"]) if row["to"] else None
        except ValueError as exc:
            errors.append(f"{where}: impossible date ({exc})")
            continue
        if end is not None and start > end:
            errors.append(f"{where}: from {row['from']} after to {row['to']}")
        if start.year < 1900 or start > dt.date.today():
            errors.append(f"{where}: implausible from date {row['from']}")
    assert not errors, "\n".join(errors)


def _all_rows():
    for path in FILES:
        for n, cols in _rows(path):
            if len(cols) == len(COLUMNS) and DATE_RE.match(cols[5]) and (not cols[6] or DATE_RE.match(cols[6])):
                yield f"{path.name}:{n}", dict(zip(COLUMNS, cols))


def test_spells_of_the_same_role_do_not_overlap():
    spells = defaultdict(list)
    for where, row in _all_rows():
        start = _earliest(row["from"])
        # lenient end: a hand-over on the same day (or within the same approximate period) is fine
        end = _earliest(row["to"]) if row["to"] else dt.date.max
        spells[(row["name"], row["country"], row["role"])].append((start, end, where))
    errors = []
    for key, items in spells.items():
        items.sort()
        for (s1, e1, w1), (s2, e2, w2) in zip(items, items[1:]):
            if s2 < e1:
                errors.append(f"{key}: {w1} overlaps {w2}")
    assert not errors, "\n".join(errors)


def test_same_person_same_aliases():
    seen: dict[str, tuple[frozenset, str]] = {}
    errors = []
    for where, row in _all_rows():
        aliases = frozenset(a for a in row["aliases"].split(";") if a)
        if row["name"] in seen and seen[row["name"]][0] != aliases:
            errors.append(f"{row['name']}: aliases at {where} differ from {seen[row['name']][1]}")
        seen.setdefault(row["name"], (aliases, where))
    assert not errors, "\n".join(errors)
