"""`eventwatch places` and run_geo_eval."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from eventwatch.cli import places as places_cli


@pytest.fixture(scope="module")
def app():
    try:
        from eventwatch.places import get_gazetteer

        get_gazetteer()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"gazetteer unavailable: {exc}")
    a = typer.Typer()
    places_cli.register(a)

    @a.command("noop")
    def _noop() -> None:  # a second command keeps typer in multi-command mode
        pass

    return a


def test_places_command(app, seed_path, db_path):
    from eventwatch.cli import app as main_app

    r = CliRunner().invoke(main_app, ["ingest", "--db", db_path, "--date", "2016-09-26", "-q", str(seed_path)])
    assert r.exit_code == 0, r.output
    from eventwatch.store import Store

    aid = Store(db_path).conn.execute("SELECT id FROM articles").fetchone()[0]
    r = CliRunner().invoke(app, ["places", aid, "--db", db_path, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    names = {p["name"] for p in data["places"]}
    assert {"Aleppo", "Syria", "Moscow"} <= names
    assert any(p["metonymy"] and p["text"] == "United States" for p in data["places"])
    r = CliRunner().invoke(app, ["places", aid, "--db", db_path])
    assert r.exit_code == 0 and "Aleppo" in r.stdout


def test_run_geo_eval(app, tmp_path, capsys):
    from tests.test_places import LGL_SAMPLE

    f = tmp_path / "lgl.xml"
    f.write_text(LGL_SAMPLE)
    assert places_cli.run_geo_eval(str(f), True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["acc_161km"] == 1.0 and "recognition_f1" in data
    assert places_cli.run_geo_eval(str(tmp_path / "missing.xml"), True) == 2
