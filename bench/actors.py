#!/usr/bin/env python3
"""Actor knowledge base: load time, resolution speed, and the PLOVER GSR actorText check.

Speed: KB load (cold, package data only), ``lookup`` and ``resolve_phrase`` calls per second
over a mix of exact aliases and composite phrases, memoised (the default: news repeats its actor
phrases) and uncached (``cache=False``, every phrase seen for the first time). The "uncached" rows
still reuse the tokeniser's cache, as a real first sighting of a phrase would not; they are the
upper bound of first-sight speed.

Accuracy: every ``actorText`` of ``../shared/data/plover/PLOVER_GSR_CAMEO.txt`` (322 sentences
from the CAMEO manual, PLOVER 0.5b1 coding) resolved with ``resolve_phrase(text, date)`` and
scored on country and country+sector. Scoring conventions (not resolver rules):

- our organisation countries compare as the gold's generic codes: IGO… -> IGO, NGO… -> NGO;
- gold sectors compare on their first three letters (``CVLalb`` -> CVL, ``REBMOS`` -> REB);
  ``***`` (coder unsure) is left out of the sector score;
- gold typos are mapped: ITL -> ITA, JAP -> JPN, VTN -> VNM, sector CIV -> CVL;
- a gold sector of None with an IGO/NGO country accepts our IGO/NGO sector.

"Unreachable at string level" are texts that carry no sector in the string but a gold sector
from the sentence ("Hungarian" in "Senior Hungarian and Romanian officials" -> HUN GOV), and
texts with no actor-bearing word our KB could know (place names below country level).

Usage: ``python bench/actors.py [--shared PATH] [--misses] [--json OUT]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwatch.actors import KnowledgeBase, resolve_phrase  # noqa: E402
from eventwatch.actors import kb as kbmod  # noqa: E402

GOLD_TYPOS = {"ITL": "ITA", "JAP": "JPN", "VTN": "VNM"}
SPEED_PHRASES = [
    "Lavrov", "the Kremlin", "Moscow", "Russian Foreign Minister Sergei Lavrov", "the U.N. Security Council",
    "government troops", "Iraqi troops", "the Syrian opposition parties", "Hamas", "the Pentagon", "Ankara",
    "Kremlin spokesman Dmitry Peskov", "the Russian defense ministry", "warplanes", "a Swiss court",
    "the Free Syrian Army", "Syrian President Bashar al-Assad", "Turkish police", "Israeli army", "UNHCR",
]


def gold_actors(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for rec in data[1:]:
        for side in ("source", "target"):
            for a in rec.get(side) or []:
                if isinstance(a, dict) and (a.get("actorText") or "").strip():
                    yield rec["id"], rec.get("date"), a["actorText"].strip(), a.get("code"), a.get("sector")


def ours_country(r) -> str | None:
    if r is None:
        return None
    if r.code and r.code[:3] in ("IGO", "NGO"):
        return r.code[:3]
    return r.country


def plover_check(shared: Path, show_misses: bool = False, kb=None) -> dict:
    path = shared / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
    rows = list(gold_actors(path))
    n = len(rows)
    c_ok = cs_ok = cs_n = 0
    unresolved = 0
    categories: Counter = Counter()
    misses = []
    for rid, date, text, gcode, gsec in rows:
        gcountry = GOLD_TYPOS.get(gcode, gcode)
        gsector = None if not gsec else gsec[:3]
        gsector = {"CIV": "CVL"}.get(gsector, gsector)
        r = resolve_phrase(text, None if date == "2000-01-01" else date, kb=kb, cache=False)  # 2000-01-01 is the GSR's placeholder
        if r is None:
            unresolved += 1
        country = ours_country(r)
        sector = r.sector if r else None
        cok = country == gcountry
        c_ok += cok
        if gsector == "***":
            categories["gold sector *** (not scored)"] += 1
            continue
        cs_n += 1
        if gsector is None and gcountry in ("IGO", "NGO") and sector in ("IGO", "NGO"):
            sok = True
        else:
            sok = sector == gsector
        both = cok and sok
        cs_ok += both
        if both:
            categories["correct"] += 1
            continue
        # why it missed
        if r is not None and r.sector is None and gsector is not None and cok and not r.ambiguous:
            cat = "sector only from sentence context (string-level unreachable)"
        elif r is None:
            cat = "no actor found"
        elif r.country is None and r.reason.startswith("title") and any(w[:1].isupper() for w in text.split()[1:]):
            cat = "title + a person the KB lacks (people data)"
        elif not cok:
            cat = "wrong country"
        else:
            cat = "wrong sector"
        categories[cat] += 1
        misses.append((cat, text, f"{gcountry}/{gsector}", f"{country}/{sector}", r.reason if r else ""))
    unreachable = categories["sector only from sentence context (string-level unreachable)"]
    out = {
        "actor_texts": n,
        "resolved": n - unresolved,
        "country_accuracy": round(c_ok / n, 4),
        "country_sector_accuracy": round(cs_ok / cs_n, 4),
        "country_sector_scored": cs_n,
        "country_sector_accuracy_reachable": round(cs_ok / max(1, cs_n - unreachable), 4),
        "categories": dict(categories.most_common()),
    }
    if show_misses:
        for m in sorted(misses):
            print("  %-28s %-45r gold %-10s ours %-12s %s" % (m[0][:28], m[1][:45], m[2], m[3], m[4][:110]))
    return out


def speed(repeat: int = 3) -> dict:
    t0 = time.perf_counter()
    kb = KnowledgeBase.load(user=False)
    load_s = time.perf_counter() - t0
    kbmod._default = kb  # the resolver's default KB is the one just measured
    aliases = ["Lavrov", "Kremlin", "Moscow", "UN Security Council", "Hamas", "Pentagon", "Ankara", "Syria",
               "Free Syrian Army", "Peskov", "troops", "Russian", "U.S.", "Hezbollah", "UNHCR", "Tehran"]
    best = {}
    for label, fn, items in (
        ("lookup (exact alias, dated)", lambda s: kb.lookup(s, "2016-09-26"), aliases),
        ("resolve_phrase, exact alias, memoised", lambda s: resolve_phrase(s, "2016-09-26", kb=kb), aliases),
        ("resolve_phrase, composite, memoised", lambda s: resolve_phrase(s, "2016-09-26", kb=kb), SPEED_PHRASES),
        ("resolve_phrase, exact alias, uncached", lambda s: resolve_phrase(s, "2016-09-26", kb=kb, cache=False), aliases),
        ("resolve_phrase, composite, uncached", lambda s: resolve_phrase(s, "2016-09-26", kb=kb, cache=False), SPEED_PHRASES),
    ):
        rates = []
        for _ in range(repeat):
            n = 0
            t = time.perf_counter()
            while time.perf_counter() - t < 0.5:
                for s in items:
                    fn(s)
                n += len(items)
            rates.append(n / (time.perf_counter() - t))
        best[label] = max(rates)
    # first sight: distinct phrases, no memo, tokeniser cache cleared (what a new article costs)
    from eventwatch.actors.normalize import tokens

    shared = Path(os.environ.get("EVENTWATCH_SHARED", ROOT.parent / "shared"))
    gold = shared / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
    if gold.exists():
        distinct = list(dict.fromkeys(t for _, _, t, _, _ in gold_actors(gold)))
        rates = []
        for _ in range(repeat):
            tokens.cache_clear()
            t = time.perf_counter()
            for s in distinct:
                resolve_phrase(s, "2016-09-26", kb=kb, cache=False)
            rates.append(len(distinct) / (time.perf_counter() - t))
        best[f"resolve_phrase, first sight ({len(distinct)} PLOVER texts)"] = max(rates)
    return {"load_s": round(load_s, 3), "entries": len(kb), "aliases": kb.alias_count,
            "per_second": {k: round(v) for k, v in best.items()}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("EVENTWATCH_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--misses", action="store_true", help="print every miss of the PLOVER check")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--with-phoenix", action="store_true",
                    help="also run the PLOVER check with the Phoenix dictionaries imported as a user KB")
    args = ap.parse_args()
    import tempfile

    os.environ["EVENTWATCH_HOME"] = tempfile.mkdtemp(prefix="ew-bench-")  # no user dictionaries
    sp = speed()
    print(f"KB load (package data): {sp['load_s'] * 1000:.0f} ms, {sp['entries']} entries, {sp['aliases']} aliases")
    print(f"{'operation':50} {'calls/s':>10}")
    for k, v in sp["per_second"].items():
        print(f"{k:50} {v:>10,}")
    result = {"speed": sp}
    if (args.shared / "data" / "plover").is_dir():
        pl = plover_check(args.shared, args.misses)
        result["plover"] = pl
        print(f"\nPLOVER GSR actorText ({pl['actor_texts']} texts, {pl['resolved']} resolved)")
        print(f"  country accuracy            {pl['country_accuracy']:.3f}")
        print(f"  country+sector accuracy     {pl['country_sector_accuracy']:.3f}  (of {pl['country_sector_scored']} scored)")
        print(f"  country+sector, reachable   {pl['country_sector_accuracy_reachable']:.3f}  "
              "(without texts whose sector only the sentence gives)")
        for k, v in pl["categories"].items():
            print(f"    {v:4}  {k}")
        if args.with_phoenix:
            import tempfile

            from eventwatch.actors.petrarch import import_dictionary

            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                for name in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                             "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt"):
                    import_dictionary(args.shared / "data" / "petrarch2" / name, tmp)
                t_imp = time.perf_counter() - t
                t = time.perf_counter()
                kb = KnowledgeBase.load(extra_dirs=[tmp], user=False)
                t_load = time.perf_counter() - t
                ph = plover_check(args.shared, False, kb)
            result["plover_with_phoenix"] = ph | {"import_s": round(t_imp, 2), "load_s": round(t_load, 2),
                                                  "entries": len(kb)}
            print(f"\nwith the Phoenix dictionaries imported (import {t_imp:.1f} s; KB load {t_load:.2f} s, "
                  f"{len(kb)} entries)")
            print(f"  country accuracy            {ph['country_accuracy']:.3f}")
            print(f"  country+sector accuracy     {ph['country_sector_accuracy']:.3f}")
            for k, v in ph["categories"].items():
                print(f"    {v:4}  {k}")
    else:
        print(f"\n(no shared data at {args.shared}: PLOVER check skipped)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
