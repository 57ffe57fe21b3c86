"""Property tests for the selectors: for random texts and spans, the written
selectors select exactly the span; after random edits away from it,
re-anchoring finds the span again or says it cannot, never points elsewhere."""

from __future__ import annotations

import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st

from osce_kg.anchors import reanchor
from osce_kg.annotate import CONTEXT, Passage, annotation_turtle, find

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ALPHABET = st.sampled_from(list("abc ’'\"\n\t-–éЖ😀\\"))
TEXTS = st.text(ALPHABET, min_size=1, max_size=300)


@st.composite
def spans(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=200, deadline=None)
@given(spans())
def test_written_selectors_select_the_span(case: tuple[str, int, int]) -> None:
    text, start, end = case
    turtle = annotation_turtle("a-source", Passage(start, end, text), ["https://e.org/x"])
    g = rdflib.Graph().parse(
        data="@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n" + turtle,
        format="turtle",
    )
    quote = next(g.subjects(rdflib.RDF.type, OA.TextQuoteSelector))
    position = next(g.subjects(rdflib.RDF.type, OA.TextPositionSelector))
    assert int(g.value(position, OA.start)) == start and int(g.value(position, OA.end)) == end
    assert str(g.value(quote, OA.exact)) == text[start:end]
    assert str(g.value(quote, OA.prefix)) == text[max(0, start - CONTEXT) : start]
    assert str(g.value(quote, OA.suffix)) == text[end : end + CONTEXT]


@settings(max_examples=200, deadline=None)
@given(spans())
def test_the_exact_text_is_found_where_it_is(case: tuple[str, int, int]) -> None:
    text, start, end = case
    exact = text[start:end]
    if exact[0].isspace() or exact[-1].isspace():
        return  # a quote is found from its first to its last visible character
    found = find(text, exact)
    assert (start, end) in {(p.start, p.end) for p in found}
    assert all(not p.exact[0].isspace() and not p.exact[-1].isspace() for p in found)


@settings(max_examples=300, deadline=None)
@given(spans(), st.text(ALPHABET, min_size=1, max_size=50), st.data())
def test_reanchoring_after_an_edit_elsewhere(
    case: tuple[str, int, int], inserted: str, data: st.DataObject
) -> None:
    text, start, end = case
    exact = text[start:end]
    prefix, suffix = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    # An edit away from the span and its full context: before the prefix or after
    # the suffix (next to the text's start or end, the context is shorter, and a
    # copy of the quote inserted there is indistinguishable from it).
    before = list(range(0, start - CONTEXT + 1)) if start >= CONTEXT else []
    after = list(range(end + CONTEXT, len(text) + 1)) if len(text) - end >= CONTEXT else []
    if not before + after:
        return
    at = data.draw(st.sampled_from(before + after))
    edited = text[:at] + inserted + text[at:]
    moved = start + len(inserted) if at <= start else start
    status, new = reanchor(edited, start, end, exact, prefix, suffix)
    assert status in ("ok", "fixed", "ambiguous")  # the span is still there: never lost
    if status in ("ok", "fixed"):
        assert new is not None and edited[new : new + len(exact)] == exact
        assert new == moved  # the same passage, not another occurrence of its text
