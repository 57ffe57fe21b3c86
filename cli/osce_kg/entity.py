"""Everything the graph says about one resource, and the passages it rests on.

Three queries, each with the resource bound as an RDF term (never pasted into
the query text): the statements about it, the statements that point at it,
and the annotations whose body it is, with their quoted passages.  Values that
are resources come with their English label, so a reader sees names, not only
IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .resultset import Store

_PREFIXES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

OUTGOING = (
    _PREFIXES
    + """
SELECT ?property ?value ?valueLabel WHERE {
  ?resource ?property ?value .
  OPTIONAL { ?value rdfs:label ?valueLabel FILTER (LANGMATCHES(LANG(?valueLabel), "en")) }
}"""
)

INCOMING = (
    _PREFIXES
    + """
SELECT ?subject ?subjectLabel ?property WHERE {
  ?subject ?property ?resource .
  FILTER (?property != oa:hasBody)
  OPTIONAL { ?subject rdfs:label ?subjectLabel FILTER (LANGMATCHES(LANG(?subjectLabel), "en")) }
}"""
)

PASSAGES = (
    _PREFIXES
    + """
SELECT ?annotation ?source ?start ?end ?exact WHERE {
  ?annotation oa:hasBody ?resource ;
              oa:hasTarget ?target .
  ?target oa:hasSource ?source ;
          oa:hasSelector ?position, ?quote .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
}"""
)


@dataclass
class Entity:
    iri: str
    outgoing: list[tuple[str, str, str | None]] = field(default_factory=list)
    incoming: list[tuple[str, str | None, str]] = field(default_factory=list)
    passages: list[tuple[str, int, int, str]] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.outgoing or self.incoming)


def _text(term: Any) -> str | None:
    return None if term is None else str(term)


def entity(store: Store, iri: str) -> Entity:
    """What ``store`` holds about ``iri``."""
    from rdflib import URIRef

    from .sparql_results import short

    bound = {"resource": URIRef(iri)}
    found = Entity(iri)
    for prop, value, label in store.select(OUTGOING, bound).rows:
        found.outgoing.append((short(prop), short(value), _text(label)))
    for subject, label, prop in store.select(INCOMING, bound).rows:
        found.incoming.append((short(subject), _text(label), short(prop)))
    for _annotation, source, start, end, exact in store.select(PASSAGES, bound).rows:
        found.passages.append((short(source), int(str(start)), int(str(end)), str(exact)))
    found.outgoing.sort()
    found.incoming.sort(key=lambda row: (row[2], row[0]))
    found.passages.sort(key=lambda row: (row[0], row[1]))
    return found


def entity_text(found: Entity) -> str:
    """``found`` for a reader: statements, what points at it, the passages."""
    lines = [found.iri, ""]
    if found.outgoing:
        lines.append("Statements")
        width = max(len(p) for p, _, _ in found.outgoing)
        for prop, value, label in found.outgoing:
            shown = f"{value} ({label})" if label and label != value else value
            lines.append(f"  {prop.ljust(width)}  {shown}")
        lines.append("")
    if found.incoming:
        lines.append("Pointed at by")
        for subject, label, prop in found.incoming:
            shown = f"{subject} ({label})" if label else subject
            lines.append(f"  {shown} {prop}")
        lines.append("")
    if found.passages:
        lines.append("Passages")
        for source, start, end, exact in found.passages:
            lines.append(f"  {source} {start}-{end}: “{exact}”")
        lines.append("")
    return "\n".join(lines)


def entity_json(found: Entity) -> str:
    import json

    doc = {
        "resource": found.iri,
        "statements": [{"property": p, "value": v, "label": lbl} for p, v, lbl in found.outgoing],
        "pointedAtBy": [
            {"subject": s, "label": lbl, "property": p} for s, lbl, p in found.incoming
        ],
        "passages": [
            {"source": s, "start": a, "end": b, "exact": e} for s, a, b, e in found.passages
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
