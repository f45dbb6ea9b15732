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
from functools import lru_cache

from eventwatch.extract.dateline import split_dateline

_PIPE = re.compile(r"^(?P<left>.+?)\s+[|｜]\s+(?P<right>.+)$")
_ID_LINE = re.compile(
    r"^(?:(?:media|article|story|post|content|news|document|item)[ _-]?)?"
    r"(?:id|no\.?|number|ref(?:erence)?)\s*[:#]\s*(?P<id>[\w.-]{2,40})$",
    re.I,
)
_CREDIT = re.compile(
    r"\((?:[^()]*?\b)?(?:photo|image|picture|pic|video|footage)\s*(?:credit|by|courtesy)?\s*:[^()]*\)\s*\.?$"
    r"|^(?:photo|image|picture|file photo|caption)\s*(?:credit)?\s*:"
    r"|\((?:AFP|AP|Reuters|EPA|Getty Images|Anadolu)(?:\s*(?:photo|/[^)]*))?\)\s*$",
    re.I,
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)
_NAV = {
    "select page", "skip to content", "skip to main content", "menu", "main menu", "home",
    "search", "share", "share this", "share this article", "tweet", "print", "email",
    "subscribe", "sign in", "log in", "login", "register", "advertisement", "related",
    "related articles", "related news", "read more", "more", "follow us", "comments",
    "leave a comment", "back to top", "next", "previous", "newsletter", "close",
    "most read", "most popular", "trending", "latest news", "top stories", "loading",
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
    captions: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


@lru_cache(maxsize=32)
def stoplist(lang: str) -> frozenset[str]:
    import justext
    import pycountry

    names = {"en": "English", "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk"}
    name = names.get(lang)
    if name is None:
        rec = pycountry.languages.get(alpha_2=lang) if len(lang) == 2 else None
        name = rec.name.replace(" ", "_") if rec else None
    try:
        return frozenset(justext.get_stoplist(name)) if name else frozenset()
    except ValueError:
        return frozenset()


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


def _reclassify(classes: list[str]) -> list[str]:
    """jusText's context-sensitive pass: short and near-good lines follow their neighbours."""
    final = list(classes)

    def neighbour(i: int, step: int, ignore_near: bool) -> str:
        j = i + step
        while 0 <= j < len(classes):
            c = classes[j]
            if c in ("good", "bad"):
                return c
            if c == "near-good" and not ignore_near:
                return c
            j += step
        return "bad"  # the edges of the page count as boilerplate

    for i, c in enumerate(classes):
        if c == "short":
            prev, nxt = neighbour(i, -1, True), neighbour(i, 1, True)
            if prev == nxt == "good":
                final[i] = "good"
            elif prev == nxt == "bad":
                final[i] = "bad"
            else:  # one good, one bad: good only if the bad side is near-good
                p2, n2 = neighbour(i, -1, False), neighbour(i, 1, False)
                final[i] = "good" if "near-good" in (p2, n2) else "bad"
    for i, c in enumerate(classes):
        if c == "near-good":
            prev, nxt = neighbour(i, -1, True), neighbour(i, 1, True)
            final[i] = "bad" if prev == nxt == "bad" else "good"
    return final


def parse(paras: list[str], lang: str = "en") -> Page:
    """Split a scraped page (already split into paragraphs) into its parts."""
    page = Page()
    stops = stoplist(lang)
    pipes: list[tuple[str, str]] = []
    candidates: list[int] = []  # indexes of lines that may be article text
    for i, p in enumerate(paras):
        m = _PIPE.match(p)
        if m and len(p) < 250:
            parts = [x.strip() for x in re.split(r"\s+[|｜]\s+", p)]
            pipes.append((parts[0], parts[-1]))
            continue
        m = _ID_LINE.match(p)
        if m:
            page.source_id = page.source_id or m.group("id")
            continue
        if _CREDIT.search(p) and len(p) < 400:
            page.captions.append(p)
            continue
        if p.strip(" .:»>|").lower() in _NAV:
            continue
        candidates.append(i)

    classes = _reclassify([_classify(paras[i], stops) for i in candidates])
    body = [paras[i] for i, c in zip(candidates, classes) if c == "good"]
    page.title = _pick_title(pipes, body, [paras[i] for i in candidates], stops)
    if page.title:
        body = [p for p in body if p != page.title]
    page.outlet = _outlet([right for _left, right in pipes], page.title)
    if body:
        place, first = split_dateline(body[0])
        if place:
            page.dateline, body[0] = place, first
    page.body = body
    return page


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
    if not common:  # one site string, or no shared prefix: take the first, minus banners
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
