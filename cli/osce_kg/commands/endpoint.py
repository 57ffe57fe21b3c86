"""``osce-kg load`` (upload to a SPARQL server) and ``osce-kg serve`` (run one locally)."""

from __future__ import annotations

import click

from ..errors import InputError
from .options import Seconds


@click.command()
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    envvar="OSCE_KG_GRAPH_STORE",
    help="The server's Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store; "
    "Virtuoso: http://HOST:PORT/sparql-graph-crud), or with --protocol update its SPARQL "
    "Update URL.",
)
@click.option(
    "--protocol",
    type=click.Choice(["graph-store", "update"]),
    default="graph-store",
    show_default=True,
    help="How to replace each graph: an HTTP PUT of the Graph Store Protocol, or (for a "
    "server without it) one SPARQL 1.1 Update request, DROP SILENT then INSERT DATA.",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    default=None,
    help="Replace this named graph (default: the default graph).",
)
@click.option(
    "--named-graphs",
    is_flag=True,
    help="Load each of the dataset's named graphs (ontology, shared, reference, each "
    "source, inferred) into a graph of the same name, as the build's TriG holds them.",
)
@click.option(
    "--inferred/--no-inferred",
    default=True,
    show_default=True,
    help="Include the inferred standard-vocabulary triples, as the embedded store does.",
)
@click.option(
    "--timeout",
    type=Seconds(1.0, 7 * 86400.0),
    default=300.0,
    show_default=True,
    help="Seconds to wait for the server.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    help="Retries after a connection error or 5xx (PUT is idempotent).",
)
def load(
    endpoint: str,
    graph_iri: str | None,
    protocol: str,
    named_graphs: bool,
    inferred: bool,
    timeout: float,
    retries: int,
) -> None:
    """Upload the dataset to a SPARQL server, each graph replaced in one operation.

    Uses an HTTP PUT of the SPARQL 1.1 Graph Store Protocol, so a failed upload
    leaves the previous content of the graph in place; the ontology also goes into
    its own named graph, where `validate --endpoint` looks for it.  With
    --named-graphs, one PUT per graph of the dataset, each replaced whole.
    Credentials come from OSCE_KG_ENDPOINT_USER / OSCE_KG_ENDPOINT_PASSWORD or
    ~/.netrc.

    \b
    Example:
        osce-kg load --endpoint http://127.0.0.1:7878/store
        osce-kg load --endpoint http://127.0.0.1:7878/store --graph https://w3id.org/osce-kg/graph/all
        osce-kg load --endpoint http://127.0.0.1:8890/sparql-graph-crud --named-graphs
        osce-kg load --endpoint http://127.0.0.1:7878/update --protocol update
    """
    from ..serving import load_endpoint

    if named_graphs and graph_iri is not None:
        raise InputError("give --graph IRI or --named-graphs, not both")
    loaded = load_endpoint(
        endpoint,
        graph=graph_iri,
        inferred=inferred,
        timeout=timeout,
        retries=retries,
        named_graphs=named_graphs,
        protocol=protocol,
    )
    for graph, count, status in loaded:
        target = f"graph <{graph}>" if graph else "the default graph"
        click.echo(f"Loaded {count} triples into {target} at {endpoint} (HTTP {status}).")


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (only this machine by default).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--inferred/--no-inferred",
    default=True,
    show_default=True,
    help="Include the inferred standard-vocabulary triples.",
)
@click.option(
    "--query-timeout",
    type=Seconds(1.0, 3600.0),
    default=30.0,
    show_default=True,
    help="Stop a query after this many seconds (whether or not its client still waits).",
)
@click.option(
    "--max-query-kb",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Refuse a query longer than this (kilobytes).",
)
@click.option(
    "--max-nesting",
    type=click.IntRange(1, 64),
    default=64,
    show_default=True,
    help="Refuse a query nested deeper than this (brackets and groups).",
)
@click.option(
    "--max-result-mb",
    type=click.IntRange(1, 10_000),
    default=50,
    show_default=True,
    help="Refuse to send a result larger than this (megabytes).",
)
@click.option(
    "--allow-service",
    metavar="PREFIX",
    multiple=True,
    help="Let queries call SERVICE endpoints whose IRI starts with PREFIX (repeatable; "
    "by default SERVICE is refused).",
)
@click.option(
    "--allow-host",
    metavar="NAME",
    multiple=True,
    help="Also answer requests addressed to this host name (repeatable; needed with "
    "--host 0.0.0.0).",
)
def serve(
    host: str,
    port: int,
    inferred: bool,
    query_timeout: float,
    max_query_kb: int,
    max_nesting: int,
    max_result_mb: int,
    allow_service: tuple[str, ...],
    allow_host: tuple[str, ...],
) -> None:
    """Run a local, read-only SPARQL endpoint (Oxigraph) over the dataset.

    Open the printed address in a browser to write queries; point other tools
    (or `osce-kg query run --endpoint`) at …/query.  The resources' IRIs are
    answered at their paths: /id/person/knut-dreyer gives the page of the
    build's Linked Data site, or its Turtle, JSON-LD or N-Triples as the
    Accept header (or a .ttl, .jsonld, .nt suffix) asks; /index.html lists
    them all.  Ctrl-C stops it.  What it refuses and its limits:
    docs/security.md.

    \b
    Example:
        osce-kg serve
        osce-kg serve --port 8080 --query-timeout 10
    """
    from ..gateway import Limits
    from ..serving import serve as run_server

    limits = Limits(
        timeout=query_timeout,
        max_query_bytes=max_query_kb * 1000,
        max_nesting=max_nesting,
        max_result_bytes=max_result_mb * 1_000_000,
        allow_service=allow_service,
        allow_hosts=allow_host,
    )
    run_server(host, port, inferred=inferred, limits=limits, announce=lambda line: click.echo(line))
