"""The static Linked Data site of a build (``dist/site/``).

For every resource whose IRI is under ``id/`` (``https://w3id.org/osce-kg/id/
person/knut-dreyer``) the site holds a page and three descriptions at paths
that mirror the IRI: ``site/id/person/knut-dreyer.html``, ``.ttl``,
``.jsonld`` and ``.nt``.  A description is every stated triple whose subject
is the resource or one of its ``#fragment`` IRIs (an annotation's target and
selectors live in its document), with the blank nodes they reach.  The page
shows the same statements with labels and links, the statements that point
at the resource, its types with the classes they align to, and each passage
of a source that an annotation ties to it, highlighted in the source's text.

``site/w3id.htaccess`` holds the redirect rules for the ``osce-kg`` folder of
w3id.org: once the site is published at ``--site-url``, each IRI resolves to
its page or, by ``Accept``, to one of its descriptions.  The site loads
nothing from a network: its style sheet is inline.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import rdflib
from rdflib.term import Literal, Node, URIRef

from .. import namespaces as ns
from .dataset import BuiltDataset
from .describe import (
    ID_NS,
    RDF_TYPE,
    Triple,
    descriptions,
    is_published,
    jsonld,
    ntriples,
    site_path,
    turtle,
)

LABEL = rdflib.RDFS.label

# The descriptions of each page: suffix -> (media type, label).
FORMATS: dict[str, tuple[str, str]] = {
    ".ttl": ("text/turtle", "Turtle"),
    ".jsonld": ("application/ld+json", "JSON-LD"),
    ".nt": ("application/n-triples", "N-Triples"),
}

# Context shown around a passage on a resource's page (characters each side).
CONTEXT = 160

# -- the pages ---------------------------------------------------------------------


@dataclass
class Link:
    text: str
    href: str | None = None
    note: str | None = None  # a literal's language or datatype


@dataclass
class Passage:
    source: Link
    before: str
    exact: str
    after: str
    start: int
    end: int


@dataclass
class Page:
    iri: str
    title: str
    types: list[tuple[Link, list[Link]]] = field(default_factory=list)
    outgoing: list[tuple[Link, Link]] = field(default_factory=list)
    incoming: list[tuple[Link, Link]] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    text: str | None = None  # a source's own text, on its page


class _Names:
    """Labels of resources and terms, and links to them from one page."""

    def __init__(self, union: rdflib.Graph, anchors: dict[str, str]) -> None:
        self.anchors = anchors
        self.labels: dict[Node, str] = {}
        for s, o in union.subject_objects(LABEL):
            if isinstance(o, Literal) and (o.language or "en").startswith("en"):
                self.labels.setdefault(s, str(o))

    def short(self, term: Node) -> str:
        from ..sparql_results import short_iri

        return short_iri(str(term))

    def link(self, term: Node, here: str) -> Link:
        if isinstance(term, Literal):
            note = term.language or (
                self.short(term.datatype)
                if term.datatype and term.datatype != rdflib.XSD.string
                else None
            )
            return Link(str(term), None, note)
        label = self.labels.get(term) or self.short(term)
        if is_published(term):
            href = posixpath.relpath(site_path(str(term)), posixpath.dirname(here)) + ".html"
            if "#" in str(term):
                label = self.labels.get(term) or "#" + str(term).split("#", 1)[1]
            return Link(label, href)
        if str(term).startswith(ns.ONTOLOGY_NS):
            href = posixpath.relpath("ontology/index.html", posixpath.dirname(here))
            anchor = self.anchors.get(str(term))
            return Link(label, f"{href}#{anchor}" if anchor else href)
        return Link(label, None, self.short(term) if label != self.short(term) else None)


def _passages(union: rdflib.Graph, iri: URIRef, names: _Names, here: str) -> list[Passage]:
    oa = rdflib.Namespace(ns.PREFIXES["oa"])
    text_of = rdflib.URIRef(ns.PREFIXES["schema"] + "text")
    found = []
    for annotation in union.subjects(oa.hasBody, iri):
        for target in union.objects(annotation, oa.hasTarget):
            source = union.value(target, oa.hasSource)
            text = union.value(source, text_of) if source is not None else None
            for selector in union.objects(target, oa.hasSelector):
                start, end = union.value(selector, oa.start), union.value(selector, oa.end)
                if start is None or end is None or text is None or source is None:
                    continue
                a, b, whole = int(str(start)), int(str(end)), str(text)
                found.append(
                    Passage(
                        names.link(source, here),
                        ("…" if a > CONTEXT else "") + whole[max(0, a - CONTEXT) : a],
                        whole[a:b],
                        whole[b : b + CONTEXT] + ("…" if b + CONTEXT < len(whole) else ""),
                        a,
                        b,
                    )
                )
    return sorted(found, key=lambda p: (p.source.text, p.start, p.end))


def page(
    iri: str,
    triples: list[Triple],
    union: rdflib.Graph,
    incoming: set[tuple[Node, Node]],
    names: _Names,
) -> Page:
    here = site_path(iri)
    node = URIRef(iri)
    out = Page(iri, names.labels.get(node) or names.short(node))
    supers = rdflib.RDFS.subClassOf
    for t in sorted({o for s, p, o in triples if s == node and p == RDF_TYPE}, key=str):
        aligned = sorted(
            (a for a in set(union.transitive_objects(t, supers)) - {t} if a is not None), key=str
        )
        out.types.append((names.link(t, here), [names.link(a, here) for a in aligned]))
    for s, p, o in triples:
        if s == node and p != RDF_TYPE:
            out.outgoing.append((names.link(p, here), names.link(o, here)))
    has_body = URIRef(ns.PREFIXES["oa"] + "hasBody")  # the passages show those
    for s, p in sorted(incoming, key=lambda sp: (str(sp[0]), str(sp[1]))):
        if not str(s).startswith(iri + "#") and p != has_body:
            out.incoming.append((names.link(s, here), names.link(p, here)))
    out.passages = _passages(union, node, names, here)
    if iri.startswith(ID_NS + "source/"):
        text = union.value(node, URIRef(ns.PREFIXES["schema"] + "text"))
        out.text = str(text) if text is not None else None
    return out


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("osce_kg.build", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


SITE_URL_PLACEHOLDER = "https://SITE-URL/"


def htaccess(site_url: str | None) -> str:
    """The rules for w3id.org's ``osce-kg`` folder: a 303 to the page, or to a
    description when ``Accept`` (or a suffix) asks for one.  Without
    ``site_url`` (where the site is published), a placeholder to replace."""
    base = (site_url or SITE_URL_PLACEHOLDER).rstrip("/") + "/"
    rules = [
        "# w3id.org/osce-kg: content negotiation for the IRIs of osce-kg (made by osce-kg build).",
        f"# The site is published at {base}"
        + ("" if site_url else " (a placeholder: build with --site-url URL)"),
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "# A suffix names the format: /id/person/x.ttl",
        f"RewriteRule ^id/(.+)\\.(ttl|jsonld|nt|html)$ {base}id/$1.$2 [R=303,L]",
    ]
    for suffix, (media, _) in FORMATS.items():
        pattern = media.replace("+", "\\+")  # a regular expression: "+" is literal
        rules += [
            f"RewriteCond %{{HTTP_ACCEPT}} {pattern}",
            f"RewriteRule ^id/(.+)$ {base}id/$1{suffix} [R=303,L]",
        ]
    rules += [
        "# Browsers and everyone else: the page.",
        f"RewriteRule ^id/(.+)$ {base}id/$1.html [R=303,L]",
    ]
    return "\n".join(rules) + "\n"


def ontology_anchors(html: str) -> dict[str, str]:
    """Each ontology term's anchor in pyLODE's page (``id="reportingverb"`` for
    ``okg:reportingVerb``): the section's id, then the term's IRI in ``<code>``."""
    found = re.finditer(
        r'<div class="[^"]*\bentity\b[^"]*" id="([^"]+)">.*?<code>([^<]+)</code>', html, re.S
    )
    return {m[2]: m[1] for m in found}


def write_site(
    dataset: BuiltDataset,
    folder: Path,
    site_url: str | None = None,
    ontology_html: str | None = None,
) -> int:
    """Write the site into ``folder``; returns the number of resources published.
    With ``ontology_html`` (pyLODE's page), ``site/ontology/index.html`` is a copy
    of it and ontology terms link to their sections."""
    stated_graphs = [g for iri, g in dataset.graphs.items() if iri != ns.INFERRED_GRAPH]
    described = descriptions(stated_graphs)
    docs = described.docs
    names = _Names(dataset.union, ontology_anchors(ontology_html or ""))
    if ontology_html is not None:
        (folder / "ontology").mkdir(parents=True, exist_ok=True)
        (folder / "ontology" / "index.html").write_text(
            ontology_html, encoding="utf-8", newline="\n"
        )
    env = _environment()
    template = env.get_template("resource.html.j2")
    index: dict[str, list[Link]] = defaultdict(list)
    for iri, triples in docs.items():
        path = site_path(iri)
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix, writer in ((".ttl", turtle), (".nt", ntriples), (".jsonld", jsonld)):
            target.with_name(target.name + suffix).write_text(
                writer(triples), encoding="utf-8", newline="\n"
            )
        info = page(iri, triples, dataset.union, described.incoming.get(URIRef(iri), set()), names)
        depth = path.count("/")
        html = template.render(
            page=info,
            formats=[(Path(path).name + s, m, label) for s, (m, label) in FORMATS.items()],
            home="../" * depth + "index.html",
        )
        target.with_name(target.name + ".html").write_text(html, encoding="utf-8", newline="\n")
        own = sorted((o for s, p, o in triples if s == URIRef(iri) and p == RDF_TYPE), key=str)
        kind = (names.labels.get(own[0]) or names.short(own[0])) if own else "Other"
        index[kind].append(Link(info.title, path + ".html"))
    listing = {
        k: sorted(v, key=lambda link: link.text.casefold()) for k, v in sorted(index.items())
    }
    (folder / "index.html").write_text(
        env.get_template("site-index.html.j2").render(groups=listing, count=len(docs)),
        encoding="utf-8",
        newline="\n",
    )
    (folder / "w3id.htaccess").write_text(htaccess(site_url), encoding="utf-8", newline="\n")
    return len(docs)
