"""Quotes and speakers: quotation marks, cues, carried speakers, indirect speech, the coder hook,
and speaker attribution measured on the hand-built sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwatch.model import Article
from eventwatch.tracking.evaluate import evaluate_quotes
from eventwatch.tracking.quotes import find_quotes, quote_spans

DATA = Path(__file__).parent / "data" / "tracking"

# Invented text written for this test.
STORY = """Rebel commanders in northern Syria said on Tuesday that government forces had shelled two villages overnight.

“We will not leave our positions,” rebel spokesman Ahmad Saeed told reporters. “The villages are ours,” he added.

The U.N. envoy, Ingrid Halvorsen, called the fighting “a grave threat to the truce” and said the talks would resume in Geneva on Friday.

“Nobody should doubt our commitment to the agreement.

“But nobody should doubt our resolve either,” the Russian defence ministry said in a statement.

According to the monitoring group, at least nine civilians were killed in the shelling."""


def test_quote_spans_pair_marks_and_run_over_paragraphs():
    text = 'He said "one two three," and left.\n\n“A long quote\n\n“goes on,” she said. "open'
    spans = quote_spans(text)
    got = [text[s:e] for s, e, *_ in spans]
    assert got[0] == "one two three,"
    assert got[1].startswith("A long quote") and got[1].endswith("goes on,")
    assert spans[1][4] == 2  # two paragraphs
    assert got[2] == "open" and spans[2][3] is None  # left open at the end


@pytest.fixture(scope="module")
def story_quotes():
    return find_quotes(STORY, published="2016-09-20")


def _by_start(quotes, words):
    start = STORY.index(words)
    found = [q for q in quotes if q.start <= start < q.end]
    assert found, f"no quote at {words!r}"
    return found[0]


def test_direct_quote_with_cue_after_and_kb_speaker(story_quotes):
    q = _by_start(story_quotes, "We will not leave")
    assert q.kind == "direct" and q.cue == "told"
    assert "Ahmad Saeed" in q.speaker.text and q.speaker.code == "SYRREB"
    assert STORY[q.start : q.end] == q.text


def test_he_added_carries_the_speaker(story_quotes):
    q = _by_start(story_quotes, "The villages are ours")
    assert q.cue == "added" and "Ahmad Saeed" in q.speaker.text and "pronoun 'he'" in q.speaker.reason


def test_partial_quote_takes_the_subject_of_its_verb(story_quotes):
    q = _by_start(story_quotes, "a grave threat")
    assert q.kind == "partial" and "envoy" in q.speaker.text and q.speaker.name == "Ingrid Halvorsen"


def test_quote_over_two_paragraphs_is_one_quote(story_quotes):
    q = _by_start(story_quotes, "Nobody should doubt our commitment")
    assert q.paragraphs == 2 and q.end > STORY.index("our resolve")
    assert q.speaker.code == "RUSMIL"


def test_indirect_speech_and_according_to(story_quotes):
    q = _by_start(story_quotes, "government forces had shelled")
    assert q.kind == "indirect" and q.speaker.text.startswith("Rebel commanders")
    talks = _by_start(story_quotes, "the talks would resume")
    assert talks.kind == "indirect" and "envoy" in talks.speaker.text
    acc = _by_start(story_quotes, "at least nine civilians")
    assert acc.cue == "according to" and "monitoring group" in acc.speaker.text


def test_events_inside_a_multi_paragraph_quote_are_the_speakers_claims():
    from eventwatch.events.pipeline import code_batch

    body = ("Rebel groups in northern Syria said on Tuesday they would not withdraw from the Castello Road.\n\n"
            "“Government forces shelled our positions near the road overnight and killed four fighters.\n\n"
            "“We will defend the road,” rebel spokesman Ahmad Saeed said.")
    (coded,) = code_batch([Article(id="quote-test", body=body, published="2016-09-13", lang="en")])
    shelled = [e for e in coded.events if e.trigger_text == "shelled"]
    assert shelled and shelled[0].source.code == "SYRMIL"
    assert shelled[0].modality == "reported"
    assert shelled[0].attributed_to.code == "SYRREB" and "Ahmad Saeed" in shelled[0].attributed_to.text


def test_speaker_attribution_on_the_hand_built_sets():
    dev = evaluate_quotes(DATA / "quotes_gold.jsonl")
    assert dev["overall"]["gold"] >= 200
    assert dev["overall"]["precision"] >= 0.95 and dev["overall"]["recall"] >= 0.95, dev["overall"]
    held = evaluate_quotes(DATA / "quotes_heldout.jsonl")
    assert held["overall"]["precision"] >= 0.9 and held["overall"]["recall"] >= 0.9, held["overall"]
