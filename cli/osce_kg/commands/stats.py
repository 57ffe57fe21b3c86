"""``osce-kg stats``: what is in the graph."""

from __future__ import annotations

from pathlib import Path

import click

from .options import emit, output_options


@click.command()
@click.option("--no-ontology", is_flag=True, help="Count the graph alone, without the ontology.")
@output_options()
def stats(no_ontology: bool, fmt: str, output: Path | None) -> None:
    """Count triples, instances per class, properties used and sources.

    Classes and properties are counted in the stated triples; the totals also
    give the inferred triples that queries and the report see.  Only instances
    of the project's own resources (…/id/…) are counted per class, so ontology
    terms do not inflate the figures.

    \b
    Example:
        osce-kg stats
        osce-kg stats --format csv -o stats.csv
    """
    from ..layout import DataLayout
    from ..rows import render_rows
    from ..stats import file_stats, inferred_triples, stats_rows

    layout = DataLayout.default()
    stats = file_stats(layout.dataset_files(ontology=not no_ontology))
    if not no_ontology:
        stats.inferred = inferred_triples(layout)
    emit(render_rows(("section", "name", "count"), stats_rows(stats), fmt), output)
