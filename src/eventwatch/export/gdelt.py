"""GDELT 2.0 presets: the 61-column events table and the 16-column mentions table (tab-separated).

Events file: one row per event group (the deduplicated event, values from its representative
mention); mentions file: one row per mention of those events. See docs/exports.md for how each
column is filled and what GDELT has that eventwatch does not (tone, actor geography).
"""

from __future__ import annotations

from collections.abc import Iterator

from eventwatch.export.codes import admin1_name, country_name, fips, int_id, split_actor
from eventwatch.store.query import EventFilter
from eventwatch.store.query_export import iter_group_rows, iter_mention_rows

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
EVENT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"Actor1Geo_{c}" for c in _GEO] + [f"Actor2Geo_{c}" for c in _GEO] + [f"ActionGeo_{c}" for c in _GEO]
    + ["DATEADDED", "SOURCEURL"]
)
MENTION_COLUMNS = [
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
]
assert len(EVENT_COLUMNS) == 61 and len(MENTION_COLUMNS) == 16

# GDELT geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GEO_TYPE = {"country": 1, "admin1": 5, "point": 4}


def _clean(v) -> str:
    """A TSV field: no tabs or newlines inside; None → ''."""
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _ymd(date: str | None) -> str:
    return date[:10].replace("-", "") if date else ""


def _stamp(ts: str | None, quarter: bool = True) -> str:
    """ISO date-time → YYYYMMDDHHMMSS (UTC as stored; minutes floored to 15 when ``quarter``)."""
    if not ts:
        return ""
    d = ts[:10].replace("-", "")
    if len(ts) < 16:
        return d + "000000"
    hh, mm, ss = ts[11:13], int(ts[14:16]), ts[17:19] if len(ts) >= 19 else "00"
    if quarter:
        return f"{d}{hh}{mm - mm % 15:02d}00"
    return f"{d}{hh}{mm:02d}{ss}"


def _source_url(row) -> str:
    return row["url"] or (f"{row['outlet']} (eventwatch article {row['article_id']})" if row["outlet"]
                          else f"eventwatch article {row['article_id']}")


def _actor(row, side: str) -> list[str]:
    code = row[f"{side}_code"]
    parts = split_actor(code, row[f"{side}_country"], row[f"{side}_sector"])
    name = row[f"{side}_name"] or (country_name(parts["country"]) if parts["country"] else "") or ""
    types = parts["types"] + ["", "", ""]
    return [code or "", name.upper(), parts["country"], parts["group"], "", "", "", *types[:3]]


def _action_geo(row) -> list:
    if row["latitude"] is None and row["place_country"] is None:
        return [0, "", "", "", "", "", "", ""]
    iso3 = row["place_country"]
    cfips = fips(iso3)
    precision = row["place_precision"] or "point"
    gtype = _GEO_TYPE.get(precision, 4)
    if iso3 == "USA" and gtype in (4, 5):
        gtype = 3 if gtype == 4 else 2
    adm1 = row["place_admin1"] or ""
    adm1_code = cfips + adm1.split(".", 1)[1] if (cfips and "." in adm1) else cfips
    names = [row["place_name"] or ""]
    if precision != "country":
        a1 = admin1_name(adm1) if adm1 else ""
        if a1 and a1 != names[0]:
            names.append(a1)
        names.append(country_name(iso3))
    full = ", ".join(n for n in names if n)
    feature = cfips if precision == "country" else (row["geonameid"] or "")
    return [gtype, full, cfips, adm1_code if precision != "country" else cfips, "",
            row["latitude"], row["longitude"], feature]


def event_row(row) -> list:
    date = row["g_date"] or row["date"] or row["g_first_seen"]
    y = date[:4] if date else ""
    frac = ""
    if date:
        frac = f"{int(y) + (int(date[5:7]) * 30 + int(date[8:10])) / 365:.4f}"
    cameo = row["cameo"]
    empty_geo = [0, "", "", "", "", "", "", ""]
    return [
        int_id(row["g_key"]), _ymd(date), date[:7].replace("-", "") if date else "", y, frac,
        *_actor(row, "source"), *_actor(row, "target"),
        row["in_lead"], cameo, cameo[:3], row["cameo_root"], row["quad_class"], row["goldstein"],
        row["g_mentions"], row["g_sources"], row["g_articles"], "",
        *empty_geo, *empty_geo, *_action_geo(row),
        _stamp(row["coded_at"]), _source_url(row),
    ]


def mention_row(row) -> list:
    def off(v):
        return -1 if v is None or v < 0 else v

    return [
        int_id(row["g_key"]), _stamp(row["g_coded_at"]), _stamp(row["published"], quarter=False),
        1 if row["url"] else 2, row["outlet"] or "", _source_url(row), row["sentence_index"] + 1,
        off(row["source_start"]), off(row["target_start"]), off(row["trigger_start"]), 1,
        max(10, min(100, round((row["confidence"] or 0) * 100))), row["doc_len"], "", "",
        f"eventwatch_id={row['id']};article_id={row['article_id']};modality={row['modality']}",
    ]


def iter_events(store, f: EventFilter, header: bool = False) -> Iterator[str]:
    if header:
        yield "\t".join(EVENT_COLUMNS) + "\n"
    for row in iter_group_rows(store, f):
        yield "\t".join(_clean(v) for v in event_row(row)) + "\n"


def iter_mentions(store, f: EventFilter, header: bool = False) -> Iterator[str]:
    if header:
        yield "\t".join(MENTION_COLUMNS) + "\n"
    for row in iter_mention_rows(store, f):
        yield "\t".join(_clean(v) for v in mention_row(row)) + "\n"


def mentions_path(path: str) -> str:
    """``20160926.export.CSV`` → ``20160926.mentions.CSV``; ``x.tsv`` → ``x.mentions.tsv``."""
    if ".export." in path:
        return path.replace(".export.", ".mentions.")
    head, dot, ext = path.rpartition(".")
    if not dot or "/" in ext:
        return path + ".mentions"
    return f"{head}.mentions.{ext}"
