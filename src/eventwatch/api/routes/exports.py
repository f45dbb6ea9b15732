"""/api/export/{format}: the CLI's exports as downloads (text formats streamed)."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from eventwatch.api.deps import FilterDep, json_response
from eventwatch.api.registry import Extension
from eventwatch.export import FORMATS, iter_format

router = APIRouter(tags=["exports"])


@router.get("/export", summary="Available export formats")
def list_formats():
    return json_response([{"name": f.name, "description": f.description, "extension": f.extension,
                           "media_type": f.media_type, "path": f"/api/export/{f.name}"} for f in FORMATS.values()])


@router.get("/export/{fmt}", summary="Download an export",
            responses={200: {"content": {f.media_type.split(";")[0]: {} for f in FORMATS.values()},
                             "description": "the export file"}})
def export(request: Request, fmt: str, f: FilterDep,
           header: Annotated[bool | None, Query(description="Header row (default: as the format ships)")] = None):
    """Formats: gdelt (events), gdelt-mentions, icews, polecat, jsonl, csv, parquet, geojson.
    Filters are the same as ``/api/events``. Each request reads with its own connection, so a long
    download does not hold up other requests."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise HTTPException(status_code=404, detail=f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    from eventwatch.store import Store

    store = Store(request.app.state.stores.path, readonly=True)
    filename = f"eventwatch{spec.extension}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if spec.binary:
        from eventwatch.export.tables import write_parquet

        fd, path = tempfile.mkstemp(suffix=spec.extension)
        os.close(fd)
        try:
            write_parquet(store, f, path)
        finally:
            store.close()
        return FileResponse(path, media_type=spec.media_type, filename=filename,
                            background=BackgroundTask(os.unlink, path))
    chunks = iter_format(store, fmt, f, header)

    def stream():
        try:
            yield from chunks
        finally:
            store.close()

    return StreamingResponse(stream(), media_type=spec.media_type, headers=disposition)


extension = Extension(name="exports", api=router, order=30)
