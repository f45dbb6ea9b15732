"""/api/ingest and /api/code: write endpoints, mounted only when the server has a token."""

from __future__ import annotations

import io
import json
import threading

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from eventwatch.api.deps import json_response, require_token
from eventwatch.api.registry import Extension

router = APIRouter(tags=["write (token)"], dependencies=[Depends(require_token)])
_write_lock = threading.Lock()  # one writer at a time


class IngestRecord(BaseModel):
    text: str = Field(description="article text (the body; a headline line may lead it)", max_length=5_000_000)
    title: str | None = None
    url: str | None = None
    date: str | None = Field(None, description="publication date (ISO 8601)")
    source: str | None = Field(None, description="outlet name")
    id: str | None = None
    lang: str | None = None


class IngestRequest(BaseModel):
    articles: list[IngestRecord] = Field(max_length=1000)
    code: bool = Field(True, description="code the new articles into events right away")


@router.post("/ingest", summary="Ingest (and code) articles")
def ingest(request: Request, body: IngestRequest):
    """Store articles (the JSONL record fields) and, unless ``code`` is false, code the new ones."""
    from eventwatch.archive.ingest import IngestOptions
    from eventwatch.archive.ingest import ingest as run_ingest

    data = "".join(json.dumps(a.model_dump(exclude_none=True), ensure_ascii=False) + "\n" for a in body.articles)
    with _write_lock:
        store = request.app.state.stores.writer()
        report = run_ingest(["-"], store, IngestOptions(), stdin=io.BytesIO(data.encode("utf-8")))
        out = {"ingest": report.as_dict(), "stored_ids": report.stored_ids,
               "rejects": [{"location": r.location, "reason": r.reason} for r in report.rejects]}
        if body.code and report.stored_ids:
            out["code"] = _code(store, report.stored_ids)
    return json_response(out)


class CodeRequest(BaseModel):
    articles: list[str] | None = Field(None, description="article ids to (re)code; default: every uncoded article")
    recode: bool = False


@router.post("/code", summary="Code archived articles")
def code(request: Request, body: CodeRequest):
    with _write_lock:
        store = request.app.state.stores.writer()
        ids = None
        if body.articles:
            ids = []
            for a in body.articles:
                full = store.resolve_article_id(a)
                if full is None:
                    raise HTTPException(status_code=404, detail=f"no article {a!r}")
                ids.append(full)
        return json_response(_code(store, ids, recode=body.recode or bool(ids)))


def _code(store, ids, recode: bool = False) -> dict:
    from eventwatch.events.pipeline import code_store

    report = code_store(store, recode=recode, workers=1, article_ids=ids)
    return {**report.as_dict(), "failures": [{"article": a, "reason": r} for a, r in report.failures]}


extension = Extension(name="admin", api=router, write=True, order=90)
