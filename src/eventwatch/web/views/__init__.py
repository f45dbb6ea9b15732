"""Built-in UI pages; each module exposes ``extension`` (see ``eventwatch.api.registry``)."""
