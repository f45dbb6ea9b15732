"""``eventwatch eval``: score the coder (or the geoparser) on gold sets in their own formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from eventwatch.cli.common import WorkersOption, err, out, usage_error, write_jsonl


def _render(result: dict) -> None:
    table = Table("measure", "value", title=f"eval: {result.get('dataset', '')}")
    for key, value in result.items():
        if key in ("per_class", "confusion", "errors", "misses", "false_events", "actor_errors", "dataset"):
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items() if not isinstance(v, dict)) or json.dumps(value)
        table.add_row(key.replace("_", " "), escape(str(value)))
    out.print(table)
    per = result.get("per_class")
    if per:
        t = Table("class", "precision", "recall", "F1", "support", "predicted", title="per class")
        for label, m in per.items():
            t.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                      str(m["support"]), str(m["predicted"]))
        out.print(t)
    conf = result.get("confusion")
    if conf:
        preds = sorted({p for row in conf.values() for p in row}, key=str)
        t = Table("gold \\ predicted", *preds, title="confusion matrix")
        for gold in sorted(conf, key=str):
            t.add_row(gold, *[str(conf[gold].get(p, "")) for p in preds])
        out.print(t)
    for key in ("errors", "misses", "false_events", "actor_errors"):
        for item in result.get(key, []):
            out.print(f"[bold]{key[:-1]}[/bold] {escape(json.dumps(item, ensure_ascii=False))}")


def _code_jsonl(path: str, workers: int) -> None:
    """Code a JSONL of ``{id, text, date}`` and print the event records (``source_id`` joins back)."""
    from eventwatch.evaluate.sentences import code_texts

    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            err.print(f"[yellow]rejected[/yellow] {path} (line {n}): invalid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            err.print(f"[yellow]rejected[/yellow] {path} (line {n}): record has no 'text'")
            continue
        items.append((str(obj.get("id", f"line{n}")), obj["text"], obj.get("date")))
    events = code_texts(items, workers=workers)
    write_jsonl(_event_dict(e, sid) for sid, evs in events.items() for e in evs)


def _event_dict(e, source_id: str) -> dict:
    def actor(a):
        return None if a is None else {"text": a.text, "code": a.code, "country": a.country, "sector": a.sector,
                                       "start": a.start, "end": a.end}

    return {
        "source_id": source_id, "id": e.id,
        "sentence": {"index": e.sentence_index, "text": e.sentence_text, "start": e.sentence_start, "end": e.sentence_end},
        "trigger": {"text": e.trigger_text, "start": e.trigger_start, "end": e.trigger_end},
        "source": actor(e.source), "target": actor(e.target),
        "cameo": {"code": e.cameo, "root": e.root, "quad_class": e.quad_class, "goldstein": e.goldstein},
        "plover": {"event": e.plover_event, "mode": e.plover_mode, "context": e.plover_context},
        "modality": e.modality, "attributed_to": actor(e.attributed_to), "parent": e.parent,
        "date": e.date.date if e.date else None,
    }


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        file: Annotated[str | None, typer.Argument(help="Gold set: PLOVER JSON, PETRARCH XML, ConfliBERT TSV/BIO, or JSONL to code.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="auto, plover, petrarch, conflibert-classes, conflibert-spans, jsonl.")] = "auto",
        geo: Annotated[str | None, typer.Option("--geo", help="Geoparsing gold set (GeoWebNews or LGL XML).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
        errors: Annotated[bool, typer.Option("--errors", help="Also list misses, false events and matched events with a wrong actor country.")] = False,
        actors: Annotated[list[str] | None, typer.Option("--actors", help="PETRARCH/TABARI actor or agent dictionary to use for this run (repeatable).")] = None,
        classifier: Annotated[bool, typer.Option("--classifier", help="ConfliBERT classes: also cross-validate the learned sentence classifier (5-fold x 3 seeds, a few minutes).")] = False,
        workers: WorkersOption = 1,
    ) -> None:
        """Precision, recall and F1 per class, confusion matrix and actor accuracy on a gold set."""
        from eventwatch import evaluate

        if geo:
            if not Path(geo).is_file():
                raise usage_error(f"no such file: {geo}")
            from eventwatch.places.evaluate import evaluate_geo

            result = evaluate_geo(geo)
        else:
            if not file:
                raise usage_error("give a gold-set FILE (or --geo FILE)")
            if not Path(file).is_file():
                raise usage_error(f"no such file: {file}")
            try:
                kind = evaluate.detect_format(file) if fmt == "auto" else fmt
            except ValueError as exc:
                raise usage_error(str(exc)) from None
            if kind == "jsonl":
                _code_jsonl(file, workers)
                return
            if kind == "geo":
                from eventwatch.places.evaluate import evaluate_geo

                result = evaluate_geo(file)
            elif classifier and kind == "conflibert-classes":
                from eventwatch.evaluate.pentacode import evaluate_classifier, table

                result = evaluate_classifier(file, workers=workers)
                if not as_json:
                    out.print(table(result))
                    return
            else:
                try:
                    result = evaluate.evaluate(file, kind, workers=workers, errors=errors, actors=actors)
                except ValueError as exc:
                    raise usage_error(str(exc)) from None
        if as_json:
            out.print(json.dumps(result, ensure_ascii=False), soft_wrap=True)
        else:
            _render(result)
