"""``osce-kg validate``: the SHACL shapes and the SPARQL checks, one report."""

from __future__ import annotations

from pathlib import Path

import click

from .options import emit, endpoint_graph_option, endpoint_options, jobs_option, output_options

FORMATS = ("text", "json", "turtle", "junit", "sarif", "github")


def _report_suffixes() -> dict[str, str]:
    from ..validation.reports import REPORT_SUFFIXES

    return REPORT_SUFFIXES


ENGINES = ("oxigraph", "pyshacl")  # osce_kg.validation.ENGINES, without importing it for --help

EPILOG = """\b
Exit codes:
  0  the data conforms (no result at or above --fail-on)
  1  results at or above --fail-on (default: violation)
  2  cannot run: missing or malformed file (FILE:LINE:COL: message), bad option
"""


@click.command(epilog=EPILOG)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the run fail (exit 1).",
)
@click.option(
    "--no-graph",
    is_flag=True,
    help="With FILES: validate them without loading the shipped graph beside them.",
)
@output_options(FORMATS, default="text", suffixes=_report_suffixes)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="oxigraph",
    show_default=True,
    help="Who runs the SHACL shapes: oxigraph (compiled to SPARQL, fast) or pyshacl (the "
    "reference).  Same rules, same results; the SPARQL checks run on Oxigraph either way.",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Keep a cache and re-check only what changed since the last run (oxigraph engine; "
    "the data folder, not FILES).",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the --incremental cache (default: .osce-kg-cache in the data folder).",
)
@jobs_option(
    "With --incremental: worker processes for the SPARQL checks and the shapes "
    "when every one is run again (changed shapes or checks); the few a change of "
    "the data touches run in the main process."
)
@endpoint_graph_option
@endpoint_options(
    timeout=600.0,
    envvar=None,
    help="Validate the data held by this SPARQL 1.1 server: the shapes and checks run there "
    "(see docs/validation.md for what it must hold)",
)
def validate(
    files: tuple[Path, ...],
    fail_on: str,
    no_graph: bool,
    fmt: str,
    output: Path | None,
    engine: str,
    incremental: bool,
    cache: Path | None,
    jobs: int,
    endpoint: str | None,
    timeout: float,
    retries: int,
    endpoint_graph: tuple[str, ...],
) -> None:
    """Validate the graph, or your own RDF FILES, against the ontology and shapes.

    Without FILES, checks the shipped graph.  With FILES (Turtle, N-Triples,
    JSON-LD, TriG, N-Quads; a folder stands for the RDF files in it), checks
    them together with the ontology, the shapes and the shipped graph, so
    they may refer to its entities.  One report gathers the SHACL results
    (shapes/) and the SPARQL checks (queries/checks/*-violation.rq: among
    them undeclared terms, undocumented ontology terms, and selectors or
    articles that do not match the source text).  Each result gives the
    file and line where its focus node is defined and the article passage it
    derives from.  Both engines give the same report; oxigraph is faster.

    \b
    Example:
        osce-kg validate
        osce-kg validate my-additions.ttl --fail-on warning
        osce-kg validate --format sarif -o osce-kg.sarif
        osce-kg validate --format github   # annotations in GitHub Actions
        osce-kg validate --incremental   # a large corpus, re-checked fast
        osce-kg validate --engine pyshacl  # the reference SHACL engine, same results
        osce-kg validate --endpoint http://127.0.0.1:7878/query   # the data on a server
        osce-kg validate --endpoint http://127.0.0.1:8890/sparql --graph https://example.org/kg
    """
    from ..errors import ValidationFailed
    from ..specs import StoreSpec
    from ..validation import Severity
    from ..validation import validate as run_validation
    from ..validation.reports import render

    threshold = Severity.parse(fail_on)
    spec = None if endpoint is None else StoreSpec(None, endpoint, timeout, retries, endpoint_graph)
    report = run_validation(
        list(files),
        engine=engine,
        include_graph=not no_graph,
        incremental=incremental or cache is not None,
        cache=cache,
        jobs=jobs,
        endpoint=spec,
    )
    emit(render(report, fmt, threshold), output)
    if not report.conforms(threshold):
        failing = len(report.failing(threshold))
        raise ValidationFailed(
            f"validation failed: {failing} result(s) at or above {fail_on} ({report.summary()})"
        )
