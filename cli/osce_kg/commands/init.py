"""``osce-kg init``: make a workspace."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument(
    "folder", metavar="[DIR]", default=".", required=False, type=click.Path(path_type=Path)
)
def init(folder: Path) -> None:
    """Make DIR (default: the working directory) a workspace on the shipped data.

    A workspace has its own graph/sources/, graph/shared/, queries/ and
    shapes/, and an osce-kg.toml naming its base: the ontology, shapes,
    queries and seed article shipped with osce-kg, which it sees read-only
    and may refer to by IRI.  Commands run in DIR or below it use the
    workspace (as git finds a repository); elsewhere give --data DIR.

    \b
    Example:
        osce-kg init my-corpus && cd my-corpus
        osce-kg source add 2012-10-01-press-release --text release.txt \\
            --title "Press release" --published 2012-10-01
    """
    from ..workspace import init_workspace

    root = init_workspace(folder)
    click.echo(f"made a workspace in {root.resolve()} (osce-kg source add … to add a source)")
