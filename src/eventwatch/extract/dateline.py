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
    "Video", "Watch", "Read", "Related", "Breaking", "Exclusive", "Opinion", "Analysis",
}


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Return ``(place, rest)``; ``place`` is None when the paragraph has no dateline."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    place = m.group("place")
    words = place.split()
    if words[0] in _NOT_PLACE or len(paragraph) - m.end() < 20:
        return None, paragraph
    if m.group("sep").strip() == ":" and not place.isupper():
        return None, paragraph
    # A dateline is a place name: mostly capitalised words, no sentence inside it.
    if sum(w[0].isupper() for w in words) < len(words) / 2:
        return None, paragraph
    if place.isupper():
        place = " ".join(w.capitalize() if len(w) > 3 else w.title() for w in words)
    return place, paragraph[m.end():].lstrip()
