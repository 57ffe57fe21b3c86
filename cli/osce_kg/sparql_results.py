"""Write query answers: SELECT rows in the W3C SPARQL 1.1 result formats and as
tables, graphs as Turtle / N-Triples / JSON-LD.

* ``json`` — SPARQL 1.1 Query Results JSON Format (``application/sparql-results+json``);
* ``csv`` — SPARQL 1.1 CSV: header of variable names, plain values (IRIs bare,
  literals as their lexical form), CRLF line ends, RFC 4180 quoting;
* ``tsv`` — SPARQL 1.1 TSV: header of ``?var``, every term in SPARQL/Turtle syntax;
* ``table`` / ``markdown`` — for people: IRIs shortened with the project's prefixes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib.term import BNode, Identifier, Literal, URIRef

from . import namespaces as ns
from .output import render_rows
from .store import SelectResult

SELECT_FORMATS = ("table", "csv", "tsv", "json", "markdown")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


def term_json(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def to_json(result: SelectResult) -> str:
    bindings = [
        {v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc: dict[str, Any] = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def boolean_json(value: bool) -> str:
    return json.dumps({"head": {}, "boolean": value}) + "\n"


def _csv_value(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: SelectResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def _tsv_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def tsv_term(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = _tsv_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    raise TypeError(f"not an RDF term: {term!r}")


def to_tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def short(term: Identifier | None) -> str:
    """A term for people: ``id:person/x`` for project IRIs, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        # Longest namespace first, so that id: wins over a shorter prefix.
        for prefix, iri in sorted(ns.PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if text.startswith(iri) and len(text) > len(iri):
                return f"{prefix}:{text[len(iri) :]}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def render_select(result: SelectResult, fmt: str) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    rows = [[short(t) for t in row] for row in result.rows]
    return render_rows(result.variables, rows, fmt)


def render_boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return boolean_json(value)
    return ("true" if value else "false") + "\n"


def render_graph(graph: Any, fmt: str) -> str:
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri)
    text: str = graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt])
    return text
