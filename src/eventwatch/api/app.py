"""The FastAPI app: the JSON API under /api, the web UI at /, OpenAPI docs from local assets.

``create_app(db)`` builds it; extensions (routers and pages) come from the registry
(``eventwatch.api.registry``). Read-only unless a token is given: then the write routers are
mounted and each of their routes requires ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwatch import __version__
from eventwatch.api.deps import StorePool, require_token
from eventwatch.api.registry import Extension, discover
from eventwatch.store.query import FilterError

# No script or style from anywhere but this server; nothing inline; no framing, no plugins.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Swagger UI sets inline styles; its page shows no article text. (ReDoc is not served: its bundle
# always loads a logo from a CDN.)
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeaders:
    """Pure ASGI middleware: CSP and friends on every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        csp = DOCS_CSP if path == "/docs" else CSP

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def docs_assets() -> Path:
    """The Swagger UI bundle shipped by the fastapi-offline wheel (PyPI)."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def create_app(db: str, token: str | None = None, extensions: list[Extension] | None = None) -> FastAPI:
    stores = StorePool(db)

    @asynccontextmanager
    async def lifespan(app):
        yield
        stores.close()

    app = FastAPI(
        title="eventwatch",
        version=__version__,
        description=("Political event data from news: who did what to whom, when and where — with the sentence "
                     "that says so. Read-only unless the server was started with a token."),
        docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan,
    )
    app.state.stores = stores
    app.state.token = token or None
    app.add_middleware(SecurityHeaders)

    web_root = resources.files("eventwatch.web")
    app.mount("/static/docs", StaticFiles(directory=str(docs_assets())), name="docs-static")
    app.mount("/static", StaticFiles(directory=str(web_root.joinpath("static")), packages=None), name="static")

    exts = discover() if extensions is None else extensions
    mounted: list[Extension] = []
    for ext in exts:
        if ext.write and not token:
            continue
        deps = [Depends(require_token)] if ext.write else []
        if ext.api is not None:
            app.include_router(ext.api, prefix="/api", dependencies=deps)
        if ext.pages is not None:
            app.include_router(ext.pages, dependencies=deps, include_in_schema=False)
        if ext.static is not None:
            app.mount(f"/static/ext/{ext.name}", StaticFiles(directory=str(ext.static)), name=f"ext-{ext.name}")
        mounted.append(ext)
    app.state.extensions = mounted

    from eventwatch.web.render import make_templates

    app.state.templates = make_templates(mounted)
    _add_docs(app)
    _add_errors(app)
    return app


def _add_docs(app: FastAPI) -> None:
    from eventwatch.web.render import render

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request):
        return render(request, "docs_swagger.html")


def _add_errors(app: FastAPI) -> None:
    from eventwatch.web.render import render

    def wants_html(request: Request) -> bool:
        p = request.url.path
        return not (p.startswith("/api") or p.startswith("/static") or p == "/openapi.json")

    @app.exception_handler(FilterError)
    async def filter_error(request: Request, exc: FilterError):
        if wants_html(request):
            return render(request, "error.html", {"status": 400, "message": str(exc)}, status_code=400)
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if wants_html(request) and exc.status_code in (400, 404):
            return render(request, "error.html", {"status": exc.status_code, "message": str(exc.detail)},
                          status_code=exc.status_code)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (``eventwatch serve``): EVENTWATCH_DB, EVENTWATCH_TOKEN."""
    from eventwatch.store import default_path

    return create_app(default_path(), os.environ.get("EVENTWATCH_TOKEN") or None)
