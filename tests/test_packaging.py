"""The built wheel carries the package data the code reads at run time (nothing from ../shared)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    if res.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {res.stderr[-300:]}")
    (whl,) = out.glob("eventwatch-*.whl")
    with zipfile.ZipFile(whl) as z:
        return set(z.namelist())


def test_wheel_contains_every_data_file(wheel_names):
    src = ROOT / "src"
    data = [p for p in (src / "eventwatch").rglob("*")
            if p.is_file() and p.suffix in (".sql", ".tsv", ".txt", ".json") and "__pycache__" not in p.parts]
    assert data, "no package data found"
    missing = [str(p.relative_to(src)) for p in data if str(p.relative_to(src)) not in wheel_names]
    assert missing == []


def test_wheel_contains_the_knowledge_the_coder_needs(wheel_names):
    for name in ("eventwatch/events/data/cameo.tsv", "eventwatch/events/data/lexicon/sets.txt",
                 "eventwatch/events/data/lexicon/19_fight.txt", "eventwatch/store/migrations/0001_archive.sql",
                 "eventwatch/actors/data/agents.tsv", "eventwatch/actors/data/people/RUS.tsv"):
        assert name in wheel_names


def test_package_never_reads_shared():
    offenders = [str(p) for p in (ROOT / "src").rglob("*.py") if "../shared" in p.read_text() or "/shared/data" in p.read_text()]
    assert offenders == []
