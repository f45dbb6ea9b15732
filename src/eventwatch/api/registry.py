"""The registry of API routers and UI pages.

An extension is one small module that exposes ``extension = Extension(...)``: an API router
(mounted under ``/api``), a page router (mounted at ``/``), navigation entries, and optionally
its own templates and static files. The app collects:

* every module in ``eventwatch.api.routes`` and ``eventwatch.web.views`` (the built-in ones);
* the modules named in ``OPTIONAL_MODULES`` when they can be imported (e.g. the agreement and
  accusation tracker: ``eventwatch.tracking.web``);
* entry points in the ``eventwatch.extensions`` group (plugins installed as packages).

Adding a page is therefore a new module — no edit to the app. See docs/api.md.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

log = logging.getLogger(__name__)

BUILTIN_PACKAGES = ("eventwatch.api.routes", "eventwatch.web.views")
OPTIONAL_MODULES = ("eventwatch.tracking.web", "eventwatch.tracking.api")
ENTRY_POINT_GROUP = "eventwatch.extensions"


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    order: int = 50


@dataclass
class Extension:
    """What one module adds to the app. ``write`` routers are mounted only when a token is set,
    and every route in them then requires it."""

    name: str
    api: object | None = None  # fastapi.APIRouter, mounted at /api
    pages: object | None = None  # fastapi.APIRouter, mounted at /
    nav: tuple[NavItem, ...] = ()
    templates: Path | None = None  # a folder added to the template search path
    static: Path | None = None  # served at /static/ext/<name>/
    write: bool = False
    tags: tuple[str, ...] = ()
    order: int = 50
    extra: dict = field(default_factory=dict)


def _from_module(modname: str) -> list[Extension]:
    mod = importlib.import_module(modname)
    ext = getattr(mod, "extension", None) or getattr(mod, "extensions", None)
    if ext is None:
        return []
    return list(ext) if isinstance(ext, (list, tuple)) else [ext]


def discover(include_optional: bool = True, include_entry_points: bool = True) -> list[Extension]:
    """All extensions, ordered by ``order`` then name; broken optional ones are logged and skipped."""
    found: list[Extension] = []
    for pkg_name in BUILTIN_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                found.extend(_from_module(f"{pkg_name}.{info.name}"))
    if include_optional:
        for modname in OPTIONAL_MODULES:
            try:
                found.extend(_from_module(modname))
            except ModuleNotFoundError as exc:
                if exc.name and not modname.startswith(exc.name) and exc.name != modname:
                    log.warning("extension %s needs %s: skipped", modname, exc.name)
            except Exception as exc:  # noqa: BLE001 - one broken extension must not take the app down
                log.warning("extension %s failed to load: %s", modname, exc)
    if include_entry_points:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                obj = ep.load()
                found.extend(obj if isinstance(obj, (list, tuple)) else [obj])
            except Exception as exc:  # noqa: BLE001
                log.warning("extension entry point %s failed to load: %s", ep.name, exc)
    seen: set[str] = set()
    unique = []
    for ext in found:
        if ext.name in seen:
            log.warning("duplicate extension name %s: the later one is ignored", ext.name)
            continue
        seen.add(ext.name)
        unique.append(ext)
    return sorted(unique, key=lambda e: (e.order, e.name))
