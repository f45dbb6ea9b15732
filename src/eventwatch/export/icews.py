"""ICEWS preset: the 20 tab-separated columns of the ICEWS coded event files, one row per mention.

ICEWS has no modality: unless the filter names modalities, only factual mentions (asserted,
reported) are written. See docs/exports.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventwatch.events.codes import table as cameo_table
from eventwatch.export.codes import SECTOR_WORDS, admin1_name, country_name, int_id
from eventwatch.store.query import EventFilter, iter_event_rows

COLUMNS = [
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
]
assert len(COLUMNS) == 20


def _field(v) -> str:
    if v is None:
        return ""
    return str(v).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _actor(row, side: str) -> list[str]:
    if row[f"{side}_code"] is None and row[f"{side}_text"] is None:
        return ["", "", ""]
    country = row[f"{side}_country"]
    cname = country_name(country)
    sector = row[f"{side}_sector"]
    name = row[f"{side}_name"]
    if not name:
        name = f"{SECTOR_WORDS.get(sector, sector)} ({cname})" if sector and cname else (row[f"{side}_text"] or "")
    return [name, SECTOR_WORDS.get(sector, sector or ""), cname or (country or "")]


def icews_row(row) -> list:
    code = cameo_table().get(row["cameo"])
    point = row["place_precision"] == "point" and (row["place_feature"] or "").startswith("PPL")
    return [
        int_id(row["id"]), row["date"] or "", *_actor(row, "source")[:3], code.name if code else "", row["cameo"],
        row["goldstein"], *_actor(row, "target"), int_id(row["article_id"]), row["sentence_index"] + 1,
        row["outlet"] or "", row["place_name"] if point else "", "", admin1_name(row["place_admin1"]),
        country_name(row["place_country"]), row["latitude"], row["longitude"],
    ]


def iter_icews(store, f: EventFilter, header: bool = True) -> Iterator[str]:
    if not f.modality:
        f = EventFilter(**{**f.__dict__, "modality": ("asserted", "reported")})
    if header:
        yield "\t".join(COLUMNS) + "\n"
    for row in iter_event_rows(store, f, "date"):
        yield "\t".join(_field(v) for v in icews_row(row)) + "\n"
