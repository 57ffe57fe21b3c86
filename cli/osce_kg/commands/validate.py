"""``osce-kg validate``: SHACL shapes, SPARQL checks and built-in checks, one report."""

from __future__ import annotations

from pathlib import Path

import click

from ..output import emit, output_options
from ..validate_options import scale_options

FORMATS = ("text", "json", "turtle", "junit", "sarif", "github")

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
@output_options(FORMATS, default="text")
@scale_options
def validate(
    files: tuple[Path, ...],
    fail_on: str,
    no_graph: bool,
    fmt: str,
    output: Path | None,
    engine: str,
    incremental: bool | None,
    cache: Path | None,
    jobs: int,
) -> None:
    """Validate the graph, or your own RDF FILES, against the ontology and shapes.

    Without FILES, checks the shipped graph.  With FILES (Turtle, N-Triples,
    JSON-LD, TriG, N-Quads; a folder stands for the RDF files in it), checks
    them together with the ontology, the shapes and the shipped graph, so
    they may refer to its entities.  One report gathers the SHACL results
    (shapes/), the SPARQL checks (queries/checks/*-violation.rq) and the
    built-in checks (undeclared terms, undocumented ontology terms,
    selectors that do not match the source text).  Each result gives the
    file and line where its focus node is defined and the article passage it
    derives from.

    \b
    Example:
        osce-kg validate
        osce-kg validate my-additions.ttl --fail-on warning
        osce-kg validate --format sarif -o osce-kg.sarif
        osce-kg validate --format github   # annotations in GitHub Actions
        osce-kg validate --engine oxigraph --incremental   # a large corpus, re-checked fast
    """
    from ..errors import ValidationFailed
    from ..validate_options import run_scaled
    from ..validation import Severity
    from ..validation import validate as run_validation
    from ..validation.reports import render

    threshold = Severity.parse(fail_on)
    report = run_scaled(
        files, engine=engine, incremental=incremental, cache=cache, jobs=jobs
    ) or run_validation(list(files), include_graph=not no_graph)
    emit(render(report, fmt, threshold), output)
    if not report.conforms(threshold):
        failing = len(report.failing(threshold))
        raise ValidationFailed(
            f"validation failed: {failing} result(s) at or above {fail_on} ({report.summary()})"
        )
