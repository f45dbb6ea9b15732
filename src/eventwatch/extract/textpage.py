"""Scraped plain-text pages: separate the site chrome from the article.

A page is a list of paragraphs (one per line). General rules, no site templates:

* ``Title | Site`` lines give title candidates and the outlet's name;
* id lines (``Media ID: 123``) give the outlet's own id; photo-credit lines are captions;
* every other line is classified jusText-style by length and stop-word density,
  then re-classified by its neighbours; the body is the good lines;
* a dateline (``Moscow – ``, ``BEIRUT (Reuters) - ``) is split off the first body line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eventwatch.extract.dateline import split_dateline
from eventwatch.extract.text import stoplist

_PIPE = re.compile(r"\s+[|｜]\s+")
_ID_LINE = re.compile(
    # ``Media ID: 12345678``, ``Article ID: LL-2025-4471``, ``Story No. 118``, ``Ref: SO-0877``
    r"^(?:(?:media|article|story|post|content|news|document|item|page)[ _-]?"
    r"(?:id|no\.?|number|ref(?:erence)?)\s*[:#.]?|(?:id|no\.?|ref(?:erence)?)\s*[:#])"
    r"\s*(?P<id>[\w./-]*\d[\w./-]*)$",
    re.I,
)
_CREDIT = re.compile(
    r"\((?:[^()]*?\b)?(?:photo|image|picture|pic|video|footage)\s*(?:credit|by|courtesy)?\s*:[^()]*\)\s*\.?$"
    r"|^(?:photo|image|picture|file photo|caption)\s*(?:credit)?\s*:"
    r"|\b(?:photo|image|picture|pictured|photograph)\s*(?:credit|by)?\s*:\s*[^.:]{2,60}$"
    r"|\((?:AFP|AP|Reuters|EPA|Getty Images|Anadolu|Xinhua)(?:\s*(?:photo|/[^)]*))?\)\s*$",
    re.I,
)
_DATE_LINE = re.compile(
    r"^(?:(?P<kind>published|posted|first published|updated|last updated|date|dated)\b"
    r"(?:\s+on)?\s*[:\-–]?\s*)(?P<date>[\w ,./:+-]{6,50})$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by|By|BY)\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|al|el|bin)){0,4})"
    r"(?:\s*(?:,|\||-|–|and)\s*.*)?$",
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)
_NAV = {
    "select page", "skip to content", "skip to main content", "menu", "main menu", "home",
    "search", "share", "share this", "share this article", "share this story", "tweet", "print",
    "email", "subscribe", "sign in", "log in", "login", "register", "advertisement", "related",
    "related articles", "related stories", "related news", "read more", "more", "follow us",
    "comments", "leave a comment", "back to top", "next", "previous", "newsletter", "close",
    "most read", "most popular", "trending", "latest news", "top stories", "loading",
    "front page", "you may also like", "recommended", "more stories", "sponsored",
}
# After one of these headings, short lines are links to other stories, not the article.
_LIST_HEADINGS = {
    "related", "related articles", "related stories", "related news", "read more", "more stories",
    "most read", "most popular", "trending", "latest news", "top stories", "you may also like",
    "recommended",
}
_TRAILING_SITE = re.compile(
    r"\s+(?:english\s+)?(?:archive|edition|online|website|news\s*site)\b.*$"
    r"|\s+\d{4}\s*-\s*\d{4}$",
    re.I,
)

# jusText's thresholds (characters, stop-word density).
LENGTH_LOW, LENGTH_HIGH = 70, 200
STOP_LOW, STOP_HIGH = 0.30, 0.32


@dataclass
class Page:
    title: str | None = None
    outlet: str | None = None
    source_id: str | None = None
    dateline: str | None = None
    published: str | None = None  # as written on the page; normalised by the caller
    published_is_update: bool = False
    author: str | None = None
    captions: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


def _stop_density(text: str, stops: frozenset[str]) -> float:
    words = re.findall(r"\w+", text.lower())
    if not words:
        return 0.0
    return sum(w in stops for w in words) / len(words)


def _classify(text: str, stops: frozenset[str]) -> str:
    """jusText's context-free class: good, near-good, short or bad."""
    if _COPYRIGHT.search(text) and len(text) < 300:
        return "bad"
    if not stops:  # no stop list for this language: length alone
        return "good" if len(text) >= LENGTH_HIGH else "near-good" if len(text) >= LENGTH_LOW else "short"
    density = _stop_density(text, stops)
    if len(text) < LENGTH_LOW:
        return "short"
    if density >= STOP_HIGH:
        return "good" if len(text) > LENGTH_HIGH else "near-good"
    return "near-good" if density >= STOP_LOW else "bad"


def _neighbour(classes: list[str], i: int, step: int, ignore_near: bool) -> str:
    j = i + step
    while 0 <= j < len(classes):
        c = classes[j]
        if c in ("good", "bad") or (c == "near-good" and not ignore_near):
            return c
        j += step
    return "bad"  # the edges of the page count as boilerplate


def _reclassify(classes: list[str]) -> list[str]:
    """jusText's context-sensitive pass: short and near-good lines follow their neighbours.

    A short line between good and bad text is good only when the bad side has a
    near-good line closer than the bad one.
    """
    cls = list(classes)
    new = {}
    for i, c in enumerate(cls):
        if c != "short":
            continue
        prev, nxt = _neighbour(cls, i, -1, True), _neighbour(cls, i, 1, True)
        if prev == nxt:
            new[i] = prev
        elif (prev == "bad" and _neighbour(cls, i, -1, False) == "near-good") or (
            nxt == "bad" and _neighbour(cls, i, 1, False) == "near-good"
        ):
            new[i] = "good"
        else:
            new[i] = "bad"
    for i, c in new.items():
        cls[i] = c
    for i, c in enumerate(cls):
        if c == "near-good":
            prev, nxt = _neighbour(cls, i, -1, True), _neighbour(cls, i, 1, True)
            cls[i] = "bad" if prev == nxt == "bad" else "good"
    return cls


def _key(line: str) -> str:
    return line.strip(" .:»>|•·-").lower()


def parse(paras: list[str], lang: str = "en") -> Page:
    """Split a scraped page (already split into paragraphs) into its parts.

    Lines recognised as chrome (``Title | Site``, ids, credits, bylines, date lines,
    navigation) are taken out of the text but stay in the sequence as ``bad``, so the
    context-sensitive pass sees where the page's chrome is.
    """
    page = Page()
    stops = stoplist(lang)
    pipes: list[tuple[str, str]] = []
    classes: list[str] = []
    in_list = False  # inside a "Related articles" style list of links
    for p in paras:
        kind = _chrome(p, page, pipes)
        if kind is None and in_list and len(p) < LENGTH_LOW * 2 and not p.endswith((".", "!", "?", "”", '"')):
            kind = "links"
        if kind is not None:
            in_list = kind == "list-heading" or (in_list and kind == "links")
            classes.append("chrome")
            continue
        in_list = False
        classes.append(_classify(p, stops))
    _promote_short_paragraphs(paras, classes, stops)

    final = _reclassify(["bad" if c == "chrome" else c for c in classes])
    body = [p for p, c, f in zip(paras, classes, final) if f == "good" and c != "chrome"]
    candidates = [p for p, c in zip(paras, classes) if c != "chrome"]
    page.title = _pick_title(pipes, body, candidates, stops)
    if page.title:
        body = [p for p in body if p != page.title]
    page.outlet = _outlet([right for _left, right in pipes], page.title)
    if body:
        place, first = split_dateline(body[0])
        if place:
            page.dateline, body[0] = place, first
    page.body = body
    return page


def _promote_short_paragraphs(paras: list[str], classes: list[str], stops: frozenset[str]) -> None:
    """A page whose paragraphs are all shorter than jusText's 200 characters has no good
    block to anchor the context pass, and would lose its whole text. There, lines that
    are near-good only for their length (stop-word density high enough for good) count
    as good, provided there are at least two of them."""
    if "good" in classes or not stops:
        return
    cands = [i for i, c in enumerate(classes)
             if c == "near-good" and _stop_density(paras[i], stops) >= STOP_HIGH]
    if len(cands) >= 2:
        for i in cands:
            classes[i] = "good"


def head_chrome(line: str) -> bool:
    """True for a byline, date line or id line (as found above an article's first paragraph)."""
    return _chrome(line, Page(), []) in ("byline", "date", "id")


def _chrome(p: str, page: Page, pipes: list[tuple[str, str]]) -> str | None:
    """What kind of chrome line ``p`` is (recording what it tells about the page), or None."""
    key = _key(p)
    if key in _LIST_HEADINGS:
        return "list-heading"
    if key in _NAV:
        return "nav"
    parts = [x.strip() for x in _PIPE.split(p)]
    if len(parts) >= 2 and len(p) < 250:
        if len(parts) >= 3 and sum(len(x.split()) <= 3 for x in parts) >= len(parts) - 1:
            return "nav"  # Home | World | Politics
        title = max(parts[:-1], key=len)
        pipes.append((title, parts[-1]))
        return "title"
    if len(p) <= 80:
        m = _ID_LINE.match(p)
        if m:
            page.source_id = page.source_id or m.group("id")
            return "id"
        m = _DATE_LINE.match(p)
        if m and any(ch.isdigit() for ch in m.group("date")):
            updated = m.group("kind").lower().endswith("updated")
            if page.published is None or (not updated and page.published_is_update):
                page.published = m.group("date").strip()
                page.published_is_update = updated
            return "date"
        m = _BYLINE.match(p)
        if m and (len(m.group("name").split()) >= 2 or m.end("name") == len(p)):
            page.author = page.author or m.group("name")
            return "byline"
    if _CREDIT.search(p) and len(p) < 400:
        page.captions.append(p)
        return "caption"
    return None


def _content_words(text: str, stops: frozenset[str]) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in stops and len(w) > 2}


def _pick_title(pipes, body, lines, stops) -> str | None:
    """The pipe line whose left side shares most words with the body; else a headline line."""
    text_words = _content_words(" ".join(body), stops)
    best, best_score = None, 0.0
    for left, _right in pipes:
        words = _content_words(left, stops)
        if len(left.split()) < 3 or not words:
            continue
        score = len(words & text_words) / len(words)
        if score > best_score:
            best, best_score = left, score
    if best:
        return best
    for line in lines:  # first headline-like line before the body starts
        if body and line == body[0]:
            break
        n = len(line.split())
        if 3 <= n <= 25 and not line.endswith((".", ":", ",")) and line[:1].isupper():
            return line
    return None


def _outlet(sites: list[str], title: str | None) -> str | None:
    """The site name shared by the right-hand sides of ``Title | Site`` lines."""
    if not sites:
        return None
    words = [s.split() for s in sites]
    common: list[list[str]] = []
    for column in zip(*words):
        if len({w.lower() for w in column}) != 1:
            break
        common.append(list(column))
    if len(sites) == 1 or not common:  # one site string, or no shared prefix: the first, minus banners
        name = _TRAILING_SITE.sub("", sites[0]).strip()
        common = [[w] for w in name.split()]
    return " ".join(_case_word(variants) for variants in common) or None


def _case_word(variants: list[str]) -> str:
    """Pick a casing for a word seen in several variants (``Al-awsat``/``AL-AWSAT``)."""
    segments = [v.split("-") for v in variants]
    out = []
    for seg_variants in zip(*segments):
        capitalised = [s for s in seg_variants if s[:1].isupper() and s[1:].islower()]
        if capitalised:
            out.append(capitalised[0])
        elif all(s.isupper() for s in seg_variants) and len(seg_variants[0]) <= 4:
            out.append(seg_variants[0])  # an acronym: BBC, CNN
        elif all(not s.isupper() and not s.islower() for s in seg_variants):
            out.append(seg_variants[0])  # mixed case as written: McClatchy
        else:
            out.append(seg_variants[0].capitalize())
    return "-".join(out)
