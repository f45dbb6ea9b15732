"""The ``eventwatch`` command line: progress on stderr, data on stdout.

Exit codes: 0 ok, 1 some inputs rejected, 2 usage error.
"""

from __future__ import annotations

import typer

from eventwatch import __version__
from eventwatch.cli import actors, archive, evaluate, events, places

app = typer.Typer(
    name="eventwatch",
    help="Political event data from news: who did what to whom, when and where — with the sentence that says so.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"eventwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    pass


archive.register(app)
events.register(app)
evaluate.register(app)
places.register(app)
actors.register(app)
__import__("eventwatch.cli.export", fromlist=["register"]).register(app)  # export, dyads, serve
__import__("eventwatch.cli.tracking", fromlist=["register"]).register(app)  # track, agreements, agreement, accusations, quotes


def main() -> None:
    app()
