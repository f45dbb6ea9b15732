"""Code tables: CAMEO names, QuadClass, Goldstein and the PLOVER 2.0 mapping (package data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PLOVER_EVENTS = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float
    plover_event: str | None
    plover_mode: str | None
    plover_context: str | None


@lru_cache(maxsize=1)
def table() -> dict[str, Code]:
    text = resources.files("eventwatch.events").joinpath("data/cameo.tsv").read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if x and not x.startswith("#")]
    out = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        out[row["code"]] = Code(
            row["code"], row["name"], row["root"], int(row["quad_class"]), float(row["goldstein"]),
            row["plover_event"] or None, row["plover_mode"] or None, row["plover_context"] or None,
        )
    return out


def lookup(code: str) -> Code:
    """The table row for a CAMEO code; raises KeyError for codes CAMEO does not define."""
    return table()[code]


def is_valid(code: str) -> bool:
    return code in table()


def pentacode(code: str) -> int:
    """ConfliBERT's five classes: 0 statement, 1 verbal coop, 2 material coop, 3 verbal conflict,
    4 material conflict. CAMEO 01 → 0, 02–05 → 1, 06–08 → 2, 09–13 → 3, 14–20 → 4 (inferred from
    the data: protests count as material conflict there; see docs/evaluation.md)."""
    root = int(code[:2])
    if root == 1:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4
