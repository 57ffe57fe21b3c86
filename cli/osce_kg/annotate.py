"""Find a passage of a source and write the Web Annotation that cites it.

A fact's annotation needs two selectors whose numbers are easy to get wrong by
hand: a ``TextQuoteSelector`` (the exact text, and the 32 characters before
and after it) and a ``TextPositionSelector`` (start and end, counted in code
points, as the Web Annotation model says).  :func:`find` locates the quote and
:func:`annotation_turtle` writes both, with the source's own characters.

Matching forgives what the typist cannot see in the source: curly or straight
quotes and apostrophes, dashes, and white space, including none at all where
the published text ran words together ("theRepublicofTajikistan").  What is
written is always the source's text, character for character.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import namespaces as ns
from .errors import InputError
from .sparql_bind import iri_term, quote_string

if TYPE_CHECKING:
    from pathlib import Path

    from .layout import DataLayout
    from .resultset import Store

CONTEXT = 32  # characters of oa:prefix and oa:suffix, as in the shipped annotations

# Characters a typist and a publisher use for one another: curly and straight
# quotes, the dashes.  Matching (here and in :mod:`osce_kg.lookup`) treats them as one.

LOOK_ALIKES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
    }
)


@dataclass(frozen=True)
class Passage:
    """A passage of a source: code-point offsets into its text."""

    start: int
    end: int
    text: str

    @property
    def exact(self) -> str:
        return self.text[self.start : self.end]

    @property
    def prefix(self) -> str:
        return self.text[max(0, self.start - CONTEXT) : self.start]

    @property
    def suffix(self) -> str:
        return self.text[self.end : self.end + CONTEXT]

    def context(self, width: int = 24) -> str:
        before = self.text[max(0, self.start - width) : self.start]
        after = self.text[self.end : self.end + width]
        return " ".join(f"…{before}[{self.exact}]{after}…".split())


def _loose(text: str) -> tuple[str, list[int]]:
    """``text`` without white space and with look-alike characters made one, and
    for each character kept, its index in ``text``."""
    kept: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text.translate(LOOK_ALIKES)):
        if not ch.isspace():
            kept.append(ch)
            where.append(i)
    return "".join(kept), where


def find(text: str, quote: str, *, regex: bool = False) -> list[Passage]:
    """Every passage of ``text`` that ``quote`` selects (a regular expression with
    ``regex``), in order."""
    if regex:
        try:
            pattern = re.compile(quote)
        except re.error as exc:
            raise InputError(f"--regex: {quote!r} is not a regular expression: {exc}") from None
        return [
            Passage(m.start(), m.end(), text) for m in pattern.finditer(text) if m.end() > m.start()
        ]
    needle, _ = _loose(quote)
    if not needle:
        raise InputError("QUOTE: give some text to find")
    loose, where = _loose(text)
    found = []
    at = loose.find(needle)
    while at >= 0:
        found.append(Passage(where[at], where[at + len(needle) - 1] + 1, text))
        at = loose.find(needle, at + 1)
    return found


def nearest(text: str, quote: str) -> Passage | None:
    """The passage of ``text`` most like ``quote`` (for a quote that is not there)."""
    size = len(quote)
    if not text or not size:
        return None
    starts = [0] + [m.end() for m in re.finditer(r"\s+", text)]
    best, best_ratio = None, 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote.translate(LOOK_ALIKES).casefold())
    for start in starts:
        window = text[start : start + size]
        matcher.set_seq1(window.translate(LOOK_ALIKES).casefold())
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = Passage(start, min(len(text), start + size), text), ratio
    return best


def choose(
    passages: list[Passage], quote: str, where: str, occurrence: int | None, text: str
) -> Passage:
    """The one passage meant: the only one, or the ``occurrence``-th; InputError
    listing the occurrences, or naming the nearest passage, otherwise."""
    if not passages:
        near = nearest(text, quote)
        hint = f"; the nearest passage (at {near.start}): {near.context()!r}" if near else ""
        raise InputError(f"{where}: {quote!r} is not in the text{hint}")
    if occurrence is not None:
        if not 1 <= occurrence <= len(passages):
            raise InputError(
                f"--occurrence {occurrence}: {quote!r} occurs {len(passages)} "
                f"time{'s' if len(passages) != 1 else ''} in {where}"
            )
        return passages[occurrence - 1]
    if len(passages) > 1:
        listed = "; ".join(
            f"{i} at {p.start}: {p.context(16)!r}" for i, p in enumerate(passages, 1)
        )
        raise InputError(
            f"{where}: {quote!r} occurs {len(passages)} times; choose one with "
            f"--occurrence N: {listed}"
        )
    return passages[0]


def annotation_turtle(
    slug: str, passage: Passage, resources: list[str], *, draft: bool = False
) -> str:
    """The annotation of ``resources`` by ``passage`` of source ``slug``, in the
    shipped annotations' form (its IRI ``id:annotation/SLUG/START-END``); with
    ``draft``, typed ``okg:Draft`` too, for a person to review."""
    if not resources:
        raise InputError("--resource: name at least one resource the passage supports")
    base = ns.thing("annotation", f"{slug}/{passage.start}-{passage.end}")
    source = iri_term(ns.thing("source", slug), "source")
    bodies = ",\n        ".join(iri_term(r, "--resource") for r in resources)
    xsd = ns.PREFIXES["xsd"]
    return (
        f"<{base}> a oa:Annotation{f', <{ns.ONTOLOGY_NS}Draft>' if draft else ''} ;\n"
        f"    oa:hasBody {bodies} ;\n"
        f"    oa:hasTarget <{base}#target> ;\n"
        f"    oa:motivatedBy oa:identifying ;\n"
        f"    prov:wasDerivedFrom {source} .\n\n"
        f"<{base}#position> a oa:TextPositionSelector ;\n"
        f'    oa:end "{passage.end}"^^<{xsd}nonNegativeInteger> ;\n'
        f'    oa:start "{passage.start}"^^<{xsd}nonNegativeInteger> .\n\n'
        f"<{base}#quote> a oa:TextQuoteSelector ;\n"
        f"    oa:exact {quote_string(passage.exact)} ;\n"
        f"    oa:prefix {quote_string(passage.prefix)} ;\n"
        f"    oa:suffix {quote_string(passage.suffix)} .\n\n"
        f"<{base}#target> a oa:SpecificResource ;\n"
        f"    oa:hasSelector <{base}#position>,\n"
        f"        <{base}#quote> ;\n"
        f"    oa:hasSource {source} .\n"
    )


PREFIX_LINES = (
    f"@prefix oa: <{ns.PREFIXES['oa']}> .\n"
    f"@prefix prov: <{ns.PREFIXES['prov']}> .\n"
    f"@prefix xsd: <{ns.PREFIXES['xsd']}> .\n"
)


def draft_turtle(slug: str, text: str, found: Iterable[tuple[int, int, str]]) -> str:
    """Draft annotations (typed ``okg:Draft``) of the mentions ``found`` (start,
    end, resource) in ``text``: one per passage, with every candidate resource as
    a body, for a person to review (:func:`annotation_turtle`)."""
    spans: dict[tuple[int, int], list[str]] = {}
    for start, end, resource in found:
        bodies = spans.setdefault((start, end), [])
        if resource not in bodies:
            bodies.append(resource)
    parts = [
        f"# Drafts of {slug}: the mentions of known entities that osce-kg found (osce-kg\n"
        "# source mentions --draft).  Review each: keep the resources the passage names,\n"
        "# remove the okg:Draft type (osce-kg validate reports drafts until then), and\n"
        "# delete the annotations that are wrong.\n",
        PREFIX_LINES,
    ]
    for (start, end), bodies in sorted(spans.items()):
        parts.append(annotation_turtle(slug, Passage(start, end, text), bodies, draft=True))
    return "\n".join(parts)


_ANNOTATED = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?start ?end WHERE {
  ?annotation oa:hasTarget ?target .
  ?target oa:hasSource ?source ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
}
"""


def write_draft(
    layout: DataLayout, slug: str, text: str, found: Iterable[tuple[int, int, str]], store: Store
) -> Path:
    """Write ``graph/sources/SLUG/draft.ttl`` (atomically) with the mentions
    ``found`` (start, end, resource) whose passage no annotation of the source
    holds yet; InputError if a draft is there
    already (it may hold a review under way) or the source is read-only."""
    from rdflib import URIRef

    from .atomic import atomic_write_text

    target = layout.writable(layout.source_dir(slug) / "draft.ttl", "--draft")
    if target.exists():
        raise InputError(f"--draft: {target} exists; review it and delete it first")
    source = URIRef(ns.thing("source", slug))
    held = {
        (int(start), int(end)) for start, end in store.select(_ANNOTATED, {"source": source}).rows
    }
    new = [(start, end, iri) for start, end, iri in found if (start, end) not in held]
    atomic_write_text(target, draft_turtle(slug, text, new))
    return target
