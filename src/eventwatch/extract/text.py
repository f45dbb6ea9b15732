"""Bytes to clean text: encoding detection, normalisation, language."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A complete, valid multi-byte UTF-8 sequence (2 to 4 bytes).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def decode(data: bytes) -> str:
    """Decode document bytes; raise ``DecodeError`` with a clear reason when impossible."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {enc.upper()} after a byte-order mark: {exc.reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _UTF8_MULTI.search(data):
        raise DecodeError(
            f"mixed encodings: valid UTF-8 sequences alongside bytes that are not UTF-8 "
            f"(first bad byte 0x{data[bad]:02x} at offset {bad})"
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("could not determine the text encoding")
    text = str(best)
    # U+FFFD and C1 controls (U+0080–U+009F) do not occur in real text: bytes that decode
    # only to them are not valid in any encoding the detector could find.
    bad = text.count("\ufffd") + len(_C1.findall(text))
    if bad > max(3, len(text) // 1000):
        raise DecodeError(
            f"invalid encoding: {bad} bytes are not text in UTF-8 or in the closest match "
            f"({best.encoding}), e.g. 0x{data[_first_invalid(data)]:02x} at offset {_first_invalid(data)}"
        )
    return text


_C1 = re.compile("[\x80-\x9f]")


def _first_invalid(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def clean_line(line: str) -> str:
    line = _CTRL.sub("", line)
    return _SPACES.sub(" ", line).strip()


def paragraphs(text: str) -> list[str]:
    """Split text into clean paragraphs: one per line, except that hard-wrapped lines are joined.

    A document counts as hard-wrapped when most of its long lines end near one width
    (as a mail client or ``fold`` leaves them); a line then continues the one before it
    when the first word of the line would not have fitted on the line before. Blocks of
    similar-width lines that end mid-sentence are joined as well.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [[x for x in (clean_line(y) for y in block.split("\n")) if x] for block in re.split(r"\n\s*\n", text)]
    width = wrap_width([x for b in blocks for x in b])
    out: list[str] = []
    for lines in blocks:
        if not lines:
            continue
        if width:
            out.extend(_reflow(lines, width))
        elif len(lines) > 2 and _hard_wrapped(lines):
            out.append(" ".join(lines))
        else:
            out.extend(lines)
    return out


def wrap_width(lines: list[str]) -> int | None:
    """The width a document was hard-wrapped at, or None when it was not."""
    long = sorted(len(x) for x in lines if len(x) >= 30)
    if len(long) < 4:
        return None
    width = long[int(0.9 * (len(long) - 1))]
    if width > 120:
        return None
    near = sum(1 for n in long if n >= 0.75 * width)
    return width if near >= 0.6 * len(long) else None


def _reflow(lines: list[str], width: int) -> list[str]:
    out = [lines[0]]
    prev = lines[0]
    for line in lines[1:]:
        first = line.split(" ", 1)[0]
        # width is an estimate (a percentile): allow a few characters either way
        if len(prev) <= width + 3 and len(prev) + 1 + len(first) > width - 2:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        prev = line
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """A block whose lines are of similar width and mostly end mid-sentence was wrapped."""
    inner = lines[:-1]
    mid = sum(1 for x in inner if not x.endswith((".", "!", "?", ":", '"', "”", "’")))
    widths = [len(x) for x in inner]
    return mid >= 0.6 * len(inner) and min(widths) >= 0.6 * max(widths) and max(widths) <= 120


def join_paragraphs(paras: list[str]) -> str:
    return "\n\n".join(p for p in paras if p)


def normalise_body(text: str) -> str:
    return join_paragraphs(paragraphs(text))


def hash_key(text: str) -> str:
    """The form of a text that identity is computed from: NFKC, case-folded, one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_LANG_MIN_CHARS = 20
# py3langid's cost grows with the sample; on the AEB pages (8 languages) 300 characters
# already agree with the whole text, so 1,000 leaves a wide margin at half the cost of 2,000.
_LANG_SAMPLE = 1000
# English function words make up about half of English news text (median 0.51 on the AEB
# pages, 93 % of them ≥ 0.40) and at most 0.22 of the other languages there; above 0.40 the
# text is English without running the classifier, which is the slowest step of ingesting JSONL.
_ENGLISH_DENSITY = 0.40
_ENGLISH_MIN_WORDS = 20
_WORDS = re.compile(r"\w+")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (``und`` when too short to tell)."""
    sample = text[:_LANG_SAMPLE]
    if len(sample.strip()) < _LANG_MIN_CHARS:
        return "und"
    words = _WORDS.findall(sample.lower())
    if len(words) >= _ENGLISH_MIN_WORDS:
        stops = stoplist("en")
        if sum(w in stops for w in words) >= _ENGLISH_DENSITY * len(words):
            return "en"
    import py3langid

    lang, _score = py3langid.classify(sample)
    return lang


@lru_cache(maxsize=32)
def stoplist(lang: str) -> frozenset[str]:
    """jusText's stop-word list for an ISO 639-1 language code (empty when it has none)."""
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
