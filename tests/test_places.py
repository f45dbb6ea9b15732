"""Gazetteer, recognition, resolution, metonymy, event locations and the geo evaluation."""

from __future__ import annotations

import pytest

from eventwatch.model import Place
from eventwatch.places import (
    Mention, event_location, geoparse, get_gazetteer, is_metonym, recognize, resolve_dateline, resolve_mentions,
)
from eventwatch.places.evaluate import evaluate_geo, read_gold
from eventwatch.places.normalize import norm


@pytest.fixture(scope="module")
def gaz():
    try:
        return get_gazetteer()
    except Exception as exc:  # noqa: BLE001 - no packages / no disk: skip, don't fail
        pytest.skip(f"gazetteer unavailable: {exc}")


@pytest.fixture(scope="module")
def nlp():
    from eventwatch.nlp import ModelMissing, load

    try:
        return load()
    except ModelMissing as exc:
        pytest.skip(str(exc))


def _resolve(gaz, text, *names):
    mentions = []
    for n in names:
        i = text.index(n)
        mentions.append(Mention(n, i, i + len(n)))
    return resolve_mentions(text, mentions, gaz=gaz)


def test_norm():
    assert norm("St. Louis") == norm("Saint Louis") == "saint louis"
    assert norm("Ḩalab") == "halab"
    assert norm("U.S.") == "us"
    assert norm("the Gaza Strip") == "gaza strip"


def test_lookup(gaz):
    names = {e.country for e, _ in gaz.lookup("Aleppo")}
    assert "SY" in names
    va = [e for e, _ in gaz.lookup("Va.") if e.level == 1]
    assert va and va[0].admin1 == "US.VA"
    assert any(e.feature == "PCLI" for e, _ in gaz.lookup("China"))


def test_resolution_uses_context(gaz):
    p = _resolve(gaz, "A shooting in Long Beach, Calif., left two dead.", "Long Beach", "Calif.")
    assert p[0].country == "USA" and p[0].admin1 == "US.CA" and p[1].precision == "admin1"
    p = _resolve(gaz, "China said its exports to Japan rose.", "China", "Japan")
    assert p[0].feature == "PCLI" and p[0].precision == "country" and p[0].country == "CHN"
    p = _resolve(gaz, "Fighting in Aleppo and Idlib province continued, Syria said.", "Aleppo", "Idlib province", "Syria")
    assert p[0].country == "SYR" and p[0].feature == "PPL" and p[0].precision == "point"
    assert p[1].feature == "ADM1" and p[1].precision == "admin1"
    p = _resolve(gaz, "Alexandria police and the Rapides Parish sheriff said, in Louisiana.", "Alexandria", "Rapides Parish", "Louisiana")
    assert p[0].admin1 == "US.LA"


def test_place_fields(gaz):
    (p,) = _resolve(gaz, "Shelling hit Damascus.", "Damascus")
    assert p.geonameid and p.name == "Damascus" and p.country == "SYR" and p.feature == "PPLC"
    assert p.lat == pytest.approx(33.5, abs=0.2) and p.lon == pytest.approx(36.3, abs=0.2)
    assert 0 < p.confidence <= 1 and p.reason


def test_unknown_toponym(gaz):
    text = "In Aleppo, shells hit Zzyzxqwv Street."
    (p, q) = _resolve(gaz, text, "Aleppo", "Zzyzxqwv Street")
    assert q.geonameid is None and q.lat is None
    q = resolve_mentions(text, [Mention("Aleppo", 3, 9), Mention("Zzyzxqwv Street", 22, 37)], gaz=gaz, guess_unknown=True)[1]
    assert q.geonameid is None and q.country == "SYR" and q.confidence < 0.1


def test_recognize_gazetteer_and_demonyms(gaz, nlp):
    doc = nlp("Syrian government warplanes pounded Aleppo and rebels fled to Idlib, near the border with Turkey.")
    texts = [m.text for m in recognize(doc, gaz)]
    assert "Aleppo" in texts and "Turkey" in texts and "Idlib" in texts
    assert "Syrian" not in texts


def test_metonymy_and_event_location(gaz, nlp):
    text = ("Moscow said the ceasefire had collapsed. Government warplanes pounded Aleppo on Sunday. "
            "A convoy was attacked outside Aleppo. Rebels shelled positions in Idlib province. "
            "Troops massed near the border with Turkey.")
    doc = nlp(text)
    places = geoparse(doc, gaz=gaz)
    moscow = next(p for p in places if p.text == "Moscow")
    assert is_metonym(moscow) and "metonymy" in moscow.reason
    sents = list(doc.sents)
    expected = [(0, "said", None), (1, "pounded", "Aleppo"), (2, "attacked", "Aleppo"), (3, "shelled", "Idlib"), (4, "massed", "Turkey")]
    for i, trig, want in expected:
        trigger = next(t for t in sents[i] if t.text == trig)
        loc = event_location(doc, sents[i], trigger, places, None)
        if want is None:
            assert loc is None  # the metonymic Moscow is not a location
        else:
            assert loc is not None and loc.name and want in loc.text, (trig, loc)
            assert loc.reason.startswith("event location:")


def test_event_location_fallbacks(gaz, nlp):
    doc = nlp("Officials met in Beirut. The army said talks failed.")
    places = geoparse(doc, gaz=gaz)
    sents = list(doc.sents)
    dl = resolve_dateline("BEIRUT", places, gaz)
    assert dl is not None and dl.country == "LBN"
    loc = event_location(doc, sents[1], next(t for t in sents[1] if t.text == "said"), places, dl)
    assert loc is not None and loc.reason.startswith("event location: dateline") and loc.confidence < dl.confidence
    met = next(t for t in sents[0] if t.text == "met")
    loc = event_location(doc, sents[0], met, places, dl)
    assert loc.name == "Beirut" and loc.confidence > 0.5


GWN_SAMPLE = """<?xml version="1.0" ?>
<articles><article file="0"><title>t</title><link>l</link>
<text>Turkish jets struck Afrin. Ankara said the operation in Syria would go on.</text>
<toponyms>
<toponym><extractedName>Turkish</extractedName><normalisedName/><type>Non_Literal_Modifier</type><modifierType>Adjective</modifierType><nonLocational>No</nonLocational><start>0</start><end>7</end><geonamesID>298795</geonamesID><latitude>39.0</latitude><longitude>35.0</longitude></toponym>
<toponym><extractedName>Afrin</extractedName><normalisedName/><type>Literal</type><modifierType/><nonLocational>No</nonLocational><start>20</start><end>25</end><geonamesID/><latitude>36.51</latitude><longitude>36.87</longitude></toponym>
<toponym><extractedName>Ankara</extractedName><normalisedName/><type>Metonymic</type><modifierType/><nonLocational>No</nonLocational><start>27</start><end>33</end><geonamesID>323786</geonamesID><latitude>39.92</latitude><longitude>32.85</longitude></toponym>
<toponym><extractedName>Syria</extractedName><normalisedName/><type>Literal</type><modifierType/><nonLocational>No</nonLocational><start>56</start><end>61</end><geonamesID>163843</geonamesID><latitude>35.0</latitude><longitude>38.0</longitude></toponym>
<toponym><extractedName>operation</extractedName><normalisedName/><type>Non_Lit_Expression</type><modifierType/><nonLocational>Yes</nonLocational><start>43</start><end>52</end></toponym>
</toponyms></article></articles>"""

LGL_SAMPLE = """<?xml version="1.0" encoding="utf-8"?>
<articles><article docid="1"><title>t</title><text><![CDATA[Alexandria woman charged. She lives in Alexandria, La., police said.]]></text>
<toponyms>
<toponym><start>0</start><end>10</end><phrase>Alexandria</phrase><gaztag geonameid="4314550"><name>Alexandria</name><fclass>P</fclass><fcode>PPL</fcode><lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
<toponym><start>39</start><end>49</end><phrase>Alexandria</phrase><gaztag geonameid="4314550"><name>Alexandria</name><fclass>P</fclass><fcode>PPL</fcode><lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
<toponym><start>51</start><end>54</end><phrase>La.</phrase><gaztag geonameid="4331987"><name>Louisiana</name><fclass>A</fclass><fcode>ADM1</fcode><lat>31.0</lat><lon>-92.0</lon></gaztag></toponym>
</toponyms></article></articles>"""


def test_evaluate_formats(tmp_path, gaz):
    gwn = tmp_path / "gwn.xml"
    gwn.write_text(GWN_SAMPLE)
    lgl = tmp_path / "lgl.xml"
    lgl.write_text(LGL_SAMPLE)
    arts = read_gold(gwn)
    assert arts[0].format == "gwn" and [g.recognition_gold for g in arts[0].toponyms] == [False, True, True, True, False]
    r = evaluate_geo(gwn, json=True)
    assert r["n"] == 4 and r["acc_161km"] == 1.0 and r["exact"] == 1.0
    for k in ("acc_161km", "exact", "recognition_precision", "recognition_recall", "recognition_f1", "n", "seconds"):
        assert k in r
    r = evaluate_geo(lgl, json=True)
    assert r["n"] == 3 and r["acc_161km"] == 1.0


def test_eval_on_shared_sets(shared_dir, gaz):
    """Resolution only (no parsing), to keep the suite fast; bench/geo.py runs the full evaluation."""
    lgl = evaluate_geo(shared_dir / "data" / "geo" / "lgl.xml", json=True, recognition=False)
    assert lgl["n"] > 4000 and lgl["acc_161km"] > 0.85
    gwn = evaluate_geo(shared_dir / "data" / "geo" / "GWN.xml", json=True, recognition=False)
    assert gwn["n"] > 2500 and gwn["acc_161km"] > 0.8


def test_place_record_is_the_model_place(gaz):
    (p,) = _resolve(gaz, "in Paris", "Paris")
    assert isinstance(p, Place)
