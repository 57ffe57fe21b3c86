"""Find the graph's resources by name, the way a person types one.

Every name the graph gives a resource (``rdfs:label``, ``skos:prefLabel`` and
``skos:altLabel`` — abbreviations such as "MIA" are alt labels —, ``foaf:name``
and ``foaf:familyName``, ``schema:name`` and ``schema:alternateName``) is
compared with the query after both are folded: case, accents (a name typed
without them finds the name with them), curly and straight quotes
(``O'Leary`` finds ``O’Leary``), dashes and white space.  Exact names rank
first, then names that start with the query, names whose words start with
its words, names that contain it, and last names that are merely similar.
The names are read with one SPARQL query that holds no user text; the
matching is done here.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from .annotate import LOOK_ALIKES
from .resultset import Store

NAMES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?resource ?name ?label ?type ?source WHERE {
  ?resource rdfs:label|skos:prefLabel|skos:altLabel|foaf:name|foaf:familyName
            |schema:name|schema:alternateName ?name .
  FILTER (isIRI(?resource) && STRSTARTS(STR(?resource), "https://w3id.org/osce-kg/id/"))
  OPTIONAL { ?resource rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL {
    ?resource a ?type .
    FILTER (STRSTARTS(STR(?type), "https://w3id.org/osce-kg/ontology#"))
  }
  OPTIONAL { ?resource prov:wasDerivedFrom ?source }
}
"""


def fold(text: str) -> str:
    """``text`` as compared: no accents, case-folded; apostrophes and hyphens
    dropped inside words (``O'Leary`` and ``oleary`` are one), other punctuation
    a space (``Dreyer, Knut``); white space single."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LOOK_ALIKES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("'", "").replace("-", "")
    spaced = "".join(" " if unicodedata.category(c).startswith("P") else c for c in plain)
    return " ".join(spaced.casefold().split())


@dataclass(frozen=True)
class Hit:
    resource: str
    label: str
    types: tuple[str, ...]
    sources: tuple[str, ...]
    matched: str
    score: float
    how: str


def _score(query: str, name: str) -> tuple[float, str]:
    if name == query:
        return 1.0, "exact"
    if name.startswith(query):
        return 0.9, "prefix"
    words = name.split()
    if all(any(w.startswith(q) for w in words) for q in query.split()):
        return 0.8, "words"
    if query in name:
        return 0.7, "contains"
    ratio = difflib.SequenceMatcher(None, query, name, autojunk=False).ratio()
    return (ratio * 0.6, "similar") if ratio >= 0.75 else (0.0, "")


def search(store: Store, query: str, *, limit: int = 10) -> list[Hit]:
    """The resources whose names best match ``query``, best first."""
    from .sparql_results import parts, short

    wanted = fold(query)
    if not wanted:
        return []
    best: dict[str, tuple[float, str, str]] = {}
    labels: dict[str, str] = {}
    types: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    # Native terms: the search need not load rdflib (parts() reads either library's).
    for resource, name, label, kind, source in store.select(NAMES_QUERY, native=True).rows:
        iri = parts(resource)[1]
        if source is not None:
            sources.setdefault(iri, set()).add(short(source))
        if label is not None:
            labels.setdefault(iri, parts(label)[1])
        if kind is not None:
            types.setdefault(iri, set()).add(short(kind))
        text = parts(name)[1]
        score, how = _score(wanted, fold(text))
        if score > best.get(iri, (0.0, "", ""))[0]:
            best[iri] = (score, text, how)
    hits = [
        Hit(
            iri,
            labels.get(iri, matched),
            tuple(sorted(types.get(iri, ()))),
            tuple(sorted(sources.get(iri, ()))),
            matched,
            score,
            how,
        )
        for iri, (score, matched, how) in best.items()
        if score > 0
    ]
    hits.sort(key=lambda h: (-h.score, h.label.casefold(), h.resource))
    return hits[:limit]


# --------------------------------------------------------------------------- mentions

# Names shorter than this must stand alone in the text (no letter or digit
# touches them); longer ones may run into the next word, as the published text
# sometimes does ("theRepublicofTajikistanand").
_LOOSE_END = 6


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    resource: str
    types: tuple[str, ...]
    name: str


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` folded (:func:`fold`) with its white space and punctuation removed,
    and for each character kept, its index in ``text``."""
    kept: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in fold(ch).replace(" ", ""):
            kept.append(c)
            where.append(i)
    return "".join(kept), where


def _starts_word(text: str, at: int) -> bool:
    if at == 0 or not text[at - 1].isalnum():
        return True
    return text[at - 1].islower() and text[at].isupper()  # "ofTajikistan"


def _ends_word(text: str, end: int, loose: bool) -> bool:
    return loose or end >= len(text) or not text[end].isalnum()


def mentions(store: Store, text: str) -> list[Mention]:
    """Every place in ``text`` where a name the graph knows occurs, with the
    resource it names (one mention per resource and place), in text order."""
    from .sparql_results import short

    squeezed, where = _squeeze(text)
    names: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    for resource, name, _label, kind, _source in store.select(NAMES_QUERY).rows:
        iri = str(resource)
        names.setdefault(iri, set()).add(str(name))
        if kind is not None:
            types.setdefault(iri, set()).add(short(kind))
    found: dict[tuple[int, int, str], Mention] = {}
    for iri, known in names.items():
        for name in known:
            needle, _ = _squeeze(name)
            if len(needle) < 2:
                continue
            at = squeezed.find(needle)
            while at >= 0:
                start, end = where[at], where[at + len(needle) - 1] + 1
                if _starts_word(text, start) and _ends_word(text, end, len(needle) >= _LOOSE_END):
                    key = (start, end, iri)
                    if key not in found:
                        found[key] = Mention(
                            start,
                            end,
                            text[start:end],
                            iri,
                            tuple(sorted(types.get(iri, ()))),
                            name,
                        )
                at = squeezed.find(needle, at + 1)
    ordered = sorted(found.values(), key=lambda m: (m.start, -m.end, m.resource))
    # A name inside a longer name of the same resource ("Solieva" in "Zumrad
    # Solieva") is the same mention.
    spans: dict[str, list[tuple[int, int]]] = {}
    kept = []
    for m in sorted(ordered, key=lambda m: (m.start - m.end, m.start)):
        if any(s <= m.start and m.end <= e for s, e in spans.get(m.resource, ())):
            continue
        spans.setdefault(m.resource, []).append((m.start, m.end))
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.end, m.resource))
