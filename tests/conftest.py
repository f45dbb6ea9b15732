"""Shared fixtures. ``../shared`` (read-only reference and gold data) is available in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWATCH_SHARED", ROOT.parent / "shared")).resolve()
SEED = SHARED / "seed" / "asharq-al-awsat-55359139.txt"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"reference data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared_dir) -> Path:
    return SEED


@pytest.fixture()
def db_path(tmp_path) -> str:
    return str(tmp_path / "test.db")
