"""``osce-kg query``: list, show and run the stored SPARQL queries, or an ad-hoc one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..sparql_results import GRAPH_FORMATS, SELECT_FORMATS, formats_help
from .options import emit, output_options, store_options

if TYPE_CHECKING:
    from ..queries import StoredQuery
    from ..specs import StoreSpec

ALL_FORMATS = SELECT_FORMATS + GRAPH_FORMATS


@click.group()
def query() -> None:
    """Stored SPARQL queries (queries/*.rq) and ad-hoc SPARQL.

    \b
    Example:
        osce-kg query list
        osce-kg query run speeches
        osce-kg query run statements-by-person -p person=id:person/zumrad-solieva
    """


_format_option = output_options(
    ALL_FORMATS,
    default=None,
    help=formats_help(),
)


def _params_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "-p",
        "--param",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="A parameter value (repeatable). IRIs may use the prefixes id: okg: etc.",
    )(func)


@query.command("list")
@click.option(
    "--all",
    "all_folders",
    is_flag=True,
    help="Also list the queries of sub-folders (checks/, network/).",
)
@output_options()
def list_queries(all_folders: bool, fmt: str, output: Path | None) -> None:
    """List the stored queries: name, kind, parameters, summary.

    \b
    Example:
        osce-kg query list
        osce-kg query list --all --format markdown
    """
    from ..catalogue import catalogue
    from ..rows import render_rows

    found = catalogue(all_folders=all_folders)
    rows = [(q.name, q.kind, " ".join(p.describe() for p in q.params), q.summary) for q in found]
    emit(render_rows(("name", "kind", "parameters", "summary"), rows, fmt), output)


@query.command("show")
@click.argument("name")
def show(name: str) -> None:
    """Show a stored query's metadata, parameters and text.

    \b
    Example:
        osce-kg query show speeches
    """
    from ..catalogue import find_query

    q = find_query(name)
    lines = [
        f"name:        {q.name}",
        f"kind:        {q.kind}",
        f"file:        {q.path}",
        f"summary:     {q.summary}",
    ]
    if q.description:
        lines.append(f"description: {' '.join(q.description.split())}")
    if q.tags:
        lines.append(f"tags:        {', '.join(q.tags)}")
    for p in q.params:
        extra = f" (default {p.default})" if p.default is not None else ""
        need = "required" if p.required else "optional"
        lines.append(f"parameter:   {p.name} — {p.type_label}, {need}, ?{p.variable}{extra}")
    click.echo("\n".join(lines) + "\n\n" + q.text.rstrip("\n"))


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    from ..errors import InputError

    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"-p {item!r}: expected NAME=VALUE")
        if name.strip() in values:
            raise InputError(f"-p: parameter {name.strip()!r} given twice")
        values[name.strip()] = value
    return values


def _execute(
    q: StoredQuery,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    store_spec: StoreSpec,
) -> None:
    from ..queries import bind_values
    from ..runner import render_answer

    bindings = bind_values(q, _parse_params(params))
    emit(render_answer(q, bindings, fmt, store_spec, output), output)


@query.command("run")
@click.argument("name")
@_params_option
@_format_option
@store_options
def run(
    name: str,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    store_spec: StoreSpec,
) -> None:
    """Run a stored query by name.

    \b
    Example:
        osce-kg query run timeline
        osce-kg query run event-participants -p event=id:event/2012-annual-police-experts-meeting
        osce-kg query run speeches --format json -o speeches.srj
        osce-kg query run speeches --endpoint http://127.0.0.1:7878/query

    Without --store or --endpoint, the query runs on the dataset's Oxigraph
    store (built on first use in $OSCE_KG_CACHE or ~/.cache/osce-kg, and
    again whenever the data change); --store rdflib runs it on an rdflib copy
    of the same triples (same answers, slower).
    """
    from ..catalogue import find_query

    _execute(find_query(name), params, fmt, output, store_spec)


@query.command("sparql")
@click.argument(
    "file", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option(
    "-e", "--query", "inline", metavar="TEXT", default=None, help="The query itself, inline."
)
@_params_option
@_format_option
@store_options
def sparql(
    file: Path | None,
    inline: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    store_spec: StoreSpec,
) -> None:
    """Run an ad-hoc SPARQL query from FILE, - (standard input) or -e TEXT.

    The project's prefixes (okg:, id:, schema:, org:, foaf:, …) are declared for
    you; a PREFIX of your own wins.  Parameters follow the stored-query
    conventions (?_name, ?_name_iri, …).

    \b
    Example:
        osce-kg query sparql my.rq
        osce-kg query sparql -e 'SELECT ?p WHERE { ?p a okg:Person }'
        echo 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' | osce-kg query sparql -
    """
    from ..errors import InputError
    from ..queries import ad_hoc_query

    if (file is None) == (inline is None):
        raise InputError("query sparql: give FILE, - or -e TEXT (one of them)")
    if inline is not None:
        text, where, path = inline, "-e", None
    elif str(file) == "-":
        text, where, path = sys.stdin.read(), "<stdin>", None
    else:
        from ..textfiles import read_text

        assert file is not None
        text, where, path = read_text(file), str(file), file
    _execute(ad_hoc_query(text, where, path), params, fmt, output, store_spec)
