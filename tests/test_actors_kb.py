"""The actor knowledge base: loading, alias normalisation, case rules, dates, fuzzy matching."""

from __future__ import annotations

import time

import pytest

from eventwatch.actors import KnowledgeBase, default_kb, reset_default_kb
from eventwatch.actors.kb import DATA
from eventwatch.actors.normalize import key, plural, tokens


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWATCH_HOME", str(tmp_path / "home"))
    reset_default_kb()
    yield
    reset_default_kb()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(user=False)


def test_normalisation():
    assert key("U.S.") == "us" and key("the U.N. Security Council") == "the un security council"
    assert key("Russia's") == "russia" and key("Kurdistan Workers' Party") == "kurdistan workers party"
    assert key("al-Qaeda") == key("al Qaeda") == key("Al\u2011Qaeda") == "al qaeda"
    assert key("\u00c9lys\u00e9e") == "elysee" and key("Quai d\u2019Orsay") == "quai d'orsay"
    assert key("Bosnia & Herzegovina") == "bosnia and herzegovina"
    assert tokens("U.S.-led")[0] == ["US", "led"]
    assert plural("spokesman") == "spokesmen" and plural("ministry") == "ministries" and plural("army") == "armies"


def test_load_is_fast_and_clean(kb):
    t = time.perf_counter()
    fresh = KnowledgeBase.load(user=False)
    assert time.perf_counter() - t < 2.0  # < 1 s on an idle 2-core machine; slack for loaded CI
    assert not fresh.errors
    st = fresh.stats()
    for kind in ("country", "capital", "seat", "organization", "group", "agent", "demonym"):
        assert st["by_kind"].get(kind, 0) > 0, kind
    assert st["by_kind"]["country"] >= 249


def test_every_package_file_has_a_header():
    for path in [*DATA.glob("*.tsv"), *(DATA / "people").glob("*.tsv")]:
        first = next(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("# GEN"))
        assert first.startswith("#"), path


def test_lookup_exact_alias(kb):
    [e] = kb.lookup("the Kremlin")
    assert (e.kind, e.code, e.country, e.sector) == ("seat", "RUSGOV", "RUS", "GOV")
    assert kb.lookup("Pentagon")[0].code == "USAMIL"
    assert kb.lookup("U.N. Security Council")[0].code == "IGOUNOGOV"
    assert kb.lookup("Moscow")[0].kind == "capital"
    assert {e.code for e in kb.lookup("Syrians")} == {"SYR"}
    assert kb.lookup("Russia's")[0].code == "RUS"


def test_case_rules(kb):
    assert kb.lookup("US")[0].code == "USA"
    assert kb.lookup("U.S.")[0].code == "USA"
    assert kb.lookup("us") == [] and kb.lookup("Us") == []
    assert kb.lookup("UN")[0].country == "UNO" and kb.lookup("un") == []
    assert kb.lookup("IS")[0].name == "Islamic State" and kb.lookup("is") == []
    assert kb.lookup("WHO") and not kb.lookup("who")


def test_dates_select_roles(tmp_path):
    people = tmp_path / "kbdir" / "people"
    people.mkdir(parents=True)
    (people / "XXA.tsv").write_text(
        "# name\taliases\tcountry\tsector\trole\tfrom\tto\tnote\n"
        "Ivan Testov\tTestov\tRUS\tGOV\tUN ambassador\t1994-04\t2004-03\t\n"
        "Ivan Testov\tTestov\tRUS\tGOV\tforeign minister\t2004-03-09\t\t\n"
        "Ivan Testov\tTestov\tRUS\tMIL\tcolonel\t1980\t1990\tyear-only dates\n",
        encoding="utf-8")
    kb = KnowledgeBase.load(extra_dirs=[tmp_path / "kbdir"], user=False)
    assert [e.role for e in kb.lookup("Testov", "2016-09-26")] == ["foreign minister"]
    assert [e.role for e in kb.lookup("Testov", "1995-01-01")] == ["UN ambassador"]
    assert [e.role for e in kb.lookup("Testov", "1990-12-31")] == ["colonel"]  # "1990" means to the end of 1990
    assert kb.lookup("Testov", "1993-01-01") == []
    assert len(kb.lookup("Testov")) == 3  # undated query: every role
    e = kb.lookup("Testov", "2016-09-26")[0]
    assert e.source == "kbdir/people/XXA.tsv:3" and e.code == "RUSGOV"


def test_user_entries_never_override_curated(tmp_path):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "x.tsv").write_text("# kind\tname\taliases\tcode\tcountry\tsector\trole\tfrom\tto\tnote\n"
                             "group\tKremlin\t\tXXXREB\tXXX\tREB\t\t\t\t\n"
                             "group\tBlue Unicorns\tUnicorn Brigade\tXXXREB\tXXX\tREB\t\t\t\t\n", encoding="utf-8")
    kb = KnowledgeBase.load(extra_dirs=[d], user=False)
    assert [e.code for e in kb.lookup("Kremlin")] == ["RUSGOV"]
    assert kb.lookup("Unicorn Brigade")[0].code == "XXXREB"


def test_longest_matches_over_caller_tokens(kb):
    toks = ["Russian", "Foreign", "Minister", "Sergei", "Lavrov", "met", "al", "-", "Nusra", "Front", "fighters", "."]
    spans = [(s, e, {x.kind for x in ents}) for s, e, ents in kb.longest_matches(toks, date="2016-09-26")]
    assert (0, 1, {"country"}) in spans
    assert (1, 3, {"agent"}) in spans
    assert (3, 5, {"person"}) in spans
    assert (6, 10, {"group"}) in spans
    assert any(s == 10 for s, _, _ in spans)  # fighters
    # a comma breaks a match: "Bosnia , and Herzegovina" is not the country's alias
    assert all(e - s < 4 for s, e, _ in kb.longest_matches(["Bosnia", ",", "and", "Herzegovina"]))


def test_fuzzy_scores(kb):
    best, score = kb.fuzzy("Ethopia")[0]
    assert best.code == "ETH" and 88 <= score < 100
    assert kb.fuzzy("Afganistan")[0][0].code == "AFG"
    assert kb.fuzzy("Xqzzrtv") == []


def test_fuzzy_keeps_the_edges_of_short_words(kb):
    # a typo inside a word is a misspelling; a letter more or less at its edge is another word
    assert kb.fuzzy("Bulgria")[0][0].code == "BGR"
    assert kb.fuzzy("Russa")[0][0].country == "RUS"
    assert not any(e.code and e.code.startswith("SAU") for e, _ in kb.fuzzy("Audi"))
    assert not any(e.country == "OMN" for e, _ in kb.fuzzy("Roman"))
    assert kb.fuzzy("Bulgria") == kb.fuzzy("bulgria")  # memoised per normalised query, same answer


def test_default_kb_is_cached():
    assert default_kb() is default_kb()


def test_compiled_cache_for_user_dictionaries(tmp_path):
    udir = tmp_path / "home" / "actors"
    udir.mkdir(parents=True)
    f = udir / "mine.tsv"
    f.write_text("# kind\tname\taliases\tcode\tcountry\tsector\trole\tfrom\tto\tnote\n"
                 "group\tBlue Unicorns\tUnicorn Brigade\tXXXREB\tXXX\tREB\t\t\t\t\n", encoding="utf-8")
    first = KnowledgeBase.load()
    assert list((udir / ".cache").glob("kb-*.pickle"))
    second = KnowledgeBase.load()  # from the cache
    assert second.lookup("Unicorn Brigade") == first.lookup("Unicorn Brigade")
    assert second.lookup("Kremlin", "2016-01-01") == first.lookup("Kremlin", "2016-01-01")
    assert len(second) == len(first) and second.alias_count == first.alias_count
    f.write_text(f.read_text(encoding="utf-8") + "group\tRed Unicorns\t\tYYYREB\tYYY\tREB\t\t\t\t\n", encoding="utf-8")
    third = KnowledgeBase.load()  # a changed source file invalidates the cache
    assert third.lookup("Red Unicorns")[0].code == "YYYREB"
    assert len(list((udir / ".cache").glob("kb-*.pickle"))) == 1
