"""Importing PETRARCH/TABARI dictionaries into the user KB, and the ``eventwatch actors`` CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from eventwatch.actors import KnowledgeBase, reset_default_kb, resolve_phrase
from eventwatch.actors.petrarch import import_dictionary, iso_date, parse_actors, parse_agents, pretty
from eventwatch.cli import app

ACTORS = """\
# a comment
SERGEY_LAVROV_  # CountryInfo.txt
+LAVROV
+SERGEI_LAVROV
\t[RUSGOV 19940922-20040712] # Amb. to UN
\t[RUSGOV >20040309]  # Foreign Minister
KREMLIN_
+RUSSIAN_WHITE_HOUSE
\t[RUSGOV]
ZORGLUB_PEOPLES_FRONT_ [ZZZREB]
+ZPF_
OLD_ZORGLUB_LEADER_
\t[ZZZGOV <850101]
\t[ZZZELI]
BROKEN_DATES_
\t[ZZZGOV 2004017-20061201]
\t[ZZZGOV >201005011]
\t[ZZZ GOV]
\t[zzzgov]
+ORPHANLESS
NULL_CODED_ [---]
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
CONGRESS!PERSON! [~LEG]
FOREIGN_MINISTER [~GOVFRM]
AIR_FORCE {} [~MIL]
SURGEON [~HLH]
HUMAN_RIGHTS_BODY  [NGO~]
NO_CODE_HERE
TYPO_AGENT [~ENV}
"""


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWATCH_HOME", str(tmp_path / "home"))
    reset_default_kb()
    yield
    reset_default_kb()


def test_helpers():
    assert iso_date("20040309") == "2004-03-09" and iso_date("040309") == "2004-03-09"
    assert iso_date("850101") == "1985-01-01"
    with pytest.raises(ValueError):
        iso_date("2004017")
    assert pretty("SERGEY_LAVROV_") == "Sergey Lavrov" and pretty("UN_") == "UN"
    assert pretty("U.N._SECURITY_COUNCIL") == "U.N. Security Council"
    assert pretty("ORGANIZATION_OF_AMERICAN_STATES") == "Organization of American States"


def test_parse_actors_records_and_errors():
    recs, errors = parse_actors(ACTORS, "t.txt")
    by = {r.name: r for r in recs}
    lav = by["Sergey Lavrov"]
    assert lav.aliases == ["Lavrov", "Sergei Lavrov"]
    assert [(c, lo, hi) for c, lo, hi, _ in lav.spells] == [("RUSGOV", "1994-09-22", "2004-07-12"),
                                                           ("RUSGOV", "2004-03-09", None)]
    assert by["Kremlin"].spells[0][:3] == ("RUSGOV", None, None)
    assert by["Zorglub Peoples Front"].default == "ZZZREB"
    # line-numbered errors, and the import goes on past them
    assert len(errors) == 4
    assert any(e.startswith("t.txt:16:") and "2004017" in e for e in errors)
    assert any(e.startswith("t.txt:17:") for e in errors)
    assert any(e.startswith("t.txt:18:") and "restriction" in e for e in errors)
    assert any(e.startswith("t.txt:19:") and "code" in e for e in errors)
    assert "Null Coded" in by and not by["Null Coded"].spells and by["Null Coded"].default is None


def test_parse_agents():
    rows, errors = parse_agents(AGENTS, "a.txt")
    got = {r[0][0]: (r[1], r[2]) for r in rows}
    assert got["congressman"] == ("LEG", "~LEG")
    assert ["congressman", "congressmen", "congresswoman", "congresswomen"] == next(r[0] for r in rows if r[2] == "~LEG")
    assert got["foreign minister"][0] == "GOV" and got["surgeon"][0] == "MED"  # CAMEO HLH -> PLOVER MED
    assert got["human rights body"][0] == "NGO"
    assert got["typo agent"][0] == "ENV"  # a stray } closing the code is tolerated
    assert errors == ["a.txt:7: expected PHRASE {PLURALS} [~CODE], got 'NO_CODE_HERE'"]


def test_imported_entries_resolve_with_dates_and_lower_priority(tmp_path):
    src = tmp_path / "my.actors.txt"
    src.write_text(ACTORS, encoding="utf-8")
    out = tmp_path / "user"
    rep = import_dictionary(src, out, "mine")
    assert rep.kind == "actors" and rep.records == 4 and len(rep.errors) == 4 and rep.skipped == 2
    kb = KnowledgeBase.load(extra_dirs=[out], user=False)
    assert kb.lookup("Zorglub Peoples Front")[0].code == "ZZZREB"
    assert kb.lookup("Old Zorglub Leader", "1980-01-01")[0].code == "ZZZGOV"
    assert kb.lookup("Old Zorglub Leader", "1990-01-01")[0].code == "ZZZELI"  # the default after the dated spell
    assert [e.source for e in kb.lookup("Kremlin")] == ["seats.tsv:5"] or kb.lookup("Kremlin")[0].kind == "seat"
    assert resolve_phrase("ZPF fighters", kb=kb).code == "ZZZREB"


@pytest.mark.parametrize("name, low, high", [
    ("Phoenix.Countries.actors.txt", 18000, 19000),
    ("Phoenix.International.actors.txt", 7500, 8000),
    ("Phoenix.MilNonState.actors.txt", 1000, 1100),
    ("Phoenix.agents.txt", 2100, 2400),
])
def test_import_phoenix_dictionaries(shared_dir, tmp_path, name, low, high):
    rep = import_dictionary(shared_dir / "data" / "petrarch2" / name, tmp_path / "user")
    assert low <= rep.records <= high, rep.as_dict()
    assert len(rep.errors) < 20
    assert all(":" in e and e.split(":")[1].isdigit() for e in rep.errors)  # every error has a line number
    text = (tmp_path / "user" / f"{name.lower()[:-4]}.tsv").read_text(encoding="utf-8")
    assert text.startswith("# imported from")


def test_phoenix_lavrov_and_kremlin(shared_dir, tmp_path):
    out = tmp_path / "user"
    import_dictionary(shared_dir / "data" / "petrarch2" / "Phoenix.Countries.actors.txt", out, "phoenix")
    rows = [line.split("\t") for line in (out / "phoenix.tsv").read_text(encoding="utf-8").splitlines()
            if line.split("\t")[1:2] == ["Sergey Lavrov"]]
    assert sorted((r[3], r[7], r[8]) for r in rows) == [("RUSGOV", "1994-09-22", "2004-07-12"),
                                                      ("RUSGOV", "2004-03-09", "")]
    kremlin = [line for line in (out / "phoenix.tsv").read_text(encoding="utf-8").splitlines()
               if line.split("\t")[1:2] == ["Kremlin"]]
    assert kremlin and kremlin[0].split("\t")[3] == "RUSGOV"
    kb = KnowledgeBase.load(extra_dirs=[out], user=False)
    assert kb.lookup("Robert Mugabe", "2005-01-01")[0].country == "ZWE"  # coverage the package lacks


runner = CliRunner()


def test_cli_lookup_json():
    res = runner.invoke(app, ["actors", "lookup", "Lavrov", "--date", "2016-09-26", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["resolution"]["code"] == "RUSGOV" and data["resolution"]["candidates"]
    res = runner.invoke(app, ["actors", "lookup", "the Kremlin"])
    assert res.exit_code == 0 and "RUSGOV" in res.stdout and "reason" in res.stdout
    res = runner.invoke(app, ["actors", "lookup", "Lavrov", "--date", "26/09/2016"])
    assert res.exit_code == 2


def test_cli_import_then_lookup(tmp_path):
    src = tmp_path / "mine.txt"
    src.write_text(ACTORS, encoding="utf-8")
    res = runner.invoke(app, ["actors", "import", str(src), "--name", "mine", "--json"])
    assert res.exit_code == 1  # malformed lines were reported (and skipped)
    data = json.loads(res.stdout)
    assert data["records"] == 4 and data["errors"] == 4 and data["error_lines"][0].startswith("mine.txt:")
    res = runner.invoke(app, ["actors", "lookup", "Zorglub Peoples Front", "--json"])
    assert json.loads(res.stdout)["resolution"]["code"] == "ZZZREB"
    res = runner.invoke(app, ["actors", "stats", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["by_kind"]["country"] >= 249
