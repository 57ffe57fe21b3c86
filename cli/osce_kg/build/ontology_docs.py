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

import importlib.metadata
import importlib.util
import logging
import sys
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
        from pylode import OntPub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return OntPub


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
