"""Built-in API routers; each module exposes ``extension`` (see ``eventwatch.api.registry``)."""
