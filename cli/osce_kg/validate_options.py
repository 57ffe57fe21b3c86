"""The ``osce-kg validate`` options of the fast and incremental engine.

Kept outside :mod:`osce_kg.validation` so that loading the command (for
``osce-kg --help``) imports click alone.

``osce-kg validate`` (in :mod:`osce_kg.commands.validate`) takes these options
with two lines: the :func:`scale_options` decorator, and a call to
:func:`run_scaled` that returns a report when one of them asks for the Oxigraph
engine (else ``None``, and the command runs the reference engine as before)::

    @scale_options
    def validate(files, fail_on, no_graph, fmt, output, **scale):  # the four options
        report = run_scaled(files, **scale) or run_validation(...)

Without any of these options nothing changes: the reference engine (rdflib +
pySHACL + the Python checks) validates the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from .errors import InputError

if TYPE_CHECKING:
    from .validation.model import Report

F = TypeVar("F", bound=Callable[..., object])


def scale_options(command: F) -> F:
    """Add ``--engine``, ``--incremental/--no-incremental``, ``--cache`` and ``--jobs``."""
    command = click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help=(
            "With --incremental: worker processes for the SPARQL checks, and for the "
            "shapes when every focus node is re-checked (changed shapes or checks)."
        ),
    )(command)
    command = click.option(
        "--cache",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Folder of the incremental cache (default: .osce-kg-cache in the data folder).",
    )(command)
    command = click.option(
        "--incremental/--no-incremental",
        default=None,
        help="Keep a cache and re-check only the sources that changed (Oxigraph engine).",
    )(command)
    command = click.option(
        "--engine",
        type=click.Choice(["reference", "oxigraph", "pyshacl", "auto"]),
        default="reference",
        show_default=True,
        help="reference: rdflib + pySHACL + all built-in checks.  oxigraph: shapes compiled to "
        "SPARQL and the SPARQL checks, on Oxigraph (fast; no Python checks).  pyshacl: "
        "pySHACL + SPARQL checks only.  auto: oxigraph if it supports every shape.",
    )(command)
    return command


def run_scaled(
    files: Sequence[Path],
    *,
    engine: str = "reference",
    incremental: bool | None = None,
    cache: Path | None = None,
    jobs: int = 1,
) -> Report | None:
    """The report of the engine the options ask for, or ``None`` for the reference engine."""
    if engine == "reference" and not incremental and cache is None:
        return None
    if files:
        raise InputError("--engine/--incremental/--cache validate the data folder; give no FILES")
    from .validation.incremental import validate_corpus

    chosen = "auto" if engine == "reference" else engine
    use_cache = incremental if incremental is not None else cache is not None
    if use_cache and chosen == "pyshacl":
        raise InputError("--incremental needs --engine oxigraph or auto")
    return validate_corpus(
        engine=chosen, incremental=bool(use_cache), cache=cache, jobs=jobs
    ).report
