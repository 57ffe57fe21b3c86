"""What the report says about the build's files: each stored query's answer as a
table (its first rows, with its downloads beside it), and every download
described: what it is and which program opens it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import namespaces as ns

# Rows of each answer the report shows; the CSV beside it holds them all.
TABLE_ROWS = 100

# suffix -> (what the file is, what opens it)
KINDS: dict[str, tuple[str, str]] = {
    ".ttl": ("RDF in Turtle", "any RDF tool: rdflib, Apache Jena, Protégé, a text editor"),
    ".nt": ("RDF in N-Triples, one triple per line", "any RDF tool; grep and sort"),
    ".jsonld": ("RDF in JSON-LD", "any JSON-LD processor; a text editor"),
    ".trig": ("RDF in TriG, with its named graphs", "Apache Jena, rdflib, Oxigraph"),
    ".ru": ("a SPARQL 1.1 Update", "any SPARQL server (see docs/validation.md)"),
    ".csv": ("a table in CSV", "a spreadsheet (LibreOffice, Excel), pandas"),
    ".srj": ("SPARQL 1.1 JSON results", "SPARQL tools, any JSON reader"),
    ".json": ("JSON", "any JSON reader"),
    ".gexf": ("a network in GEXF", "Gephi, Gephi Lite"),
    ".graphml": ("a network in GraphML", "Gephi, yEd, Cytoscape, NetworkX"),
    ".png": ("a picture", "any image viewer"),
    ".svg": ("a picture (vector)", "a web browser, Inkscape"),
    ".html": ("a web page", "a web browser"),
    ".txt": ("plain text", "a text editor"),
}

# top folder -> what it holds
FOLDERS: dict[str, str] = {
    "dataset": "The whole graph (ontology, data, inferred triples) in four RDF syntaxes",
    "validation": "The validation report",
    "queries": "Every stored query's answer",
    "networks": "The networks: exports for Gephi, pictures, analyses",
    "ontology": "The ontology's documentation",
    "site": "The Linked Data site: a page and three descriptions per resource",
}


@dataclass
class FileGroup:
    folder: str
    description: str
    kinds: list[tuple[str, str, int]] = field(default_factory=list)  # suffix, what+opens, count
    files: list[tuple[str, int]] = field(default_factory=list)  # path, size


@dataclass
class Cell:
    text: str
    href: str | None = None


@dataclass
class QueryTable:
    name: str
    summary: str
    columns: list[str]
    rows: list[list[Cell]]
    total: int
    downloads: list[str]


def describe(paths: list[tuple[str, int]]) -> list[FileGroup]:
    """The files (path, size) grouped by their top folder, each folder with its
    description and the kinds of file in it."""
    groups: dict[str, FileGroup] = {}
    for path, size in paths:
        top = path.split("/", 1)[0] if "/" in path else ""
        group = groups.get(top)
        if group is None:
            group = groups[top] = FileGroup(top, FOLDERS.get(top, "The report"))
        group.files.append((path, size))
    for group in groups.values():
        counts: dict[str, int] = {}
        for path, _ in group.files:
            suffix = Path(path).suffix.lower()
            counts[suffix] = counts.get(suffix, 0) + 1
        group.kinds = [
            (s, "{}: {}".format(*KINDS[s]) if s in KINDS else "other", n)
            for s, n in sorted(counts.items())
        ]
    return [groups[k] for k in sorted(groups, key=lambda k: (k == "", k))]


def _cell(value: str) -> Cell:
    from ..sparql_results import short_iri
    from .describe import site_path

    href = f"site/{site_path(value)}.html" if value.startswith(ns.ID_NS) else None
    return Cell(short_iri(value), href)


def query_tables(folder: Path, limit: int = TABLE_ROWS) -> list[QueryTable]:
    """The stored queries' answers that the build wrote into ``folder`` (its
    ``index.json`` and CSV files), the first ``limit`` rows of each."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    tables = []
    for entry in index:
        files = entry.get("files", [])
        csv_name = next((f for f in files if f.endswith(".csv")), None)
        if csv_name is None:
            continue
        text = (folder / csv_name).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        header, body = (rows[0], rows[1:]) if rows else ([], [])
        tables.append(
            QueryTable(
                entry["name"],
                entry.get("summary", ""),
                header,
                [[_cell(v) for v in row] for row in body[:limit]],
                len(body),
                [f"queries/{f}" for f in files],
            )
        )
    return tables
