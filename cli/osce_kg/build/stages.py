"""The build's stages that drive the other parts of osce-kg: validation, the
stored queries and the networks.

Each stage calls the library of its part (``osce_kg.validation``,
``osce_kg.queries``, ``osce_kg.network``) on the built graph and writes its
files into the build folder.  A stage whose part is missing from the install
fails the build with a message naming it: a build never leaves a part out
without saying so.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import rdflib

from ..errors import DataError
from .dataset import BuiltDataset, turtle
from .report import ValidationStatus


def _require(module: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise DataError(
                f"cannot build {what}: module {module} is missing from this installation"
            ) from None
        raise


# ---------------------------------------------------------------------------
# Stored queries
# ---------------------------------------------------------------------------


def _row_key(row: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if t is None else (1, t.n3()) for t in row)


def run_queries(built: BuiltDataset, folder: Path) -> list[dict[str, Any]]:
    """Run every stored query (sub-folders included) on the built graph.

    SELECT answers are written as CSV and SPARQL JSON (``.srj``), ASK answers as
    SPARQL JSON, CONSTRUCT/DESCRIBE answers as Turtle.  A query without
    ``ORDER BY`` has its rows sorted, so that the files do not depend on the
    store's hash order.  A query that needs a parameter with no default is
    listed in ``index.json`` as not run, with the reason.
    """
    queries = _require("osce_kg.queries", "the stored queries' results")
    results = _require("osce_kg.sparql_results", "the stored queries' results")
    store_mod = _require("osce_kg.store", "the stored queries' results")
    store = store_mod.EmbeddedStore(built.union)
    folder.mkdir(parents=True, exist_ok=True)
    index: list[dict[str, Any]] = []
    for q in queries.catalogue(all_folders=True):
        entry: dict[str, Any] = {"name": q.name, "kind": q.kind, "summary": q.summary}
        missing = [p.name for p in q.params if p.required and p.default is None]
        if missing:
            entry["status"] = "not run: needs parameter " + ", ".join(missing)
            entry["files"] = []
            index.append(entry)
            continue
        bindings = queries.bind_values(q, {})
        base = folder / q.name
        base.parent.mkdir(parents=True, exist_ok=True)
        files: list[Path] = []
        if q.kind == "SELECT":
            result = store.select(q.text, bindings)
            if not q.ordered:
                result.rows.sort(key=_row_key)
            files = [base.with_suffix(".csv"), base.with_suffix(".srj")]
            files[0].write_text(results.to_csv(result), encoding="utf-8", newline="")
            files[1].write_text(results.to_json(result), encoding="utf-8", newline="\n")
            entry["rows"] = len(result.rows)
        elif q.kind == "ASK":
            answer = store.ask(q.text, bindings)
            files = [base.with_suffix(".srj")]
            files[0].write_text(results.boolean_json(answer), encoding="utf-8", newline="\n")
            entry["boolean"] = answer
        else:
            graph: rdflib.Graph = store.construct(q.text, bindings)
            files = [base.with_suffix(".ttl")]
            files[0].write_text(turtle(graph), encoding="utf-8", newline="\n")
            entry["triples"] = len(graph)
        entry["status"] = "ok"
        entry["files"] = [p.relative_to(folder).as_posix() for p in files]
        index.append(entry)
    (folder / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    return index


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def validate(built: BuiltDataset, folder: Path) -> ValidationStatus:
    """Validate the shipped data; write the report as text and JSON into ``folder``.

    The validation library loads the files itself (it needs each triple's file
    and line for its messages), so it validates exactly what the build loaded:
    the shipped ontology and graph.  Fails at violations, as ``osce-kg
    validate`` does by default.
    """
    validation = _require("osce_kg.validation", "the validation report")
    reports = _require("osce_kg.validation.reports", "the validation report")
    report = validation.validate()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.txt").write_text(reports.render_text(report), encoding="utf-8", newline="\n")
    (folder / "report.json").write_text(reports.render_json(report), encoding="utf-8", newline="\n")
    counts = {s.label: report.count(s) for s in sorted(validation.Severity, reverse=True)}
    return ValidationStatus(
        ran=True,
        conforms=report.conforms(),
        counts=counts,
        summary=report.summary(),
        files=["validation/report.txt", "validation/report.json"],
    )


# ---------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------


NETWORK_EXPORTS = (("gexf", ".gexf"), ("graphml", ".graphml"), ("json", ".json"))


def networks(built: BuiltDataset, folder: Path, root: Path) -> list[str]:
    """Build every network; write its exports, pictures and analyses into ``folder/<name>/``.

    Returns the pictures' paths relative to ``root`` (the build folder), for the report.
    """
    network = _require("osce_kg.network", "the networks")
    exports = _require("osce_kg.network.exports", "the network exports")
    draw = _require("osce_kg.network.draw", "the network pictures")
    analysis = _require("osce_kg.network.analysis", "the network analyses")
    from ..output import render_rows
    from ..store import EmbeddedStore

    store = EmbeddedStore(built.union)
    pictures: list[str] = []
    index: list[dict[str, Any]] = []
    for name, description in sorted(network.NETWORKS.items()):
        graph = network.build_network(store, name)
        out = folder / name
        out.mkdir(parents=True, exist_ok=True)
        for fmt, suffix in NETWORK_EXPORTS:
            exports.export_network(graph, fmt, out / f"{name}{suffix}")
        # Gephi's spreadsheet import: nodes.csv and edges.csv in a folder.
        exports.export_network(graph, "csv", out / "csv")
        for suffix in (".png", ".svg"):
            path = out / f"{name}{suffix}"
            draw.draw_network(graph, path, title=f"{name}: {description}")
            pictures.append(path.relative_to(root).as_posix())
        (out / "analysis").mkdir(exist_ok=True)
        present = {str(d.get("kind", "other")) for _, d in graph.nodes(data=True)}
        entry: dict[str, Any] = {"name": name, "description": description, "analyses": {}}
        for section in analysis.SECTIONS:
            missing = _projection_needs(section, present)
            if missing:
                entry["analyses"][section] = f"not applicable: the network has no {missing} nodes"
                continue
            columns, rows = analysis.section_table(graph, section)
            (out / "analysis" / f"{section}.csv").write_text(
                render_rows(columns, rows, "csv"), encoding="utf-8", newline=""
            )
            entry["analyses"][section] = f"analysis/{section}.csv"
        entry["files"] = sorted(
            p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
        )
        index.append(entry)
    (folder / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    return pictures


def _projection_needs(section: str, present: set[str]) -> str:
    """The node kind a projection section lacks in a network ("" if it can run).

    The bipartite projections pair persons through events and events through
    actors; a network without one of the two sides (person-organisation has no
    events) has no such table.
    """
    actors = {"person", "organisation", "mission"}
    if section == "persons":
        return (
            "" if {"person", "event"} <= present else ("event" if "person" in present else "person")
        )
    if section == "events":
        if "event" not in present:
            return "event"
        return "" if present & actors else "person or organisation"
    return ""
