"""``osce-kg search``: find resources by name."""

from __future__ import annotations

from pathlib import Path

import click

from ..specs import StoreSpec
from .options import emit, output_options, store_options


@click.command()
@click.argument("text")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="At most this many.",
)
@output_options()
@store_options
def search(text: str, limit: int, fmt: str, output: Path | None, store_spec: StoreSpec) -> None:
    """Find resources by name: labels, alternative labels and abbreviations, names.

    Case, accents, curly or straight quotes and dashes do not matter; exact
    names come first, then prefixes, words, contained and similar names.

    \b
    Example:
        osce-kg search "O'Leary"
        osce-kg search mia --format json
    """
    from ..lookup import search as find
    from ..rows import render_rows
    from ..sparql_bind import check_text
    from ..sparql_results import short_iri

    check_text(text, "TEXT")
    hits = find(store_spec.open(), text, limit=limit)
    rows = [
        (
            short_iri(h.resource),
            h.label,
            ", ".join(h.types),
            ", ".join(h.sources),
            h.matched,
            h.how,
        )
        for h in hits
    ]
    columns = ("resource", "label", "type", "sources", "matched", "match")
    emit(render_rows(columns, rows, fmt), output)
