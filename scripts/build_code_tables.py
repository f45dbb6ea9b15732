#!/usr/bin/env python3
"""Build ``src/eventwatch/events/data/cameo.tsv`` from the reference tables in ../shared.

Run at development time (the package never reads ../shared): CAMEO event codes and
names, Goldstein scores, QuadClass, and the CAMEO→PLOVER mapping
(CAMEO2PLOVER-2021, draft 0.8) updated to PLOVER 2.0 names:

* event names: DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT (0.5 names);
* modes renamed to the 2.0 lists (195 aerial, 185/186 targeted, 1712 destroy, 1823 beat,
  175 crowd-control, 0842 release, ban→restrict, political→restrict);
* contexts renamed to the 2.0 list (humanitarian→human_security, democracy→pro_democracy);
* where the 2021 draft disagrees with the 2.0 manual, the manual wins (163 sanctions →
  SANCTION:discontinue; 0811–0814 easing restrictions and curfews → CONCEDE; 0831 resignations →
  RETREAT:resign);
* CAMEO 01 (statements) has no PLOVER event; CAMEO 02 (appeals) is REQUEST — PLOVER 2.0
  drops APPEAL, and REQUEST covers "all requests, demands and orders" (decision documented
  in docs/events.md).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
OUT = ROOT / "src/eventwatch/events/data/cameo.tsv"

EVENT_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
MODE_FIX = {"195": "aerial", "185": "targeted", "186": "targeted", "1712": "destroy", "1823": "beat",
            "175": "crowd-control", "0842": "release", "1831": "suicide-attack", "183": "explosives"}
MODE_RENAME = {"ban": "restrict", "political": "restrict", "return": "release", "ease": "",
               "assassinate": "targeted", "massacre": "", "cleansing": "", "pro_autocracy": "crowd-control"}
CONTEXT_RENAME = {"humanitarian": "human_security", "democracy": "pro_democracy"}
# Where the 2021 draft table disagrees with the PLOVER 2.0 manual, the manual wins:
# "international (political or economic) sanctions are coded as [SANCTION] 'discontinue'";
# CONCEDE covers "easing of administrative or legal restrictions …, removing curfews";
# "RETREAT also covers resignations of government officials".
MANUAL_2_0 = {
    "163": ("SANCTION", "discontinue", "economic"),
    "0811": ("CONCEDE", "", "pro_democracy"),
    "0812": ("CONCEDE", "", "pro_democracy"),
    "0813": ("CONCEDE", "", "legal"),
    "0814": ("CONCEDE", "", "legal"),
    "0831": ("RETREAT", "resign", "political_institutions"),
}
PLOVER_MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}


def quad(code: str) -> int:
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def main() -> None:
    names = {}
    with open(SHARED / "data/cameo/CAMEO.eventcodes.txt", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and row[0].isdigit() and len(row[0]) >= 2:
                names[row[0]] = re.sub(r"\s+", " ", row[1]).strip()
    gold = {}
    with open(SHARED / "data/cameo/CAMEO.goldsteinscale.txt", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and row[0].isdigit():
                gold[row[0]] = float(row[1])
    plover = {}
    for line in (SHARED / "data/plover/CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([^#]*)", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        if len(m.group(1)) == 2 or not parts[0]:
            continue
        event = EVENT_NAMES.get(parts[0], parts[0])
        mode = parts[1] if len(parts) > 1 else ""
        mode = MODE_FIX.get(m.group(1), MODE_RENAME.get(mode, mode))
        if mode and mode not in PLOVER_MODES.get(event, set()):
            mode = ""
        ctx = parts[2] if len(parts) > 2 else ""
        ctx = ";".join(CONTEXT_RENAME.get(c.strip(), c.strip()) for c in ctx.split(";") if c.strip())
        plover.setdefault(m.group(1), (event, mode, ctx))
    plover.update(MANUAL_2_0)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write("# CAMEO event codes: name, root, QuadClass, Goldstein, PLOVER 2.0 event/mode/context.\n")
        fh.write("# Built by scripts/build_code_tables.py from the CAMEO code and Goldstein tables and\n")
        fh.write("# CAMEO2PLOVER-2021 (updated to PLOVER 2.0 names). Do not edit by hand.\n")
        fh.write("code\tname\troot\tquad_class\tgoldstein\tplover_event\tplover_mode\tplover_context\n")
        for code in sorted(names, key=lambda c: (c[:2], c)):
            if len(code) < 2:
                continue
            root = code[:2]
            if code in plover:
                event, mode, ctx = plover[code]
            elif root == "01":
                event, mode, ctx = "", "", ""
            elif root == "02":
                event, mode, ctx = "REQUEST", "", ""
            else:
                keys = [code[:3], code + "0"] if len(code) > 2 else [code + "0"]
                parent = next((plover[k] for k in keys if k in plover), None)
                event, mode, ctx = parent if parent else ("", "", "")
            g = gold.get(code, gold.get(code[:3], gold.get(root, 0.0)))
            fh.write(f"{code}\t{names[code]}\t{root}\t{quad(code)}\t{g}\t{event}\t{mode}\t{ctx}\n")
    print(f"wrote {OUT} ({len(names)} codes)")


if __name__ == "__main__":
    main()
