"""The HTTP API and the web UI's server: ``create_app(db, token=None)``; ``eventwatch serve`` runs it."""

from __future__ import annotations


def create_app(db: str, token: str | None = None, extensions=None):
    from eventwatch.api.app import create_app as _create

    return _create(db, token, extensions)


__all__ = ["create_app"]
