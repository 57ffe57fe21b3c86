"""The article is kept verbatim, and every selector points at the passage it quotes."""

from __future__ import annotations

import hashlib

import pytest
import rdflib
from rdflib.namespace import RDF

from conftest import REPO, SLUG, shared_dir

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
OKG = rdflib.Namespace("https://w3id.org/osce-kg/ontology#")
SCHEMA = rdflib.Namespace("http://schema.org/")
ARTICLE = rdflib.URIRef(f"https://w3id.org/osce-kg/id/source/{SLUG}")


def test_source_is_byte_identical_to_the_published_article() -> None:
    ours = (REPO / "graph" / "sources" / SLUG / "source.txt").read_bytes()
    original = (shared_dir() / "sources" / f"{SLUG}.txt").read_bytes()
    assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(original).hexdigest()


def test_article_resource_carries_title_date_text_and_digest(
    kg: rdflib.Graph, article_text: str
) -> None:
    assert (ARTICLE, RDF.type, OKG.Article) in kg
    assert str(kg.value(ARTICLE, rdflib.URIRef("http://purl.org/dc/terms/title"))) == (
        "Annual Police Experts meeting of the OSCE member countries in Vienna."
    )
    issued = kg.value(ARTICLE, rdflib.URIRef("http://purl.org/dc/terms/issued"))
    assert issued == rdflib.Literal("2012-09-22", datatype=rdflib.XSD.date)
    assert str(kg.value(ARTICLE, SCHEMA.text)) == article_text
    digest = hashlib.sha256(article_text.encode("utf-8")).hexdigest()
    assert str(kg.value(ARTICLE, OKG.sha256)) == digest


def selector_problems(graph: rdflib.Graph, text: str) -> list[str]:
    """Every way the graph's selectors disagree with ``text`` (empty when all agree)."""
    problems = []
    for target in graph.subjects(OA.hasSource, ARTICLE):
        quote = position = None
        for sel in graph.objects(target, OA.hasSelector):
            if (sel, RDF.type, OA.TextQuoteSelector) in graph:
                quote = sel
            if (sel, RDF.type, OA.TextPositionSelector) in graph:
                position = sel
        if quote is None or position is None:
            problems.append(f"{target}: needs both a quote and a position selector")
            continue
        start = int(graph.value(position, OA.start))  # type: ignore[arg-type]
        end = int(graph.value(position, OA.end))  # type: ignore[arg-type]
        exact = str(graph.value(quote, OA.exact))
        prefix = str(graph.value(quote, OA.prefix) or "")
        suffix = str(graph.value(quote, OA.suffix) or "")
        if not (0 <= start < end <= len(text)):
            problems.append(f"{target}: offsets {start}-{end} outside the text")
            continue
        if text[start:end] != exact:
            problems.append(f"{target}: text[{start}:{end}] != exact")
        if not text[:start].endswith(prefix):
            problems.append(f"{target}: prefix does not precede the passage")
        if not text[end:].startswith(suffix):
            problems.append(f"{target}: suffix does not follow the passage")
    return problems


def test_every_selector_matches_the_source_text(kg: rdflib.Graph, article_text: str) -> None:
    targets = list(kg.subjects(OA.hasSource, ARTICLE))
    assert len(targets) > 100
    assert selector_problems(kg, article_text) == []


@pytest.mark.parametrize("shift", [-1, 1])
def test_a_shifted_offset_is_caught(kg: rdflib.Graph, article_text: str, shift: int) -> None:
    g = rdflib.Graph()
    g += kg

    # One selector, the same in every run (set order follows the hash seed), that a
    # shift keeps inside the text: a passage at offset 0 shifted left is reported as
    # outside the text instead.
    def inside(p: rdflib.term.Node) -> bool:
        start, end = int(g.value(p, OA.start)), int(g.value(p, OA.end))  # type: ignore[arg-type]
        return start > 0 and end < len(article_text)

    position = min(filter(inside, g.subjects(RDF.type, OA.TextPositionSelector)), key=str)
    for prop in (OA.start, OA.end):
        old = int(g.value(position, prop))  # type: ignore[arg-type]
        g.set((position, prop, rdflib.Literal(old + shift, datatype=rdflib.XSD.nonNegativeInteger)))
    problems = selector_problems(g, article_text)
    target = next(g.subjects(OA.hasSelector, position))
    assert problems and all(p.startswith(f"{target}:") for p in problems)
    assert any("!= exact" in p for p in problems)


def test_every_fact_bearing_resource_has_a_passage(kg: rdflib.Graph) -> None:
    prov = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    derived = {s for s in kg.subjects(prov, ARTICLE) if "/id/annotation/" not in str(s)}
    annotated = set(kg.objects(None, OA.hasBody))
    assert len(derived) > 150
    assert derived - annotated == set()


def test_quotations_keep_the_exact_words_of_the_source(kg: rdflib.Graph, article_text: str) -> None:
    quotations = list(kg.subjects(RDF.type, OKG.Quotation))
    assert len(quotations) == 6
    for q in quotations:
        words = str(kg.value(q, SCHEMA.text))
        # the words stand between the source's own curly quotation marks
        assert "“" + words + "”" in article_text, words


def test_labels_are_clean_of_the_sources_glued_words(kg: rdflib.Graph) -> None:
    glued = (
        "inVienna",
        "theRepublicof",
        "Tajikistanand",
        "asUkraine",
        "ofTajikistan",
        "area:Albania",
    )
    for s, label in kg.subject_objects(rdflib.RDFS.label):
        if str(s).startswith("https://w3id.org/osce-kg/id/"):
            assert not any(g in str(label) for g in glued), (s, label)
