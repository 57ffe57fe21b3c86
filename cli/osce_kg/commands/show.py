"""``osce-kg show``: everything the graph says about one resource."""

from __future__ import annotations

from pathlib import Path

import click

from ..specs import StoreSpec
from .options import emit, output_options, store_options


@click.command()
@click.argument("iri")
@output_options(("text", "json"), default="text", suffixes={".json": "json", ".txt": "text"})
@store_options
def show(iri: str, fmt: str, output: Path | None, store_spec: StoreSpec) -> None:
    """Everything the graph says about IRI (id:person/x or a full IRI): its
    statements, the statements that point at it, and the source passages its
    annotations quote.

    \\b
    Example:
        osce-kg show id:person/knut-dreyer
        osce-kg show id:event/2012-annual-police-experts-meeting --format json
    """
    from ..entity import entity, entity_json, entity_text
    from ..errors import InputError
    from ..queries import expand_iri
    from ..sparql_bind import check_iri

    full = str(check_iri(expand_iri(iri), "IRI"))
    found = entity(store_spec.open(), full)
    if not found.known:
        raise InputError(f"IRI: the graph says nothing about <{full}> (osce-kg search NAME)")
    emit(entity_json(found) if fmt == "json" else entity_text(found), output)
