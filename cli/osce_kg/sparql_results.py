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
from typing import TYPE_CHECKING, Any

from . import namespaces as ns
from .rows import ROW_FORMATS, render_rows
from .sparql_bind import quote_string

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from .resultset import SelectResult

SELECT_FORMATS = ROW_FORMATS
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# A term as the writers see it: (kind, value, datatype, language), kind being
# "uri", "bnode" or "literal".  Both rdflib's and pyoxigraph's terms map to it,
# so the quick path (pyoxigraph alone) prints exactly what the full path prints.
Parts = tuple[str, str, str | None, str | None]


def parts(term: Any) -> Parts:
    """The :data:`Parts` of an rdflib or a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, None, term.language)
        dt = term.datatype.value
        return ("literal", term.value, None if dt in (_XSD_STRING, _RDF_LANGSTRING) else dt, None)
    from rdflib.term import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), None, term.language)
        rdf_dt = str(term.datatype) if term.datatype is not None else None
        return ("literal", str(term), None if rdf_dt == _XSD_STRING else rdf_dt, None)
    raise TypeError(f"not an RDF term: {term!r}")


def term_json(term: Any) -> dict[str, str]:
    kind, value, datatype, lang = parts(term)
    out = {"type": kind, "value": value}
    if lang:
        out["xml:lang"] = lang
    elif datatype is not None:
        out["datatype"] = datatype
    return out


def term_from_json(value: dict[str, str] | None) -> Identifier | None:
    """The rdflib term of a SPARQL 1.1 JSON results term (:func:`term_json`'s
    inverse; also reads SPARQL 1.0's ``typed-literal``); None for None.
    ``xsd:string`` literals come back plain.  ValueError for anything else."""
    from rdflib.term import BNode, Literal, URIRef

    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"not a SPARQL JSON term: {value!r}")
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(text, lang=lang)
        dt = value.get("datatype")
        return Literal(text, datatype=URIRef(dt) if dt and dt != _XSD_STRING else None)
    raise ValueError(f"not a SPARQL JSON term: {value!r}")


def to_json(result: SelectResult) -> str:
    bindings = [
        {v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc: dict[str, Any] = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def boolean_json(value: bool) -> str:
    return json.dumps({"head": {}, "boolean": value}) + "\n"


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    kind, value, _, _ = parts(term)
    return f"_:{value}" if kind == "bnode" else value


def to_csv(result: SelectResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def tsv_term(term: Any) -> str:
    if term is None:
        return ""
    kind, value, datatype, lang = parts(term)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = quote_string(value)
    if lang:
        return f"{text}@{lang}"
    if datatype is not None:
        return f"{text}^^<{datatype}>"
    return text


def to_tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def short(term: Any) -> str:
    """A term for people: ``id:person/x`` for project IRIs, the text of literals."""
    if term is None:
        return ""
    kind, value, _, _ = parts(term)
    if kind == "uri":
        # Longest namespace first, so that id: wins over a shorter prefix.
        for prefix, iri in sorted(ns.PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(iri) and len(value) > len(iri):
                return f"{prefix}:{value[len(iri) :]}"
        return value
    if kind == "bnode":
        return f"_:{value}"
    return value


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
