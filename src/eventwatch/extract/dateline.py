"""Datelines at the start of an article: ``Moscow – ``, ``BEIRUT (Reuters) - ``,
``WASHINGTON, Sept 26 (AP) — ``, ``LONDON: ``."""

from __future__ import annotations

import re

_WORD = r"(?:[A-Z][\w'’.]*|al|el|de|la|du|of|upon)"
_PLACE = rf"{_WORD}(?:[ -]{_WORD}){{0,3}}"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    rf"(?:,\s*(?P<region>{_PLACE}))??"
    rf"(?:,?\s*(?P<date>{_DATE}))?"
    rf"(?:\s*\((?P<agency>[A-Za-z][\w .&/-]{{0,30}})\))?"
    rf"(?P<sep>\s*[–—]\s*|\s+-{{1,2}}\s+|\s*-{{2}}\s*|:\s+(?=[A-Z]))"
)
_NOT_PLACE = {
    "The", "A", "An", "But", "And", "However", "Meanwhile", "In", "On", "At", "He", "She",
    "It", "They", "We", "I", "This", "That", "Update", "Updated", "Note", "Editor", "Photo",
    "Video", "Watch", "Read", "Related", "Breaking", "Exclusive", "Opinion", "Analysis", "Dear",
}


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Return ``(place, rest)``; ``place`` is None when the paragraph has no dateline."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    place = m.group("place")
    words = place.split()
    first = words[0].title()
    if (first in _NOT_PLACE and not (first == "The" and place.isupper())) or len(paragraph) - m.end() < 20:
        return None, paragraph
    if m.group("sep").strip() == ":" and not place.isupper():
        return None, paragraph
    # A dateline is a place name: mostly capitalised words, no sentence inside it.
    if sum(w[0].isupper() for w in words) < len(words) / 2:
        return None, paragraph
    if place.isupper():
        place = " ".join(_title_word(w, i == 0) for i, w in enumerate(words))
    return place, paragraph[m.end():].lstrip()


_PARTICLES = {"al", "el", "de", "la", "le", "du", "des", "au", "aux", "en", "sur", "of", "upon", "da", "do", "di"}


def _title_word(word: str, first: bool) -> str:
    """``PORT-AU-PRINCE`` → ``Port-au-Prince``, ``AL-MUKALLA`` → ``Al-Mukalla``, ``ST.`` → ``St.``."""
    segs = word.split("-")
    out = []
    for j, seg in enumerate(segs):
        low = seg.lower()
        if low in _PARTICLES and not (first and j == 0):
            out.append(low)
        else:
            out.append(low[:1].upper() + low[1:])
    return "-".join(out)
