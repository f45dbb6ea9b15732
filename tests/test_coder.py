"""The event coder on the reference article and on general constructions."""

from __future__ import annotations

import pytest

from eventwatch.evaluate.sentences import code_texts
from eventwatch.events.pipeline import code_batch
from eventwatch.extract import extract
from eventwatch.model import RawDoc


@pytest.fixture(scope="module")
def seed_events(seed_path):
    art = extract(RawDoc(origin=str(seed_path), kind="textpage", data=seed_path.read_bytes()))
    art.published = "2016-09-26"
    (coded,) = code_batch([art])
    assert coded.status == "ok", coded.reason
    return art, coded.events


def find(events, cameo_root=None, source=None, target=None, trigger=None):
    out = []
    for e in events:
        if cameo_root and e.root != cameo_root:
            continue
        if source and (e.source is None or e.source.country != source):
            continue
        if target and (e.target is None or e.target.country != target):
            continue
        if trigger and e.trigger_text.lower() != trigger:
            continue
        out.append(e)
    return out


def test_moscow_blames_us_and_syrian_opposition(seed_events):
    _, events = seed_events
    blame = find(events, "11", source="RUS", trigger="blaming")
    assert {(e.target.country, e.target.sector) for e in blame} >= {("USA", None), ("SYR", "OPP")}
    assert all(e.source.code == "RUSGOV" and e.plover_event == "ACCUSE" for e in blame)


def test_us_accuses_russia_of_barbarism(seed_events):
    _, events = seed_events
    (e,) = find(events, "11", source="USA", target="RUS", trigger="accused")
    assert e.cameo == "1124" and e.modality == "asserted"
    assert e.date.date == "2016-09-25" and e.date.expression.lower() == "on sunday"


def test_warplanes_pound_aleppo(seed_events):
    _, events = seed_events
    (e,) = find(events, "19", trigger="pounded")
    assert e.cameo == "195" and e.plover_mode == "aerial" and e.source.sector == "MIL"
    assert e.place is not None and e.place.name == "Aleppo" and e.place.country == "SYR"


def test_lavrov_accuses_us_of_deflecting_from_its_airstrikes(seed_events):
    art, events = seed_events
    lavrov = [e for e in find(events, "11", source="RUS", target="USA") if e.sentence_index == 14]
    assert lavrov and lavrov[0].source.code == "RUSGOV"
    assert "Lavrov" in art.body[lavrov[0].source.start : lavrov[0].source.end]
    strikes = find(events, "19", source="USA", target="SYR", trigger="airstrikes")
    assert strikes and strikes[0].target.sector == "MIL" and strikes[0].modality == "reported"
    assert "Lavrov" in strikes[0].attributed_to.text


def test_nested_claim_convoy_attack(seed_events):
    _, events = seed_events
    (accuse,) = find(events, "11", source="USA", target="RUS", trigger="accusing")
    nested = [e for e in events if e.parent == accuse.id]
    assert nested and nested[0].root == "19" and nested[0].source.country == "RUS"
    assert nested[0].target.code.startswith("IGOUNO") or nested[0].target.country == "UNO"
    assert nested[0].modality == "reported" and nested[0].attributed_to.country == "USA"


def test_defence_ministry_nears_agreement_with_pentagon(seed_events):
    _, events = seed_events
    (e,) = find(events, "03", source="RUS", target="USA", trigger="reached")
    assert (e.source.sector, e.target.code) == ("MIL", "USAMIL")
    assert e.date.date == "2016-09-26" and e.date.source == "text"


def test_compound_actors_give_one_event_per_pair(seed_events):
    _, events = seed_events
    sign = find(events, trigger="sign")
    assert {(e.source.code, e.target.code) for e in sign} == {("USAMIL", "RUSMIL")}
    # "were preparing to sign": intended, coded as the intent to cooperate it expresses (CAMEO 03).
    assert sign[0].modality == "intended" and sign[0].root == "03" and sign[0].plover_event == "AGREE"


def test_caption_and_chrome_yield_nothing(seed_events):
    art, events = seed_events
    assert art.captions and all(e.sentence_start >= 0 for e in events)
    caption = art.captions[0]
    assert caption not in art.body
    assert not any("photo credit" in e.sentence_text for e in events)


def test_evidence_offsets_point_into_the_body(seed_events):
    art, events = seed_events
    for e in events:
        assert art.body[e.sentence_start : e.sentence_end] == e.sentence_text
        assert art.body[e.trigger_start : e.trigger_end] == e.trigger_text
        for a in (e.source, e.target):
            if a is not None:
                assert art.body[a.start : a.end] == a.text


def test_no_fallback_codes_and_valid_tables(seed_events):
    from eventwatch.events import codes

    _, events = seed_events
    for e in events:
        row = codes.lookup(e.cameo)
        assert (e.root, e.quad_class, e.goldstein) == (row.root, row.quad_class, row.goldstein)
        assert e.cameo not in ("010", "01", "020") or e.plover_event is None


SENTENCES = {
    "neg": ("Turkey did not attack the Kurdish fighters on Tuesday.", "negated"),
    "fut": ("Iran will send humanitarian aid to Lebanon next week.", "intended"),
    "hyp": ("If talks fail, Israel could strike Iranian nuclear sites.", "hypothetical"),
    "rep": ("Syrian state media said rebels attacked an army checkpoint near Homs.", "reported"),
    "ass": ("Egyptian police arrested dozens of protesters in Cairo on Friday.", "asserted"),
}


def test_modality():
    out = code_texts([(k, text, "2020-03-06") for k, (text, _m) in SENTENCES.items()])
    for key, (_text, modality) in SENTENCES.items():
        assert out[key], f"no event for {key!r}"
        assert out[key][0].modality == modality, (key, out[key][0].modality)


def test_declined_to_comment_and_bare_statements_are_no_events():
    out = code_texts([
        ("a", "The Russian foreign ministry declined to comment on the report.", None),
        ("b", "The French president said on Monday that the summit went well.", None),
        ("c", "The agreement was mentioned in the report.", None),
    ])
    assert out == {"a": [], "b": [], "c": []}


def test_no_event_without_a_resolvable_source():
    out = code_texts([("a", "Someone attacked the convoy overnight.", None)])
    assert out["a"] == []


def test_nested_accusation_structure():
    out = code_texts([("x", "The United States accused Russia of attacking a U.N. humanitarian convoy.", "2016-09-20")])
    events = out["x"]
    accuse = [e for e in events if e.plover_event == "ACCUSE"]
    assault = [e for e in events if e.plover_event == "ASSAULT"]
    assert accuse and assault
    assert (accuse[0].source.country, accuse[0].target.country) == ("USA", "RUS")
    assert assault[0].parent == accuse[0].id and assault[0].source.country == "RUS"
    assert assault[0].modality == "reported"


def test_long_and_odd_inputs_do_not_crash():
    long_sentence = "Troops attacked " + ", ".join(f"village {i}" for i in range(800)) + "."
    out = code_texts([
        ("long", long_sentence, None),
        ("empty", "   ", None),
        ("symbols", "!!! ??? ... ### 1234 5678", None),
        ("nonsense", "Xq zzv plorf grunt the the the of of.", None),
    ])
    assert set(out) == {"long", "empty", "symbols", "nonsense"}


def test_non_english_articles_are_skipped_not_coded():
    from eventwatch.model import Article

    (c,) = code_batch([Article(id="x" * 24, body="Le gouvernement français a condamné l'attaque.", lang="fr")])
    assert c.status == "skipped" and c.events == []


def _top(events):
    return [e for e in events if e.parent is None]


def test_violence_without_a_named_perpetrator():
    out = code_texts([
        ("passive", "Two Russian soldiers were wounded when their convoy was attacked near Idlib.", "2016-09-26"),
        ("means", "A roadside bombing near the town of Samarra on Sunday killed one U.S. soldier.", "2016-09-26"),
        ("nobody", "A car bomb exploded near the market.", "2016-09-26"),
    ])
    wounded = [e for e in out["passive"] if e.trigger_text == "wounded"]
    assert wounded and wounded[0].plover_event == "ASSAULT"
    assert (wounded[0].source.code, wounded[0].target.code) == ("SYRUAF", "RUSMIL")
    assert wounded[0].source.sector == "UAF" and "not named" in wounded[0].source.reason
    (killed,) = [e for e in out["means"] if e.trigger_text == "killed"]
    assert (killed.source.code, killed.target.code) == ("IRQUAF", "USAMIL")
    assert killed.source.text == "A roadside bombing"
    assert out["nobody"] == []  # no known actor hit: no event


def test_refusals_and_ultimatums_announced_for_the_future():
    out = code_texts([
        ("refuse", "Syria says it will not accept any more refugees.", "2003-03-01"),
        ("meet", "The U.S. said it would not meet the hostage-takers' demands.", "2004-06-01"),
        ("unless", "Russia said it will send more troops to Syria unless the United States stops its airstrikes.",
         "2016-09-26"),
    ])
    (refusal,) = _top(out["refuse"])
    assert refusal.plover_event == "REJECT" and refusal.modality == "asserted"
    (no_deal,) = _top(out["meet"])
    assert no_deal.cameo == "124" and no_deal.modality == "asserted"
    threat = [e for e in out["unless"] if e.trigger_text == "send"]
    assert threat and threat[0].cameo == "139" and threat[0].plover_event == "THREATEN"


def test_demand_frames_bind_the_pronoun_to_the_one_told():
    out = code_texts([
        ("told", "Russia told the United States that it must stop the airstrikes.", "2016-09-26"),
        ("reminder", "The French president issued a stern reminder to Iraq that it must cooperate fully.", "2002-10-01"),
    ])
    (demand,) = [e for e in out["told"] if e.trigger_text == "must"]
    assert (demand.source.country, demand.target.country, demand.cameo) == ("RUS", "USA", "100")
    content = [e for e in out["told"] if e.parent == demand.id]
    assert content and content[0].source.country == "USA"
    (reminder,) = [e for e in out["reminder"] if e.trigger_text == "must"]
    assert (reminder.source.country, reminder.target.country) == ("FRA", "IRQ")


def test_adjective_control_and_own_targets():
    out = code_texts([
        ("prepared", "Iraq's interim government announced that it is prepared to impose martial law.", "2004-11-01"),
        ("own", "Greece will impose restrictions on its labour market.", "2004-01-01"),
    ])
    (threat,) = _top(out["prepared"])
    assert threat.source.code == "IRQGOV" and threat.plover_event == "THREATEN"
    (own,) = _top(out["own"])
    assert own.source.code == "GRC" and own.target is None


def test_target_of_last_resort_is_the_nearest_actor_in_the_verb_phrase():
    out = code_texts([
        ("aid", "Britain has promised to continue military aid to war-torn Angola.", "1990-01-01"),
        ("ties", "The parliament of Georgia threatened on Monday to break relations with Ukraine.", "1995-01-01"),
        ("place", "Japan agreed to set up an energy research centre in Seoul.", "1995-01-01"),
        ("named", "The Ohio attorney general is investigating Acme, according to two people in France.",
         "2019-11-20"),
    ])
    (aid,) = _top(out["aid"])
    assert (aid.source.country, aid.target.country) == ("GBR", "AGO")
    (ties,) = _top(out["ties"])
    assert (ties.source.country, ties.target.country) == ("GEO", "UKR") and ties.plover_event == "THREATEN"
    # a place after "in" is where, not whom
    assert all(e.target is None or e.target.country != "KOR" for e in out["place"])
    # a named target that is not an actor is kept, not replaced by an actor further away
    assert all(e.target is None or e.target.country != "FRA" for e in out["named"])
