"""Everything the graph says about one resource, and the passages it rests on.

Three queries, each with the resource bound as an RDF term (never pasted into
the query text): the statements about it, the statements that point at it,
and the annotations whose body it is, with their quoted passages.  Values that
are resources come with their English label, so a reader sees names, not only
IRIs.
"""

from __future__ import annotations

import re
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


# --------------------------------------------------------------------------- coverage

COVERAGE = (
    _PREFIXES
    + """
SELECT ?resource ?start ?end WHERE {
  ?annotation oa:hasBody ?resource ;
              oa:hasTarget ?target .
  ?target oa:hasSource ?source ;
          oa:hasSelector ?position .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""
)

# A sentence ends at ".", "!" or "?" (a closing quote may follow) before white
# space and a capital or an opening quote, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"']?\s+(?=[A-Z“\"‘(])|\n+")


@dataclass(frozen=True)
class Sentence:
    number: int
    start: int
    end: int
    text: str
    resources: tuple[str, ...]


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as code-point spans (white space between them left out)."""
    spans, at = [], 0
    for m in _SENTENCE_END.finditer(text):
        cut = m.start() + (len(m.group()) - len(m.group().lstrip("”’\"'")))
        if text[at:cut].strip():
            spans.append((at, cut))
        at = m.end()
    if text[at:].strip():
        spans.append((at, len(text.rstrip())))
    return spans


def coverage(store: Store, source_iri: str, text: str) -> list[Sentence]:
    """Each sentence of a source with the resources whose annotations fall in it."""
    from rdflib import URIRef

    from .sparql_results import short

    spans = [
        (short(r), int(str(s)), int(str(e)))
        for r, s, e in store.select(COVERAGE, {"source": URIRef(source_iri)}).rows
    ]
    out = []
    for number, (start, end) in enumerate(sentences(text), 1):
        inside = sorted({r for r, s, e in spans if s < end and e > start})
        out.append(Sentence(number, start, end, text[start:end], tuple(inside)))
    return out


def coverage_markdown(slug: str, rows: list[Sentence]) -> str:
    """The coverage as a Markdown page: every sentence, what it became, and the
    sentences no fact covers."""
    uncovered = [s for s in rows if not s.resources]
    lines = [
        f"# Coverage of `{slug}`",
        "",
        "Generated by `osce-kg source coverage "
        f"{slug} --format markdown`: each sentence of the source, with the resources whose "
        "annotations fall in it. A reader can check what each sentence became in the graph.",
        "",
        f"{len(rows)} sentences; {len(rows) - len(uncovered)} covered, {len(uncovered)} not. "
        "The title and the publication date are the source's own properties "
        "(`dcterms:title`, `dcterms:issued` in its `article.ttl`), not facts cited by an "
        "annotation.",
        "",
    ]
    for s in rows:
        lines.append(f"## {s.number} ({s.start}–{s.end})")
        lines.append("")
        lines.append("> " + " ".join(s.text.split()))
        lines.append("")
        if s.resources:
            lines += [f"- `{r}`" for r in s.resources]
        else:
            lines.append("*No fact of the graph cites this sentence.*")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
