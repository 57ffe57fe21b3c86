"""Checks that neither SHACL nor a SPARQL query can make.

* ``undeclared-term`` — every class and property the data uses, and every term
  of our own namespace it mentions, is declared in the ontology (or belongs to
  RDF, RDFS, OWL or XSD);
* ``ontology-term-label`` / ``ontology-term-definition`` — every term of the
  ontology has an English ``rdfs:label`` and a ``skos:definition``;
* ``selector-source-text`` — every annotation's selectors match the verbatim
  source text (``graph/sources/<slug>/source.txt``, else the article's
  ``schema:text``): offsets, exact text, prefix and suffix;
* ``article-source-text`` — an article's ``schema:text`` and ``okg:sha256`` agree
  with its ``source.txt``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Literal, Node, URIRef

from .. import namespaces as ns
from .model import OA, SCHEMA, Result, Rule, Severity

OKG = rdflib.Namespace(ns.ONTOLOGY_NS)

# Vocabularies whose every term counts as known without being declared.
STANDARD_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))

PYTHON_RULES = [
    Rule(
        "check:undeclared-term",
        "python",
        "A term used in the data is not declared in the ontology",
        "Every class and property used, and every term of the okg: namespace mentioned, is "
        "declared in ontology/ (or is an RDF, RDFS, OWL or XSD term).  Undeclared terms of other "
        "vocabularies are warnings; undeclared okg: terms are violations.",
    ),
    Rule(
        "check:ontology-term-label",
        "python",
        "An ontology term has no English label",
        "Every okg: term declared in the ontology has an rdfs:label in English.",
    ),
    Rule(
        "check:ontology-term-definition",
        "python",
        "An ontology term has no definition",
        "Every okg: term declared in the ontology has a skos:definition.",
    ),
    Rule(
        "check:selector-source-text",
        "python",
        "An annotation's selectors do not match the source text",
        "Against the verbatim source text: oa:start/oa:end lie inside it, the text between them is "
        "oa:exact, and oa:prefix/oa:suffix come immediately before/after.",
    ),
    Rule(
        "check:article-source-text",
        "python",
        "An article's text or digest differs from its source.txt",
        "An article's schema:text equals graph/sources/<slug>/source.txt and okg:sha256 is the "
        "SHA-256 of that file's bytes.",
    ),
]


def declared_terms(ontology: rdflib.Graph) -> set[Node]:
    """What the ontology declares: every subject it gives a type (class, property, individual)."""
    return set(ontology.subjects(RDF.type))


def undeclared_terms(data: rdflib.Graph, ontology: rdflib.Graph) -> list[Result]:
    """Classes, properties and okg: terms used in ``data`` that the ontology lacks."""
    declared = declared_terms(ontology)
    seen: dict[URIRef, tuple[Node, str]] = {}

    def note(term: Node, subject: Node, role: str) -> None:
        if not isinstance(term, URIRef) or term in declared or term in seen:
            return
        if str(term).startswith(STANDARD_NAMESPACES):
            return
        seen[term] = (subject, role)

    for s, p, o in data:
        note(p, s, "property")
        if p == RDF.type:
            note(o, s, "class")
        elif isinstance(o, URIRef) and str(o).startswith(ns.ONTOLOGY_NS):
            note(o, s, "term")
        if isinstance(s, URIRef) and str(s).startswith(ns.ONTOLOGY_NS):
            note(s, s, "term")
    results = []
    for term, (subject, role) in sorted(seen.items()):
        ours = str(term).startswith(ns.ONTOLOGY_NS)
        where = "the okg: namespace" if ours else "another vocabulary"
        results.append(
            Result(
                severity=Severity.VIOLATION if ours else Severity.WARNING,
                focus=subject,
                path=RDF.type if role == "class" else None,
                value=term,
                message=f"The {role} <{term}> (from {where}) is not declared in the ontology",
                rule="check:undeclared-term",
                component="python",
            )
        )
    return results


def undocumented_terms(ontology: rdflib.Graph) -> list[Result]:
    """okg: terms of the ontology without an English label or a definition."""
    results = []
    terms = sorted(
        {
            s
            for s in ontology.subjects(RDF.type)
            if isinstance(s, URIRef) and str(s).startswith(ns.ONTOLOGY_NS)
        }
    )
    for term in terms:
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)]
        if not any(lab.language == "en" for lab in labels):
            results.append(
                Result(
                    Severity.VIOLATION,
                    term,
                    "The ontology term has no English rdfs:label",
                    "check:ontology-term-label",
                    path=RDFS.label,
                    component="python",
                )
            )
        if ontology.value(term, SKOS.definition) is None:
            results.append(
                Result(
                    Severity.VIOLATION,
                    term,
                    "The ontology term has no skos:definition",
                    "check:ontology-term-definition",
                    path=SKOS.definition,
                    component="python",
                )
            )
    return results


def _article_slug(article: Node) -> str | None:
    prefix = ns.ID_NS + "source/"
    text = str(article)
    return text[len(prefix) :] if isinstance(article, URIRef) and text.startswith(prefix) else None


def article_texts(
    graph: rdflib.Graph, source_file: Callable[[str], Path | None]
) -> tuple[dict[Node, str], list[Result]]:
    """The verbatim text of every article (source.txt first), and disagreements found."""
    texts: dict[Node, str] = {}
    results: list[Result] = []
    articles = set(graph.subjects(RDF.type, OKG.Article)) | set(graph.objects(None, OA.hasSource))
    for article in sorted(articles, key=str):
        slug = _article_slug(article)
        path = source_file(slug) if slug else None
        in_graph = graph.value(article, SCHEMA.text)
        if path is not None:
            data = path.read_bytes()
            text = data.decode("utf-8")
            texts[article] = text
            if in_graph is not None and str(in_graph) != text:
                results.append(
                    _article_result(
                        article,
                        SCHEMA.text,
                        None,
                        f"schema:text differs from {path.name} "
                        f"({len(str(in_graph))} vs {len(text)} characters)",
                    )
                )
            digest = graph.value(article, OKG.sha256)
            actual = hashlib.sha256(data).hexdigest()
            if digest is not None and str(digest) != actual:
                results.append(
                    _article_result(
                        article,
                        OKG.sha256,
                        digest,
                        f"okg:sha256 is not the SHA-256 of {path} ({actual})",
                    )
                )
        elif in_graph is not None:
            texts[article] = str(in_graph)
            digest = graph.value(article, OKG.sha256)
            actual = hashlib.sha256(str(in_graph).encode("utf-8")).hexdigest()
            if digest is not None and str(digest) != actual:
                message = f"okg:sha256 is not the SHA-256 of the article's schema:text ({actual})"
                results.append(_article_result(article, OKG.sha256, digest, message))
    return texts, results


def _article_result(article: Node, path: Node, value: Node | None, message: str) -> Result:
    return Result(
        Severity.VIOLATION,
        article,
        message,
        "check:article-source-text",
        path=path,
        value=value,
        component="python",
    )


def _int(graph: rdflib.Graph, node: Node, prop: URIRef) -> int | None:
    value = graph.value(node, prop)
    try:
        return int(value) if isinstance(value, Literal) else None
    except (TypeError, ValueError):
        return None


def selector_mismatches(graph: rdflib.Graph, texts: dict[Node, str]) -> list[Result]:
    """Selectors that do not match their article's verbatim text (``texts``, from
    :func:`article_texts`).

    Where the article's ``schema:text`` is in the graph the SPARQL checks already
    test offsets and exact text against it, so here only prefix and suffix are
    tested for such articles (and everything for the others) — one problem, one
    result.
    """
    in_graph = {a for a in texts if graph.value(a, SCHEMA.text) is not None}
    results: list[Result] = []

    def fail(node: Node, path: URIRef, value: Node | None, message: str) -> None:
        results.append(
            Result(
                Severity.VIOLATION,
                node,
                message,
                "check:selector-source-text",
                path=path,
                value=value,
                component="python",
            )
        )

    for target, article in sorted(graph.subject_objects(OA.hasSource)):
        selectors = list(graph.objects(target, OA.hasSelector))
        quote = next((s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph), None)
        position = next(
            (s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph), None
        )
        text = texts.get(article)
        if text is None:
            if article not in in_graph:
                fail(
                    target,
                    OA.hasSource,
                    article,
                    "The annotation's source has no text to check against "
                    "(no source.txt, no schema:text)",
                )
            continue
        full = article not in in_graph
        start = end = None
        if position is not None:
            start, end = _int(graph, position, OA.start), _int(graph, position, OA.end)
            if (
                full
                and start is not None
                and end is not None
                and not 0 <= start <= end <= len(text)
            ):
                fail(
                    position,
                    OA.end,
                    Literal(end),
                    f"Offsets {start}-{end} do not lie inside the source text "
                    f"({len(text)} characters)",
                )
                start = end = None
        if quote is None:
            continue
        exact = graph.value(quote, OA.exact)
        if exact is None:
            continue
        exact_s = str(exact)
        if start is None or end is None:
            found = text.find(exact_s)
            if found < 0:
                if full:
                    fail(
                        quote,
                        OA.exact,
                        exact,
                        "The oa:exact text does not occur in the source text",
                    )
                continue
            start, end = found, found + len(exact_s)
        elif full and text[start:end] != exact_s:
            fail(
                quote,
                OA.exact,
                exact,
                f'The source text at {start}-{end} is "{text[start:end]}", not the oa:exact text',
            )
            continue
        prefix = graph.value(quote, OA.prefix)
        before = text[max(0, start - len(str(prefix))) : start] if prefix is not None else ""
        if prefix is not None and before != str(prefix):
            fail(
                quote,
                OA.prefix,
                prefix,
                f'The text immediately before the passage is "{before}", not the oa:prefix',
            )
        suffix = graph.value(quote, OA.suffix)
        after = text[end : end + len(str(suffix))] if suffix is not None else ""
        if suffix is not None and after != str(suffix):
            fail(
                quote,
                OA.suffix,
                suffix,
                f'The text immediately after the passage is "{after}", not the oa:suffix',
            )
    return results
