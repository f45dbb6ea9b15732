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


PENTACLASS = {
    "01": 0, "02": 0,
    "03": 1, "04": 1, "05": 1,
    "06": 2, "07": 2, "08": 2,
    "09": 3, "10": 3, "11": 3, "12": 3, "13": 3, "16": 3,
    "14": 4, "15": 4, "17": 4, "18": 4, "19": 4, "20": 4,
}


def pentacode(code: str) -> int:
    """The Phoenix "pentaclass" used by ConfliBERT's CAMEO data: 0 statements and appeals
    (01–02), 1 verbal cooperation (03–05), 2 material cooperation (06–08), 3 verbal conflict
    (09–13 and 16, reduce relations), 4 material conflict (14 protest, 15, 17–20).

    Checked against the data, not assumed: on the 1,349 labelled sentences, sentences whose
    coded events share one CAMEO root carry this class for every root (docs/evaluation.md).
    It differs from QuadClass for 01–02 (no class there), 05, 14 and 16."""
    return PENTACLASS[code[:2]]


@lru_cache(maxsize=4)
def _tsv_rows(name: str) -> dict[str, list[str]]:
    text = resources.files("eventwatch.events").joinpath(f"data/{name}").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, *rest = line.split("\t")
            out[key.strip()] = [x.strip() for x in rest]
    return out


def _tsv_map(name: str) -> dict[str, str]:
    return {k: v[0] for k, v in _tsv_rows(name).items()}


def intent(code: str) -> Code:
    """The code of an action announced for the future (data/intent.tsv): cooperation to come is
    an expression of intent (CAMEO 03), conflict to come a threat (13); announced retreats and
    concessions stay PLOVER CONCEDE, as the 2.0 manual says."""
    from dataclasses import replace

    rows = _tsv_rows("intent.tsv")
    for n in range(len(code), 1, -1):
        if code[:n] in rows:
            new, plover, *_ = rows[code[:n]] + ["", ""]
            row = lookup(new)
            return replace(row, plover_event=plover, plover_mode=None) if plover else row
    return lookup(code)


def intent_code(code: str) -> str:
    return intent(code).code


def refusal_code(code: str) -> str | None:
    """The CAMEO code of a cooperative action announced as not going to happen (data/refusal.tsv),
    or None when the code is not cooperative."""
    table = _tsv_map("refusal.tsv")
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def frame_code(modal: str) -> str | None:
    """The CAMEO code of a demand frame with this obligation modal (data/frames.tsv)."""
    return _tsv_map("frames.tsv").get(modal.lower())
