"""HTML pages: main text with trafilatura (precision-oriented) and its metadata.

trafilatura finds the publication date with htmldate (original date, extensive
search), the title, author, canonical URL and site name. Figure captions are read
from ``<figcaption>`` before extraction so they stay out of the body.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from eventwatch.extract.text import clean_line
from eventwatch.extract.textpage import head_chrome

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass
class HtmlParts:
    body: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    captions: list[str] = field(default_factory=list)


class HtmlError(ValueError):
    """The HTML could not be parsed or held no article text."""


def extract_html(data: bytes, url: str | None = None) -> HtmlParts:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        raise HtmlError("malformed HTML: no document tree could be parsed")
    captions = []
    for fc in tree.iterfind(".//figcaption"):
        text = clean_line(" ".join(fc.itertext()))
        if text and text not in captions:
            captions.append(text)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=True,
        with_metadata=True,
        include_comments=False,
        include_tables=True,  # layout tables hold whole articles on older sites (AEB: F1 .957 → .964)
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise HtmlError("no article text found in the HTML")
    lines = [clean_line(x) for x in doc.text.split("\n")]
    caption_set = set(captions)
    body = [x for x in lines if x and x not in caption_set]
    outlet = clean_line(doc.sitename) if doc.sitename else None
    title = _title(clean_line(doc.title) if doc.title else None, outlet, tree, body)
    body = _strip_head(body, title)
    return HtmlParts(
        body=body,
        title=title,
        author=doc.author or None,
        published=doc.date or None,
        url=doc.url or url,
        outlet=outlet,
        captions=captions,
    )


_TITLE_SEP = re.compile(r"\s+(?:[|｜–—•·]|-|::)\s+")


def _title(title: str | None, outlet: str | None, tree, body: list[str]) -> str | None:
    """The article's headline: trafilatura's, unless that is only the site's name; then the
    part of ``<title>`` that is not the site name, preferring one the body opens with."""
    site = (outlet or "").casefold()
    if title and title.casefold() != site:
        return title
    raw = clean_line(tree.findtext(".//title") or "")
    parts = [x for x in _TITLE_SEP.split(raw) if x and x.casefold() != site]
    for line in body[:3]:
        if any(line.casefold() == x.casefold() for x in parts):
            return line
    return max(parts, key=len) if parts else title


def _strip_head(body: list[str], title: str | None) -> list[str]:
    """Drop a repeated headline, and byline/date/id lines, from the top of the body."""
    i = 0
    while i < min(len(body), 4):
        line = body[i]
        if (title and line.casefold() == title.casefold()) or head_chrome(line):
            i += 1
            continue
        break
    return body[i:]
