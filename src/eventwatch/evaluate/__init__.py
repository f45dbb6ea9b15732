"""Evaluation harness: gold sets read in their own formats, metrics as dicts.

``detect_format`` tells the gold set from its content; ``evaluate`` dispatches.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("plover", "petrarch", "conflibert-classes", "conflibert-spans", "jsonl", "geo")


def detect_format(path: str | Path) -> str:
    p = Path(path)
    with open(p, "rb") as fh:
        head = fh.read(4096).decode("utf-8", errors="replace")
    stripped = head.lstrip()
    if stripped.startswith("[") and '"event"' in head:
        return "plover"
    if "<Validation" in head or "<Sentence " in head:
        return "petrarch"
    if "<articles" in head or "<article " in head:
        return "geo"
    if stripped.startswith("{"):
        return "jsonl"
    lines = [x for x in head.splitlines()[:20] if x.strip()]
    if lines and all("\t" in x and x.rsplit("\t", 1)[1].strip().isdigit() for x in lines[:-1] or lines):
        return "conflibert-classes"
    if lines and all(len(x.split()) == 2 and x.split()[1][:2] in ("O", "B-", "I-") for x in lines[:-1] or lines):
        return "conflibert-spans"
    raise ValueError(f"cannot tell the gold-set format of {path}; pass --format ({', '.join(FORMATS)})")


def evaluate(path: str | Path, fmt: str = "auto", workers: int = 1, errors: bool = False,
             actors: list[str] | None = None) -> dict:
    """Score the coder on a gold set. ``actors``: PETRARCH/TABARI dictionaries to use for this
    run only (imported into a temporary knowledge base next to the package's)."""
    if actors:
        return _with_dictionaries(actors, lambda: evaluate(path, fmt, workers, errors))
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "plover":
        from eventwatch.evaluate.plover import evaluate as run
    elif fmt == "petrarch":
        from eventwatch.evaluate.petrarch import evaluate as run
    elif fmt == "conflibert-classes":
        from eventwatch.evaluate.conflibert import evaluate_classes as run
    elif fmt == "conflibert-spans":
        from eventwatch.evaluate.conflibert import evaluate_spans as run
    else:
        raise ValueError(f"format {fmt!r} is not an evaluation of the event coder")
    return run(path, workers=workers, errors=errors)


def _with_dictionaries(paths: list[str], run):
    import tempfile

    from eventwatch.actors.kb import KnowledgeBase, use_kb
    from eventwatch.actors.petrarch import import_dictionary

    with tempfile.TemporaryDirectory() as tmp:
        for p in paths:
            import_dictionary(p, tmp)
        with use_kb(KnowledgeBase.load(extra_dirs=[tmp], user=False)):
            result = run()
    result["dictionaries"] = [str(p) for p in paths]
    return result
