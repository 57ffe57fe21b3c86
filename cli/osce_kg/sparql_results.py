"""Write query answers: SELECT rows in the W3C SPARQL 1.1 result formats and as
tables, graphs as Turtle / N-Triples / JSON-LD.

* ``json`` — SPARQL 1.1 Query Results JSON Format (``application/sparql-results+json``);
* ``csv`` — SPARQL 1.1 CSV: header of variable names, plain values (IRIs bare,
  literals as their lexical form), CRLF line ends, RFC 4180 quoting;
* ``tsv`` — the CSV's plain values separated by tabs, for spreadsheets and pandas;
* ``sparql-tsv`` — SPARQL 1.1 TSV: header of ``?var``, every term in SPARQL/Turtle syntax;
* ``table`` / ``markdown`` — for people: IRIs shortened with the project's prefixes.

:data:`SELECT_WRITERS` and :data:`GRAPH_WRITERS` are the registries of these
formats; ``osce-kg query``'s choices and ``--help`` read them.  This module
imports no rdflib at import time, so the command line can.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import namespaces as ns
from .rows import render_rows
from .sparql_bind import LANGUAGE_TAG as _LANG
from .sparql_bind import iri_problem, quote_string

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from .resultset import SelectResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# A term as the writers see it: (kind, value, datatype, language), kind being
# "uri", "bnode" or "literal".  Both rdflib's and pyoxigraph's terms map to it,
# so an answer prints the same from either library's terms (``native=True`` or not).
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
    if kind == "triple":
        raise ValueError("not a SPARQL JSON term osce-kg reads (an RDF-star quoted triple)")
    text = value.get("value", "")
    if not isinstance(text, str):
        raise ValueError(f"not a SPARQL JSON term: a value {str(text)[:80]!r}")
    if kind == "uri":
        if problem := iri_problem(text):
            raise ValueError(f"not a SPARQL JSON term: a bad IRI {text[:80]!r}: {problem}")
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            if not isinstance(lang, str) or not _LANG.match(lang):
                raise ValueError(f"not a SPARQL JSON term: a bad language tag {str(lang)[:40]!r}")
            return Literal(text, lang=lang)
        dt = value.get("datatype")
        if dt is not None and (not isinstance(dt, str) or iri_problem(dt)):
            raise ValueError(f"not a SPARQL JSON term: a bad datatype IRI {str(dt)[:80]!r}")
        # An ill-typed literal ("-1"^^xsd:nonNegativeInteger) is kept as it is:
        # it is the data's, and the local stores give it the same way.
        return Literal(text, datatype=URIRef(dt) if dt and dt != _XSD_STRING else None)
    raise ValueError(f"not a SPARQL JSON term: {str(value)[:80]!r}")


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


def to_plain_tsv(result: SelectResult) -> str:
    """Plain values (as in :func:`to_csv`) separated by tabs: what a spreadsheet or
    ``pandas.read_csv(sep="\\t")`` expects."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def to_tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def short_iri(value: str) -> str:
    """``id:person/x`` for an IRI in one of the project's namespaces, else the IRI."""
    # Longest namespace first, so that id: wins over a shorter prefix.
    for prefix, iri in sorted(ns.PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if value.startswith(iri) and len(value) > len(iri):
            return f"{prefix}:{value[len(iri) :]}"
    return value


def short(term: Any) -> str:
    """A term for people: ``id:person/x`` for project IRIs, the text of literals."""
    if term is None:
        return ""
    kind, value, _, _ = parts(term)
    if kind == "uri":
        return short_iri(value)
    if kind == "bnode":
        return f"_:{value}"
    return value


def _for_people(fmt: str) -> Callable[[SelectResult], str]:
    def render(result: SelectResult) -> str:
        rows = [[short(t) for t in row] for row in result.rows]
        return render_rows(result.variables, rows, fmt)

    return render


def _plain_boolean(value: bool) -> str:
    return ("true" if value else "false") + "\n"


@dataclass(frozen=True)
class SelectWriter:
    """A format of SELECT answers; ``boolean`` writes an ASK answer in it, if it can."""

    name: str
    description: str
    rows: Callable[[SelectResult], str]
    boolean: Callable[[bool], str] | None = None
    suffixes: tuple[str, ...] = ()
    """Output file suffixes that name this format (``-o rows.csv``)."""


@dataclass(frozen=True)
class GraphWriter:
    """A format of CONSTRUCT/DESCRIBE answers: rdflib's serializer ``rdflib_format``."""

    name: str
    description: str
    rdflib_format: str
    suffixes: tuple[str, ...] = ()


SELECT_WRITERS: dict[str, SelectWriter] = {
    w.name: w
    for w in (
        SelectWriter("table", "aligned text", _for_people("table"), _plain_boolean),
        SelectWriter("csv", "W3C SPARQL results CSV", to_csv, suffixes=(".csv",)),
        SelectWriter("tsv", "plain values, tab-separated", to_plain_tsv, suffixes=(".tsv",)),
        SelectWriter("sparql-tsv", "W3C SPARQL results TSV", to_tsv),
        SelectWriter("json", "W3C SPARQL results JSON", to_json, boolean_json, (".json", ".srj")),
        SelectWriter("markdown", "a Markdown table", _for_people("markdown"), suffixes=(".md",)),
    )
}
"""The formats of SELECT answers, the default (``table``) first."""

GRAPH_WRITERS: dict[str, GraphWriter] = {
    w.name: w
    for w in (
        GraphWriter("turtle", "Turtle", "turtle", (".ttl",)),
        GraphWriter("nt", "N-Triples", "nt", (".nt",)),
        GraphWriter("jsonld", "JSON-LD", "json-ld", (".jsonld",)),
    )
}
"""The formats of CONSTRUCT/DESCRIBE answers, the default (``turtle``) first."""

SELECT_FORMATS = tuple(SELECT_WRITERS)
ASK_FORMATS = tuple(name for name, w in SELECT_WRITERS.items() if w.boolean is not None)
GRAPH_FORMATS = tuple(GRAPH_WRITERS)


def formats_help() -> str:
    """The ``--format`` help of ``osce-kg query``: every format, by kind of answer."""

    def listed(writers: dict[str, Any]) -> str:
        items = [f"{name} ({w.description})" for name, w in writers.items()]
        items[0] = items[0].replace(" (", " (default; ", 1)
        return ", ".join(items)

    return f"SELECT: {listed(SELECT_WRITERS)}; CONSTRUCT/DESCRIBE: {listed(GRAPH_WRITERS)}."


def render_select(result: SelectResult, fmt: str) -> str:
    return SELECT_WRITERS[fmt].rows(result)


def render_boolean(value: bool, fmt: str) -> str:
    write = SELECT_WRITERS[fmt].boolean
    return (write or _plain_boolean)(value)


def render_graph(graph: Any, fmt: str) -> str:
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri)
    text: str = graph.serialize(format=GRAPH_WRITERS[fmt].rdflib_format)
    return text
