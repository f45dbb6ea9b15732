"""``data/countries.tsv`` is generated: it must match what the build script makes from the
installed (pinned) packages and the curated overrides."""

from __future__ import annotations

from eventwatch.actors import build
from eventwatch.actors.loader import read_table, split_list


def _rows():
    _, rows = read_table(build.DATA / "countries.tsv")
    return {r["code"]: r for _, r in rows}


def test_countries_tsv_is_up_to_date():
    assert (build.DATA / "countries.tsv").read_text(encoding="utf-8") == build.build(), \
        "run: python -m eventwatch.actors.build"


def test_press_aliases_and_overrides():
    rows = _rows()
    assert {"US", "USA", "America", "the United States"} <= set(split_list(rows["USA"]["aliases"]))
    assert {"UK", "Britain", "Great Britain"} <= set(split_list(rows["GBR"]["aliases"]))
    assert "DRC" in split_list(rows["COD"]["aliases"])
    assert rows["XKX"]["name"] == "Kosovo" and "Pristina" in split_list(rows["XKX"]["capitals"])
    assert "Taiwan" == rows["TWN"]["name"]
    assert "Moscow" in split_list(rows["RUS"]["capitals"]) and "Russian" in split_list(rows["RUS"]["demonyms"])
    assert "Syrians" in split_list(rows["SYR"]["demonyms"])
    # a demonym shared with dependencies stays with the main country
    owners = [c for c, r in rows.items() if "French" in split_list(r["demonyms"])]
    assert owners == ["FRA"]
    assert "Male" not in split_list(rows["MDV"]["capitals"])  # a common word, removed by the overrides
