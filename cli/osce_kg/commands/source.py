"""``osce-kg source``: add a source to the corpus, list the sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import emit, output_options

if TYPE_CHECKING:
    from ..layout import DataLayout

graph_dir_option = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The data folder, which holds graph/sources/ (default: $OSCE_KG_DATA, else the "
    "project's own).",
)


def _layout(value: Path | None) -> DataLayout:
    from ..layout import DataLayout

    return DataLayout(value) if value is not None else DataLayout.default()


@click.group()
def source() -> None:
    """Manage the corpus: one folder per source under graph/sources/."""


@source.command("add")
@click.argument("slug")
@click.option(
    "--text",
    "text_file",
    required=True,
    type=click.Path(path_type=Path),
    help="The source's verbatim text (UTF-8); copied byte for byte.",
)
@click.option("--title", required=True, help="The source's title, as published.")
@click.option("--published", required=True, metavar="YYYY-MM-DD", help="Publication date.")
@graph_dir_option
def add(slug: str, text_file: Path, title: str, published: str, data: Path | None) -> None:
    """Scaffold a new source that validates at once.

    Writes graph/sources/SLUG/ with source.txt (the text, byte for byte),
    article.ttl (title, date, full text and its SHA-256) and a facts.ttl to
    fill in.  The folder appears whole or not at all.

    \b
    Example:
        osce-kg source add 2012-10-01-osce-press-release \\
            --text release.txt --title "OSCE press release" --published 2012-10-01
    """
    from ..corpus import add_source

    folder = add_source(_layout(data), slug, text_file, title, published)
    click.echo(f"added {folder}")


@source.command("list")
@graph_dir_option
@output_options()
def list_(data: Path | None, fmt: str, output: Path | None) -> None:
    """List the sources with their title, date, triple count and status.

    Status is "ok" when source.txt still has the SHA-256 recorded in
    article.ttl, "text changed" otherwise.

    \b
    Example:
        osce-kg source list
        osce-kg source list --format csv
    """
    from ..corpus import list_sources
    from ..rows import render_rows

    rows = [
        (s.slug, s.title, s.published, s.triples, "ok" if s.text_ok else "text changed")
        for s in list_sources(_layout(data))
    ]
    emit(render_rows(("slug", "title", "published", "triples", "status"), rows, fmt), output)
