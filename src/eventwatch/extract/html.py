"""HTML pages: main text with trafilatura (precision-oriented) and its metadata.

trafilatura finds the publication date with htmldate (original date, extensive
search), the title, author, canonical URL and site name. Figure captions are read
from ``<figcaption>`` before extraction so they stay out of the body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from eventwatch.extract.text import clean_line

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
        include_tables=False,
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise HtmlError("no article text found in the HTML")
    lines = [clean_line(x) for x in doc.text.split("\n")]
    caption_set = set(captions)
    return HtmlParts(
        body=[x for x in lines if x and x not in caption_set],
        title=clean_line(doc.title) if doc.title else None,
        author=doc.author or None,
        published=doc.date or None,
        url=doc.url or url,
        outlet=doc.sitename or None,
        captions=captions,
    )
