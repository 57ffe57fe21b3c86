"""Validation of the osce-kg graph and of users' own RDF files.

The library behind ``osce-kg validate``: :func:`validate` returns a
:class:`Report` of :class:`Result` records; :mod:`.reports` and
:mod:`.ci_reports` write it as text, JSON, a SHACL report graph, JUnit XML,
SARIF or GitHub workflow commands.  A full run is :func:`.run.run_units`; an
incremental one is the cache of :mod:`.incremental` around the same steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from ..errors import InputError
from ..layout import DataLayout
from .incremental import validate_corpus
from .model import Report, Result, Rule, Severity
from .run import ENGINES, CorpusValidation, expand_paths, run_units
from .units import corpus_units, file_unit

if TYPE_CHECKING:
    from ..specs import StoreSpec


class Options(TypedDict, total=False):
    """How :func:`validate` runs (each key as in :func:`validate_run`)."""

    layout: DataLayout | None
    engine: str
    include_graph: bool
    incremental: bool
    cache: Path | None
    jobs: int
    checks: bool
    endpoint: StoreSpec | None


def validate_run(
    files: Sequence[Path] = (),
    *,
    layout: DataLayout | None = None,
    engine: str = "oxigraph",
    include_graph: bool = True,
    incremental: bool = False,
    cache: Path | None = None,
    jobs: int = 1,
    checks: bool = True,
    endpoint: StoreSpec | None = None,
) -> CorpusValidation:
    """Validate the data of ``layout`` (no ``files``) or a user's files with the
    ontology and shapes; with ``files``, the data is loaded beside them unless
    ``include_graph`` is false, so that they may refer to its entities.

    ``incremental`` keeps a cache (``cache``, default in the data folder) and
    re-checks only what changed: the ``oxigraph`` engine only, data folder only.
    ``checks=False`` runs the shapes alone.  Returns the report with the run's
    statistics; raises :class:`~osce_kg.errors.InputError` / ``ParseError`` for
    unusable input.
    """
    layout = layout or DataLayout.default()
    if endpoint is not None:
        if files or incremental or engine != "oxigraph":
            raise InputError(
                "--endpoint validates the data on the server: give no FILES, no --incremental, "
                "no --engine"
            )
        from .remote import run_remote, server_dataset, warn_of_system_graphs

        store = server_dataset(endpoint).open()
        if not endpoint.graphs:
            warn_of_system_graphs(store)
        return run_remote(store, layout.shapes_dirs, layout.checks_dirs, checks=checks)
    user = expand_paths(files)
    if incremental:
        if user:
            raise InputError("--incremental validates the data folder; give no FILES")
        if engine != "oxigraph":
            raise InputError("--incremental: the cache is the oxigraph engine's")
        return validate_corpus(layout, cache=cache, checks=checks, jobs=jobs)
    ontology, shipped = corpus_units(layout)
    units = [file_unit(p) for p in user] + (shipped if include_graph or not user else [])
    return run_units(ontology, units, layout, engine=engine, checks=checks)


def validate(files: Sequence[Path] = (), **options: Unpack[Options]) -> Report:
    """The report of :func:`validate_run`."""
    return validate_run(files, **options).report


__all__ = [
    "ENGINES",
    "Options",
    "Report",
    "Result",
    "Rule",
    "Severity",
    "validate",
    "validate_run",
]
