"""``osce-kg build``: every output of the project, made in one go, atomically.

The build is a list of small stages, each writing into the same temporary
folder (from :func:`osce_kg.atomic.atomic_directory`); only when every stage
has succeeded does that folder replace the output folder, so a failed or
killed build leaves the previous output as it was.

Stages, in order (:func:`plan`): assemble the data with the
standard-vocabulary triples it implies (:mod:`osce_kg.assembly`); hand the
ontology's documentation to the helper process (:mod:`.helper`); build every
network, the helper drawing their pictures; validate (a violation fails the
build); write the dataset; run every stored query; write the Linked Data site
(:mod:`.site`) once the ontology's page is there; write the report
``index.html`` once the pictures are.  Every output
is deterministic except the report's build-time line (``SOURCE_DATE_EPOCH``
fixes that too).

With an endpoint (``osce-kg build --endpoint URL``) the build makes only the
outputs that read the graph through queries — the stored queries' answers and
the networks — from the SPARQL server, and loads nothing locally: the dataset,
validation report, ontology documentation and HTML report are made from the
local files, which a corpus on a server has outgrown.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_directory
from ..errors import DataError, InputError, ValidationFailed
from ..layout import DataLayout
from ..recursion import run_deep
from . import stages
from .dataset import BuiltDataset, write_dataset
from .helper import Helper
from .report import OutputFile, ValidationStatus, render_report
from .report_files import query_tables

if TYPE_CHECKING:
    from ..resultset import Store
    from ..specs import StoreSpec


@dataclass
class BuildOptions:
    output: Path
    validate: bool = True
    source: StoreSpec | None = None  # make the query and network outputs from this endpoint
    site_url: str | None = None  # where site/ is published, for its w3id.org rules


@dataclass
class BuildState:
    """What the stages hand to each other while the build runs."""

    options: BuildOptions
    folder: Path
    """The temporary folder being built, renamed to the output at the end."""
    built: BuiltDataset | None = None
    store: Store | None = None
    """What the queries and networks read: the built graph, or the endpoint."""
    validation: ValidationStatus = field(default_factory=lambda: ValidationStatus(ran=False))
    network_pictures: list[str] = field(default_factory=list)
    helper: Helper = field(default_factory=Helper)
    """The process that draws the network pictures and documents the ontology while
    the other stages run (started at its first task)."""
    ontology_docs: int | None = None
    """The helper's task that writes ``ontology/index.html``."""

    @property
    def dataset(self) -> BuiltDataset:
        if self.built is None:  # pragma: no cover - the load stage always runs first
            raise DataError("internal: the dataset was not loaded")
        return self.built


@dataclass
class BuildResult:
    output: Path
    files: list[OutputFile]
    validation: ValidationStatus
    triples: int | None  # None: built from an endpoint (nothing loaded here)


Stage = tuple[str, Callable[[BuildState], None]]


def _load(state: BuildState) -> None:
    from ..store import OxigraphStore

    # One assembly (osce_kg.assembly) twice: into the dataset's one store, which the
    # stored queries and networks read, and into rdflib graphs for the exports and
    # the site, which must give the literals as written (the store normalises some).
    # The validation stage validates the same files.
    layout = DataLayout.default()
    state.store = OxigraphStore.open(layout)
    state.built = BuiltDataset.load(layout.dataset_files())


def _connect(state: BuildState) -> None:
    source = state.options.source
    if source is None:  # pragma: no cover - plan() connects only with a source
        raise DataError("internal: no endpoint to connect to")
    state.store = source.open()


def _store(state: BuildState) -> Store:
    if state.store is None:  # pragma: no cover - _load or _connect always runs first
        raise DataError("internal: no store to query")
    return state.store


def _validate(state: BuildState) -> None:
    state.validation = stages.validate(state.folder / "validation")
    if not state.validation.conforms:
        raise ValidationFailed(
            f"validation failed: {state.validation.summary} "
            "(see `osce-kg validate`; build with --no-validate to build anyway)"
        )


def _dataset(state: BuildState) -> None:
    from ..layout import DataLayout
    from ..loading import CLOSURE_HEADER, closure_update

    write_dataset(state.dataset, state.folder / "dataset")
    # The closure rules, for users who run the shapes in another SHACL engine.
    update = closure_update(DataLayout.default().ontology_files())
    if update is not None:
        text = CLOSURE_HEADER + update.replace(" ;\n", " ;\n\n") + "\n"
        (state.folder / "dataset" / "closure.ru").write_text(text, encoding="utf-8", newline="\n")


def _queries(state: BuildState) -> None:
    stages.run_queries(_store(state), state.folder / "queries")


def _networks(state: BuildState) -> None:
    folder = state.folder / "networks"
    state.network_pictures = stages.networks(_store(state), folder, state.folder, state.helper.draw)


def _ontology_docs(state: BuildState) -> None:
    from .. import namespaces as ns

    ontology = state.dataset.graphs.get(ns.ONTOLOGY_GRAPH)
    if ontology is None:
        raise DataError("cannot document the ontology: the build's input has no ontology files")
    # pyLODE (osce_kg.build.ontology_docs.write_ontology_docs), in the helper process.
    state.ontology_docs = state.helper.submit("ontology-docs", ontology, state.folder / "ontology")


def _site(state: BuildState) -> None:
    from .site import write_site

    # The pages link to the ontology's terms: the site holds its own copy.
    if state.ontology_docs is not None:
        state.helper.wait(state.ontology_docs)
    docs = state.folder / "ontology" / "index.html"
    ontology = docs.read_text(encoding="utf-8") if docs.is_file() else None
    write_site(state.dataset, state.folder / "site", state.options.site_url, ontology)


def _report(state: BuildState) -> None:
    # The report lists every other file, so it is written last; of the site, its
    # index stands for the thousand pages and descriptions it links to.
    state.helper.wait()
    files = [
        f
        for f in list_files(state.folder)
        if not f.path.startswith("site/") or f.path == "site/index.html"
    ]
    html = render_report(
        _store(state),
        asserted=state.dataset.asserted_triples,
        inferred=state.dataset.inferred_triples,
        validation=state.validation,
        files=files,
        network_pictures=state.network_pictures,
        answers=query_tables(state.folder / "queries"),
    )
    (state.folder / "index.html").write_text(html, encoding="utf-8", newline="\n")


def plan(options: BuildOptions) -> list[Stage]:
    """The stages a build with ``options`` runs, with a label for progress."""
    if options.source is not None:
        return [
            ("Connecting to the endpoint", _connect),
            ("Running the stored queries", _queries),
            ("Building the networks", _networks),
        ]
    # The ontology's page and the networks' pictures are made in the helper
    # process while the stages after them run: those tasks are handed over first.
    steps: list[Stage] = [
        ("Loading and materialising the graph", _load),
        ("Documenting the ontology", _ontology_docs),
        ("Building the networks", _networks),
    ]
    if options.validate:
        steps.append(("Validating", _validate))
    steps += [
        ("Writing the dataset", _dataset),
        ("Running the stored queries", _queries),
        ("Writing the Linked Data site", _site),
        ("Writing the report", _report),
    ]
    return steps


MARKER = ".osce-kg-build"
"""A file in every build's output: only a folder holding it is replaced by a build."""


def list_files(folder: Path) -> list[OutputFile]:
    """Every file under ``folder`` but the marker, sorted, with its size."""
    return [
        OutputFile(p.relative_to(folder).as_posix(), p.stat().st_size)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    ]


def check_output(output: Path) -> Path:
    """The output folder, resolved; InputError if replacing it could lose a user's files.

    The build replaces its output folder whole, so it refuses a folder that is
    not empty and was not made by a build (``-o .`` or ``-o ~`` would be lost).
    """
    resolved = output.resolve()
    if resolved.parent == resolved:
        raise InputError(f"-o {output}: cannot build into the root folder")
    if resolved.exists():
        if not resolved.is_dir():
            raise InputError(f"-o {output}: is a file, not a folder")
        if any(resolved.iterdir()) and not (resolved / MARKER).is_file():
            raise InputError(
                f"-o {output}: refusing to replace a folder that osce-kg did not build "
                f"(no {MARKER} file in it); remove it or choose another folder"
            )
    return resolved


Progress = Callable[[str, int, int], None]


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Run every stage into a temporary folder, then put it in place of ``options.output``.

    ``progress(label, done, total)`` is called before each stage and once at the end.
    """
    steps = plan(options)
    with atomic_directory(check_output(options.output)) as tmp:
        (tmp / MARKER).write_text(
            "Made by `osce-kg build`; the next build replaces this folder whole.\n",
            encoding="utf-8",
        )
        state = BuildState(options, tmp)
        failed = True
        try:
            for i, (label, stage) in enumerate(steps):
                if progress:
                    progress(label, i, len(steps))
                # The RDF writers recurse once per level of nested blank nodes:
                # each stage gets a stack deep enough for whatever the data holds.
                run_deep(functools.partial(stage, state))
            state.helper.wait()
            failed = False
        finally:
            state.helper.close(failed=failed)
        if progress:
            progress("Done", len(steps), len(steps))
        files = list_files(tmp)
    triples = None if state.built is None else len(state.built.union)
    return BuildResult(options.output, files, state.validation, triples)
