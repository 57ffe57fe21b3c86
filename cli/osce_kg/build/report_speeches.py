"""The report's speeches and their quotations, fetched by SPARQL from the dataset
store (the other sections are :mod:`.report_data`'s)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib.term import Literal

from ..errors import DataError
from ..resultset import Store
from .report_data import anchor, select_rows, text_of


@dataclass
class Quotation:
    iri: str
    anchor: str
    text: str
    sequence: int
    verb: str
    source_anchor: str
    start: int
    end: int


@dataclass
class Speech:
    iri: str
    anchor: str
    label: str
    speaker: str
    speaker_anchor: str
    event: str
    event_anchor: str
    capacity: str
    on_behalf_of: str
    quotations: list[Quotation]


def speeches(store: Store) -> list[Speech]:
    rows = select_rows(
        store,
        """
        SELECT ?s ?label ?speaker ?speakerLabel ?event ?eventLabel ?capacity ?behalf WHERE {
          ?s a okg:Speech .
          OPTIONAL { ?s rdfs:label ?label }
          OPTIONAL { ?s okg:speaker ?speaker . OPTIONAL { ?speaker rdfs:label ?speakerLabel } }
          OPTIONAL { ?s okg:deliveredAt ?event . OPTIONAL { ?event rdfs:label ?eventLabel } }
          OPTIONAL { ?s okg:capacity/rdfs:label ?capacity }
          OPTIONAL { ?s okg:onBehalfOf/rdfs:label ?behalf }
        }
        """,
    )
    quotes = quotations(store)
    out: dict[str, Speech] = {}
    capacities: dict[str, set[str]] = defaultdict(set)
    behalf: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        iri = text_of(r["s"])
        if r["capacity"] is not None:
            capacities[iri].add(text_of(r["capacity"]))
        if r["behalf"] is not None:
            behalf[iri].add(text_of(r["behalf"]))
        if iri in out:
            continue  # a second label or speaker: the first in sorted order is shown
        out[iri] = Speech(
            iri=iri,
            anchor=anchor(iri),
            label=text_of(r["label"]) or iri,
            speaker=text_of(r["speakerLabel"]) or text_of(r["speaker"]),
            speaker_anchor=anchor(text_of(r["speaker"])) if r["speaker"] is not None else "",
            event=text_of(r["eventLabel"]) or text_of(r["event"]),
            event_anchor=anchor(text_of(r["event"])) if r["event"] is not None else "",
            capacity="",
            on_behalf_of="",
            quotations=sorted(quotes.get(iri, []), key=lambda q: (q.sequence, q.start)),
        )
    for iri, speech in out.items():
        speech.capacity = " and ".join(sorted(capacities[iri]))
        speech.on_behalf_of = " and ".join(sorted(behalf[iri]))
    return sorted(out.values(), key=lambda s: (s.speaker, s.label))


def quotations(store: Store) -> dict[str, list[Quotation]]:
    """Quotations by speech IRI, each with where it is in its article."""
    rows = select_rows(
        store,
        """
        SELECT ?q ?speech ?text ?seq ?verb ?source ?start ?end ?exact WHERE {
          ?q a okg:Quotation ; okg:quotedIn ?speech .
          OPTIONAL { ?q schema:text ?text }
          OPTIONAL { ?q okg:sequence ?seq }
          OPTIONAL { ?q okg:reportingVerb ?verb }
          OPTIONAL {
            ?ann oa:hasBody ?q ; oa:hasTarget ?target .
            ?target oa:hasSource ?source ; oa:hasSelector ?sel .
            ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
            OPTIONAL { ?target oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?exact }
          }
        } ORDER BY ?q ?start
        """,
    )
    out: dict[str, list[Quotation]] = defaultdict(list)
    seen: set[str] = set()
    for r in rows:
        iri = text_of(r["q"])
        if iri in seen:
            continue
        if r["start"] is None or r["end"] is None or r["source"] is None:
            raise DataError(f"quotation {iri} has no oa:TextPositionSelector in its article")
        seen.add(iri)
        seq = r["seq"]
        out[text_of(r["speech"])].append(
            Quotation(
                iri=iri,
                anchor=anchor(iri),
                text=text_of(r["exact"]) or text_of(r["text"]),
                sequence=int(seq.toPython()) if isinstance(seq, Literal) else 0,
                verb=text_of(r["verb"]),
                source_anchor=anchor(text_of(r["source"])),
                start=int(text_of(r["start"])),
                end=int(text_of(r["end"])),
            )
        )
    return out
