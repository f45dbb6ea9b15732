"""Jinja2 environment (autoescaping on), template helpers and the page renderer."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from eventwatch import __version__
from eventwatch.api.registry import Extension, NavItem
from eventwatch.events.codes import QUAD_NAMES
from eventwatch.events.codes import table as cameo_table
from eventwatch.store.articles import HL_END, HL_START


def cameo_name(code: str | None) -> str:
    c = cameo_table().get(code or "")
    return c.name if c else ""


def snippet(text: str | None) -> Markup:
    """A search snippet: escape everything, then turn the highlight markers into <mark>."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(HL_START, '<mark class="hit">').replace(HL_END, "</mark>"))


def safe_url(url: str | None) -> str | None:
    """Only http(s) links to original articles (no javascript:, data: …)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def qs(params: dict, **changes) -> str:
    """A query string from ``params`` with ``changes`` applied (None removes a key)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "", False)}
    return ("?" + urlencode(merged)) if merged else ""


def fmtnum(v, digits: int = 1) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return f"{v:,}"


def make_templates(extensions: list[Extension]) -> Environment:
    loaders = [PackageLoader("eventwatch.web", "templates")]
    loaders += [FileSystemLoader(str(e.templates)) for e in extensions if e.templates]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    nav: list[NavItem] = sorted((n for e in extensions for n in e.nav), key=lambda n: (n.order, n.label))
    env.globals.update(nav=nav, version=__version__, quad_names=QUAD_NAMES, qs=qs, cameo_name=cameo_name,
                       snippet=snippet, safe_url=safe_url)
    env.filters["num"] = fmtnum
    return env


def render(request: Request, name: str, ctx: dict | None = None, status_code: int = 200) -> HTMLResponse:
    env: Environment = request.app.state.templates
    params = dict(request.query_params)
    html = env.get_template(name).render(request=request, path=request.url.path, params=params, **(ctx or {}))
    return HTMLResponse(html, status_code=status_code)
