"""Shared data for the export, API and web tests (this module has no tests of its own).

One database per test session, built once: the bundled sample corpus, the reference article
(when ../shared is there) and a planted article whose title, outlet, URL and body carry script.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from eventwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
ARTIFACTS = ROOT / "test-artifacts"
SHARED = Path(os.environ.get("EVENTWATCH_SHARED", ROOT.parent / "shared")).resolve()
SEED = SHARED / "seed" / "asharq-al-awsat-55359139.txt"

PLANTED = {
    "title": 'Planted <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">',
    "text": ("Russia accused Ukraine on Monday of shelling the city of Donetsk. <script>window.__pwned=3</script> "
             'The United Nations urged both sides to stop the fighting <img src=x onerror="window.__pwned=4">.\n\n'
             "The European Union condemned the attack."),
    "url": "javascript:window.__pwned=5",
    "date": "2025-06-02",
    "source": 'Planted <b onmouseover="window.__pwned=6">Wire</b>',
}

_cache: dict[str, str] = {}


def _run(*args) -> None:
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code in (0, 1), r.output


def sample_db(seed: Path | None = SEED) -> str:
    """Path of the session's database (samples + seed + planted article), built on first use."""
    key = "with-seed" if seed and seed.exists() else "no-seed"
    if key not in _cache:
        folder = Path(tempfile.mkdtemp(prefix="ew-web-"))
        atexit.register(shutil.rmtree, folder, True)
        db = str(folder / "samples.db")
        _run("run", SAMPLES, "--db", db, "--quiet")
        if key == "with-seed":
            _run("run", seed, "--db", db, "--date", "2016-09-26", "--quiet")
        planted = folder / "planted.jsonl"
        planted.write_text(json.dumps(PLANTED) + "\n", encoding="utf-8")
        _run("run", planted, "--db", db, "--quiet")
        _cache[key] = db
    return _cache[key]


def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
