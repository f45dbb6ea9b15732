"""Scraped text pages: the reference page exactly, and the general rules on other templates."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from eventwatch.extract import Defaults, extract
from eventwatch.extract.dateline import split_dateline
from eventwatch.extract.text import paragraphs, wrap_width
from eventwatch.extract.textpage import _reclassify, parse
from eventwatch.model import Article, RawDoc

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "text"

SEED_TITLE = "Moscow Resorts to Iran’s Military Choice following Clash with Washington"
SEED_CAPTION = (
    "Russian President Vladimir Putin, right, and Foreign Minister Sergey Lavrov "
    "(photo credit: Sergei Karpukhin/AP)"
)


def page(text: str | bytes, origin: str = "page.txt") -> Article:
    data = text.encode("utf-8") if isinstance(text, str) else text
    art = extract(RawDoc(origin=origin, kind="textpage", data=data))
    assert isinstance(art, Article), art
    return art


def seed_paragraphs(seed_path: Path) -> list[str]:
    """The fourteen article paragraphs as they stand in the file, dateline removed."""
    lines = [x.strip() for x in seed_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    start = next(i for i, x in enumerate(lines) if x.startswith("Moscow – Moscow insisted"))
    paras = lines[start:]
    paras[0] = paras[0].removeprefix("Moscow – ")
    return paras


# --- the reference page ------------------------------------------------------------------
def test_seed_page_exact(seed_path):
    art = page(seed_path.read_bytes(), str(seed_path))
    assert art.title == SEED_TITLE
    assert art.outlet == "Asharq Al-Awsat"
    assert art.source_id == "55359139"
    assert art.dateline == "Moscow"
    assert art.captions == [SEED_CAPTION]
    assert art.lang == "en"
    assert art.published is None  # the page carries no date
    expected = seed_paragraphs(seed_path)
    assert len(expected) == 14
    assert art.body.split("\n\n") == expected
    assert art.body == "\n\n".join(expected)
    assert art.body.startswith("Moscow insisted on blaming the United States")
    assert art.body.endswith("committed to the agreements reached during the past months.")


def test_seed_page_chrome_absent(seed_path):
    art = page(seed_path.read_bytes())
    for chrome in ("Middle-east Arab News Opinion", "Asharq Al-awsat", "ASHARQ AL-AWSAT", "English Archive",
                   "Select Page", "Media ID", "55359139", "photo credit", "Karpukhin", SEED_TITLE, "Moscow – "):
        assert chrome not in art.body, chrome
    assert SEED_CAPTION not in art.body


def test_seed_page_date_from_defaults(seed_path):
    art = extract(RawDoc(origin="seed", kind="textpage", data=seed_path.read_bytes()),
                  Defaults(published="2016-09-26", outlet="Somebody Else"))
    assert art.published == "2016-09-26"
    assert art.outlet == "Asharq Al-Awsat"  # the page's own outlet wins over the default


def test_reference_article_not_in_source_tree(seed_path):
    """The rules are general: no string of the reference page is written into the package."""
    needles = ["Moscow Resorts to Iran", "55359139", "Karpukhin", "Military Choice following", "transitory cooperation"]
    for path in (ROOT / "src").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".sql", ".txt", ".json", ".yaml", ".tsv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in needles:
                assert needle not in text, f"{needle!r} appears in {path}"


# --- other templates ---------------------------------------------------------------------
AGENCY_PAGE = """\
Skip to content
Home | World | Politics | Business | Sport
Ministers Agree Grain Corridor Extension After Talks in Ankara | The Example Post
Article ID: EP-2023-0719
Published: 19 July 2023
By Dana Whitfield

Ministers shake hands after the signing ceremony in Ankara. (Photo: Example Post)

ANKARA (Example Wire) - Turkey, Ukraine and Russia agreed on Wednesday to extend a corridor for grain shipments across the Black Sea for another four months, the Turkish foreign ministry said.

The extension was signed after two days of talks in Ankara between deputy ministers of the three countries and officials of the United Nations, who have monitored the corridor since last year.

“This agreement shows that dialogue is still possible even in the hardest of times,” Turkey's deputy foreign minister told reporters after the ceremony. “We will keep our doors open,” he added.

A Russian official said Moscow would review the deal again in November and repeated a demand that restrictions on its own agricultural exports be lifted.

Related stories
Grain prices fall after corridor news
Ports reopen after storm
Share this article
© 2023 The Example Post. All rights reserved.
"""


def test_agency_dateline_template():
    art = page(AGENCY_PAGE)
    assert art.title == "Ministers Agree Grain Corridor Extension After Talks in Ankara"
    assert art.outlet == "The Example Post"
    assert art.source_id == "EP-2023-0719"
    assert art.published == "2023-07-19"
    assert art.author == "Dana Whitfield"
    assert art.dateline == "Ankara"
    assert art.captions == ["Ministers shake hands after the signing ceremony in Ankara. (Photo: Example Post)"]
    paras = art.body.split("\n\n")
    assert len(paras) == 4
    assert paras[0].startswith("Turkey, Ukraine and Russia agreed on Wednesday")
    assert paras[-1].startswith("A Russian official said Moscow")
    for chrome in ("Skip to content", "Politics", "Related stories", "Grain prices fall", "Ports reopen",
                   "Share this", "©", "Article ID", "Published", "Dana Whitfield", "(Example Wire)"):
        assert chrome not in art.body, chrome


EN_DASH_PAGE = """\
News from the Lake Region | Lakeside Chronicle
Menu
Search

Flood Talks Between Neighbours End Without Deal | Lakeside Chronicle
Item no.: 88213

Geneva – Talks between the two neighbouring governments on sharing the costs of flood defences along the river ended on Friday without an agreement, officials from both delegations said.

The delegations will meet again next month in the capital, a spokeswoman for the host government said, adding that experts would keep working on a draft in the meantime.

Residents of villages along the river, which flooded twice last year, have demanded that both governments act before the spring thaw.
"""


def test_en_dash_dateline_and_pipe_titles():
    art = page(EN_DASH_PAGE)
    assert art.title == "Flood Talks Between Neighbours End Without Deal"
    assert art.outlet == "Lakeside Chronicle"
    assert art.source_id == "88213"
    assert art.dateline == "Geneva"
    assert art.body.startswith("Talks between the two neighbouring governments")
    assert len(art.body.split("\n\n")) == 3
    assert "Menu" not in art.body and "News from the Lake Region" not in art.body


def test_hard_wrapped_page_is_reflowed():
    paras = [x for x in AGENCY_PAGE.split("\n\n") if x.startswith(("ANKARA", "The extension", "“This", "A Russian"))]
    wrapped = "\n\n".join(textwrap.fill(p, width=72) for p in paras)
    text = "Grain Corridor Extended | The Example Post\n\n" + wrapped + "\n"
    assert max(len(x) for x in wrapped.splitlines()) <= 72
    art = page(text)
    assert art.dateline == "Ankara"
    body = art.body.split("\n\n")
    assert len(body) == 4
    assert body[0] == paras[0].removeprefix("ANKARA (Example Wire) - ")
    assert body[1:] == paras[1:]


def test_two_line_wrapped_caption_is_one_caption():
    art = page((SAMPLES / "sahel-observer-0877.txt").read_bytes())
    assert art.captions == [
        "Riot police fire tear gas at protesters near the Independence Monument in Bamako on Saturday. (AFP)"
    ]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("levant-ledger-4471.txt", dict(
            title="Ceasefire in Southern Lebanon Holds as Monitors Deploy Along Border", outlet="The Levant Ledger",
            source_id="LL-20250318-4471", published="2025-03-18", dateline="Beirut", n=8,
            first="A ceasefire along Lebanon's southern border held for a third day on Tuesday")),
        ("alpine-dispatch-20250603-118.txt", dict(
            title="Black Sea Shipping Talks Resume in Geneva With Turkish Mediation", outlet="Alpine Dispatch",
            source_id="20250603-118", published="2025-06-03", dateline="Geneva", n=7, author="Marta Lindqvist",
            first="Russian and Ukrainian negotiators resumed indirect talks")),
        ("sahel-observer-0877.txt", dict(
            title="Mali Authorities Arrest Opposition Leaders After Bamako Protests", outlet="Sahel Observer",
            source_id="SO-2025-0877", published="2025-10-06", dateline="Bamako", n=6,
            first="Security forces in Mali arrested at least twelve opposition politicians")),
    ],
)
def test_sample_pages(name, expected):
    art = page((SAMPLES / name).read_bytes(), name)
    for key in ("title", "outlet", "source_id", "published", "dateline", "author"):
        if key in expected:
            assert getattr(art, key) == expected[key], key
    paras = art.body.split("\n\n")
    assert len(paras) == expected["n"]
    assert paras[0].startswith(expected["first"])
    assert len(art.captions) == 1
    for chrome in ("Related", "Share this", "Copyright", "©", "(c) 2025", "Back to top", "Skip to", "Select Page"):
        assert chrome not in art.body


def test_page_without_pipe_title_uses_headline_line():
    text = ("Opposition Calls for New Elections\n\n"
            "The main opposition party called on Thursday for early parliamentary elections, saying the "
            "government had lost its majority after three ministers resigned over the budget dispute.\n\n"
            "The prime minister's office said the coalition would survive and that a vote of confidence would "
            "be held next week, according to a statement released in the evening.\n")
    art = page(text)
    assert art.title == "Opposition Calls for New Elections"
    assert art.body.startswith("The main opposition party")


def test_non_english_page_uses_length_rules():
    text = ("Accueil | Le Journal Exemple\n\n"
            "Le gouvernement et les syndicats ont signé mardi un accord sur les salaires après trois semaines de "
            "grève dans les transports publics, a annoncé le ministère du Travail dans un communiqué.\n\n"
            "Les syndicats ont appelé à la reprise du travail dès mercredi matin, tout en promettant de rester "
            "vigilants sur l'application de l'accord dans les prochains mois.\n")
    art = page(text)
    assert art.lang == "fr"
    assert art.body.startswith("Le gouvernement et les syndicats")


# --- the rules, one by one ------------------------------------------------------------------
def test_jusText_short_block_rule():
    # A short line between the page edge (bad) and good text stays bad …
    assert _reclassify(["short", "good"]) == ["bad", "good"]
    # … between two good paragraphs becomes good …
    assert _reclassify(["good", "short", "good"]) == ["good", "good", "good"]
    # … and between good and bad is good only when the bad side has a near-good line closer.
    assert _reclassify(["good", "short", "bad"]) == ["good", "bad", "bad"]
    assert _reclassify(["good", "short", "near-good", "bad"])[1] == "good"
    # near-good between two bad blocks is bad, next to good it is good
    assert _reclassify(["bad", "near-good", "bad"]) == ["bad", "bad", "bad"]
    assert _reclassify(["good", "near-good", "bad"]) == ["good", "good", "bad"]


def test_nav_pipe_line_is_not_a_title():
    p = parse(["Home | World | Politics | Sport", "A Real Headline About the Summit | Daily Example",
               "Leaders of the two countries met on Monday in the capital and agreed to reopen their embassies, "
               "the foreign ministry said in a statement after the meeting ended late in the evening, and they "
               "promised to meet again at the summit next spring."])
    assert p.title == "A Real Headline About the Summit"
    assert p.outlet == "Daily Example"


@pytest.mark.parametrize(
    "text, place, rest",
    [
        ("BEIRUT (Reuters) - Lebanon's army deployed along the border on Monday.", "Beirut",
         "Lebanon's army deployed along the border on Monday."),
        ("Geneva – Talks resumed on Monday between the two delegations.", "Geneva",
         "Talks resumed on Monday between the two delegations."),
        ("WASHINGTON, Sept 26 (AP) — The Senate voted on Monday to pass the bill.", "Washington",
         "The Senate voted on Monday to pass the bill."),
        ("BAMAKO, Oct 6 (Sahel Observer) - Security forces arrested twelve people.", "Bamako",
         "Security forces arrested twelve people."),
        ("PORT-AU-PRINCE (Meridian Wire) - Armed gangs attacked the town overnight.", "Port-au-Prince",
         "Armed gangs attacked the town overnight."),
        ("THE HAGUE (Reuters) - The court said on Monday it would rule next month.", "The Hague",
         "The court said on Monday it would rule next month."),
        ("GOMA, Democratic Republic of Congo – A convoy of 40 trucks reached the city.", "Goma",
         "A convoy of 40 trucks reached the city."),
        ("LONDON: The government announced new measures on Tuesday evening.", "London",
         "The government announced new measures on Tuesday evening."),
    ],
)
def test_datelines(text, place, rest):
    assert split_dateline(text) == (place, rest)


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire – brokered last week – held on Monday across the region.",
        "DEAR ABBY: My husband booked business class for himself and economy for me.",
        "However – and this matters – the talks did not resume on Monday.",
        "Note: this article was updated on Tuesday to add a statement from the ministry.",
        "Moscow – short",
    ],
)
def test_not_datelines(text):
    assert split_dateline(text) == (None, text)


def test_paragraph_splitting():
    assert paragraphs("One line.\nAnother line.\n\nThird.") == ["One line.", "Another line.", "Third."]
    assert paragraphs("Line one.\r\nLine two.\rLine three.") == ["Line one.", "Line two.", "Line three."]
    assert paragraphs("  spaced\u00a0 out\t text \u200b ") == ["spaced out text"]
    prose = " ".join(["The delegation said the talks would continue next week in the capital."] * 8)
    wrapped = textwrap.fill(prose, 70)
    assert wrap_width(wrapped.splitlines()) is not None
    assert paragraphs(wrapped) == [prose]
    # one paragraph per line (not wrapped): long lines of different lengths stay separate
    lines = [prose[: 150 + 20 * i] + "." for i in range(4)]
    assert wrap_width(lines) is None
    assert paragraphs("\n".join(lines)) == lines


def test_identity_ignores_whitespace_and_case():
    from eventwatch.extract import article_id

    assert article_id("Talks resumed  on Monday.\n\nThey ended.") == article_id("talks resumed on monday. they ended.")
    assert article_id("Talks resumed on Monday.") != article_id("Talks resumed on Tuesday.")
    assert re.fullmatch(r"[0-9a-f]{24}", article_id("x"))


def test_outlet_from_pipe_lines():
    from eventwatch.extract.textpage import _outlet

    assert _outlet(["The Example Post Online Edition"], None) == "The Example Post"
    assert _outlet(["Daily Example News Archive 2005 -2017"], None) == "Daily Example News"
    assert _outlet(["Example Times", "Example Times"], None) == "Example Times"
    assert _outlet(["Lakeside Chronicle", "LAKESIDE CHRONICLE English Archive"], None) == "Lakeside Chronicle"
    assert _outlet([], None) is None


LANG_SNIPPETS = {
    "en": "The government and the unions signed an agreement on wages on Tuesday after three weeks of strikes "
          "in public transport, the labour ministry said in a statement.",
    "fr": "Le gouvernement et les syndicats ont signé mardi un accord sur les salaires après trois semaines de "
          "grève dans les transports publics, a annoncé le ministère du Travail dans un communiqué.",
    "de": "Die Regierung und die Gewerkschaften haben am Dienstag eine Einigung über die Löhne erzielt, nachdem "
          "drei Wochen lang im öffentlichen Nahverkehr gestreikt worden war.",
    "es": "El gobierno y la oposición firmaron el martes un acuerdo para celebrar elecciones el próximo año, "
          "según informó el ministerio del Interior en un comunicado.",
    "nl": "De regering en de vakbonden hebben dinsdag een akkoord bereikt over de lonen na drie weken staking in "
          "het openbaar vervoer, meldde het ministerie in een verklaring.",
    "pt": "O governo e os sindicatos assinaram na terça-feira um acordo sobre os salários, após três semanas de "
          "greve nos transportes públicos, anunciou o ministério.",
}


@pytest.mark.parametrize("lang", sorted(LANG_SNIPPETS))
def test_language_detection(lang):
    from eventwatch.extract.text import detect_language

    assert detect_language(LANG_SNIPPETS[lang]) == lang
    assert detect_language("Too short") == "und"


def test_english_shortcut_agrees_with_the_classifier(shared_dir):
    """The function-word shortcut never answers 'en' where py3langid says otherwise."""
    import json

    import py3langid

    from eventwatch.extract.text import detect_language

    gt = json.loads((shared_dir / "data" / "extraction" / "scrapinghub-aeb" / "ground-truth.json").read_text())
    texts = [v["articleBody"] for v in gt.values() if len(v["articleBody"]) > 20]
    texts += list(LANG_SNIPPETS.values())
    for text in texts:
        assert detect_language(text) == py3langid.classify(text[:1000])[0]
