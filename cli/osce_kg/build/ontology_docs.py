"""HTML documentation of the ontology, made with pyLODE.

pyLODE 3.4.1 (the latest release) cannot be imported from an installed wheel:
its ``pylode/version.py`` reads a ``pyproject.toml`` that the wheel does not
ship (RDFLib/pyLODE#260, fixed upstream after that release).  We give it the
version module it wants, with the version taken from the installed package's
metadata, before importing it.  pyLODE also calls
``logging.basicConfig(level=DEBUG)`` (on import and while rendering); the root
logger is restored afterwards so that the build's output stays quiet.

pyLODE takes every ``skos:ConceptScheme`` in the graph for the document's
ontology as well: it titles the page and merges the metadata of whichever it
meets last, in hash order, so the page changed between runs and could be
titled "osce-kg topics".  Our schemes (topics, ranks, event statuses) are
documented as the named individuals they also are; pyLODE is given the
ontology without their ``skos:ConceptScheme`` type.  The page is then
deterministic for a given ontology (checked by the build tests): the only
date in it is the ontology's own ``dcterms:created``.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import logging
import pickle
import shutil
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import RDF, SKOS

from ..errors import DataError


def _import_ontpub() -> Any:
    spec = importlib.util.find_spec("pylode")
    if spec is None or spec.origin is None:
        raise DataError("pyLODE is not installed (pip install pylode)")
    wants = Path(spec.origin).parent.parent / "pyproject.toml"
    if "pylode.version" not in sys.modules and not wants.is_file():
        shim = types.ModuleType("pylode.version")
        shim.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = shim
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import pylode.profiles.ontpub as ontpub
        import pylode.utils
        from pylode import OntPub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    ontpub.load_background_onts = functools.partial(_background_ontologies, pylode.utils)
    return OntPub


def _background_ontologies(utils: Any) -> Any:
    """pyLODE's background ontologies, which it parses from the Turtle files of its
    package and keeps as a pickle beside them, written in place: a first run
    killed or run twice at once leaves a truncated pickle that breaks every later
    run (EOFError), and a read-only install cannot write it.  Here the files are
    parsed in a private folder of the cache, renamed into place whole, and read
    from there; a folder damaged since is made again."""
    from ..atomic import made_folder
    from ..layout import cache_root
    from ..memo import versions

    source = Path(utils.__file__).parent / "rdf"
    folder = cache_root() / "pylode" / versions("pylode").replace(" ", "-")

    def make(made: Path) -> None:
        made.mkdir()
        _made_in(utils, source, made)

    if not made_folder(folder, make):  # no cache folder: a folder of this run's own
        with tempfile.TemporaryDirectory(prefix="osce-kg-pylode-") as own:
            return _made_in(utils, source, Path(own))
    try:
        return _in_folder(utils, folder)
    except (EOFError, pickle.UnpicklingError):
        shutil.rmtree(folder, ignore_errors=True)
        made_folder(folder, make)
        return _in_folder(utils, folder)


def _made_in(utils: Any, source: Path, folder: Path) -> Any:
    for turtle in source.glob("*.ttl"):
        shutil.copyfile(turtle, folder / turtle.name)
    return _in_folder(utils, folder)  # parses the files, writes folder/refs.pickle


def _in_folder(utils: Any, folder: Path) -> Any:
    """pyLODE's own loader, reading (and writing) its folder ``folder``."""
    original = utils.RDF_FOLDER
    utils.RDF_FOLDER = folder
    try:
        return utils.load_background_onts()
    finally:
        utils.RDF_FOLDER = original


def ontology_html(ontology: rdflib.Graph) -> str:
    """pyLODE's OntPub page for ``ontology`` (a graph holding only the ontology);
    the page made before for the same triples and pyLODE (:mod:`osce_kg.memo`)."""
    from .. import memo

    triples = sorted(set(ontology.serialize(format="nt").splitlines()) - {""})
    page = memo.memoised(
        "ontology-page",
        ["\n".join(triples), memo.versions("pylode", "rdflib", "dominate", "markdown")],
        lambda: _make_html(ontology).encode("utf-8"),
    )
    return page.decode("utf-8")


def _make_html(ontology: rdflib.Graph) -> str:
    ontpub = _import_ontpub()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.setLevel(max(level, logging.WARNING))
    try:
        # A copy: pyLODE changes the graph it is given (it adds inferred labels).
        copy = rdflib.Graph()
        copy += ontology
        copy.remove((None, RDF.type, SKOS.ConceptScheme))
        # sort_subjects: pyLODE lists terms in the order the graph yields them.
        html: str = ontpub(ontology=copy, sort_subjects=True).make_html()
    except Exception as exc:  # pyLODE raises many kinds of error on bad input
        raise DataError(
            f"pyLODE could not document the ontology: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return html if html.endswith("\n") else html + "\n"


def write_ontology_docs(ontology: rdflib.Graph, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    path.write_text(ontology_html(ontology), encoding="utf-8", newline="\n")
    return path
