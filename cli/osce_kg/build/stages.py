"""The build's stages that drive the other parts of osce-kg: validation, the
stored queries and the networks.

Each stage calls the library of its part (``osce_kg.validation``,
``osce_kg.queries``, ``osce_kg.network``) on the built graph and writes its
files into the build folder.  (A Python package missing from the installation
fails ``osce-kg build`` with one line naming it: see :mod:`osce_kg.commands.build`.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib

from .dataset import row_key, turtle
from .report import ValidationStatus

if TYPE_CHECKING:
    from ..resultset import Store

# draw_networks' shape: (graph, paths, *, title, positions) -> None.
DrawPictures = Callable[..., None]

# ---------------------------------------------------------------------------
# Stored queries
# ---------------------------------------------------------------------------


def run_queries(store: Store, folder: Path) -> list[dict[str, Any]]:
    """Run every stored query (sub-folders included) on ``store`` (the built graph,
    or a SPARQL endpoint).

    SELECT answers are written as CSV and SPARQL JSON (``.srj``), ASK answers as
    SPARQL JSON, CONSTRUCT/DESCRIBE answers as Turtle.  A query without
    ``ORDER BY`` has its rows sorted, so that the files do not depend on the
    store's hash order.  A query that needs a parameter with no default is
    listed in ``index.json`` as not run, with the reason.
    """
    from .. import catalogue, queries, runner
    from .. import sparql_results as results

    folder.mkdir(parents=True, exist_ok=True)
    index: list[dict[str, Any]] = []
    for q in catalogue.catalogue(all_folders=True):
        if q.name.startswith("checks/"):
            # The checks read the validation's own layout (the ontology in a graph of its
            # own, source texts): their rows are the validation report's, not the dataset's.
            continue
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
            result = runner.select(store, q, bindings)
            if not q.ordered:
                result.rows.sort(key=row_key)
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


def validate(folder: Path) -> ValidationStatus:
    """Validate the shipped data; write the report as text and JSON into ``folder``.

    The validation library loads the files itself (it needs each triple's file
    and line for its messages), so it validates exactly what the build loaded:
    the shipped ontology and graph.  Fails at violations, as ``osce-kg
    validate`` does by default.
    """
    from .. import validation
    from ..layout import DataLayout
    from ..validation import reports

    # Paths relative to the data folder, so the report is the same wherever it was built.
    layers = DataLayout.default().layers
    report = validation.validate().relative_to(*(layer.root for layer in reversed(layers)))
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


def networks(store: Store, folder: Path, root: Path, draw_pictures: DrawPictures) -> list[str]:
    """Build every network from ``store`` (the built graph, or a SPARQL endpoint);
    write its exports, pictures and analyses into ``folder/<name>/``.

    The networks come from one round of the stored network queries; each is
    measured once (the exports carry the figures as node attributes, as
    ``osce-kg network export`` writes them, and the analyses show them) and
    laid out once (the GEXF positions and both pictures).  The pictures are
    drawn by ``draw_pictures``, in the shape of
    :func:`osce_kg.network.draw.draw_networks` (the build's hands them to another
    process, which draws while the build goes on).
    Returns the pictures' paths relative to ``root`` (the build folder), for the
    report.
    """
    from ..network import NETWORKS, SECTIONS, analysis, exports, style
    from ..network.build import build_all
    from ..rows import render_rows

    graphs = build_all(store)
    pictures: list[str] = []
    index: list[dict[str, Any]] = []
    for name, description in sorted(NETWORKS.items()):
        graph = graphs[name]
        measures = analysis.measure(graph)
        analysis.annotate(graph, measures=measures)
        positions = style.layout(graph)
        out = folder / name
        out.mkdir(parents=True, exist_ok=True)
        for exporter in exports.EXPORTERS.values():
            # A folder format (Gephi's spreadsheet import) gets a folder named after it.
            target = out / (exporter.name if exporter.folder else f"{name}{exporter.suffix}")
            exports.export_network(graph, exporter.name, target, positions=positions)
        paths = [out / f"{name}{suffix}" for suffix in (".png", ".svg")]
        draw_pictures(graph, paths, title=f"{name}: {description}", positions=positions)
        pictures += [path.relative_to(root).as_posix() for path in paths]
        (out / "analysis").mkdir(exist_ok=True)
        entry: dict[str, Any] = {"name": name, "description": description, "analyses": {}}
        for section in SECTIONS:
            reason = analysis.inapplicable(graph, section)
            if reason is not None:
                entry["analyses"][section] = f"not applicable: {reason}"
                continue
            columns, rows = analysis.section_table(graph, section, measures=measures)
            (out / "analysis" / f"{section}.csv").write_text(
                render_rows(columns, rows, "csv"), encoding="utf-8", newline=""
            )
            entry["analyses"][section] = f"analysis/{section}.csv"
        # Not a picture's temporary file, which the drawing process may be writing.
        written = {
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".tmp"))
        }
        entry["files"] = sorted(written | {p.name for p in paths})  # pictures may be drawing
        index.append(entry)
    (folder / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    return pictures
