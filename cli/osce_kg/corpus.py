"""The corpus: one folder per source under ``graph/sources/``, plus shared entities.

A source folder holds the verbatim text (``source.txt``), the article's
metadata (``article.ttl``) and the facts taken from it (``facts.ttl``,
``annotations.ttl``, …).  Entities that several sources mention (countries,
organisations, persons, posts, topics) live once in ``graph/shared/`` and are
reused by IRI.  This module scaffolds and lists sources; it writes nothing
in place: a new source is built in a temporary folder and renamed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns
from .atomic import atomic_directory
from .errors import InputError
from .layout import DataLayout
from .sparql_bind import check_text, quote_string
from .textfiles import read_regular

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SourceInfo:
    slug: str
    title: str | None
    published: str | None
    triples: int
    text_ok: bool


@dataclass(frozen=True)
class SourceMeta:
    """What ``source add`` records about a source besides its text."""

    title: str
    published: dt.date
    language: str = "en"
    publisher: str | None = None  # an agent's IRI
    url: str | None = None


def article_turtle(slug: str, meta: SourceMeta, text: str, raw: bytes) -> str:
    """The metadata of a new source as Turtle, in the layout of the shipped sources."""
    iri = ns.thing("source", slug)
    digest = hashlib.sha256(raw).hexdigest()
    title = f"{quote_string(meta.title)}@{meta.language}"
    day = f'"{meta.published.isoformat()}"^^xsd:date'
    extra = ""
    if meta.publisher:
        extra += f"    dcterms:publisher <{meta.publisher}> ;\n"
    if meta.url:
        extra += f"    schema:url {quote_string(meta.url)}^^xsd:anyURI ;\n"
    return (
        f"@prefix okg: <{ns.ONTOLOGY_NS}> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n"
        f"<{iri}> a okg:Article ;\n"
        f"    rdfs:label {title} ;\n"
        f"    dcterms:title {title} ;\n"
        f'    dcterms:identifier "{slug}" ;\n'
        f"    dcterms:issued {day} ;\n"
        f"    schema:datePublished {day} ;\n"
        f"{extra}"
        '    dcterms:format "text/plain; charset=utf-8" ;\n'
        f'    dcterms:language "{meta.language}" ;\n'
        f'    okg:sha256 "{digest}" ;\n'
        f"    schema:text {quote_string(text)} .\n"
    )


FACTS_TEMPLATE = """\
# Facts taken from the source {slug}.
#
# Every resource that states a fact carries prov:wasDerivedFrom the article and
# is the oa:hasBody of an annotation whose selectors (TextQuoteSelector and
# TextPositionSelector) point at the passage that states it; see README,
# "Adding a source".  Reuse shared entities from graph/shared/ by IRI.
@prefix okg: <{okg}> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def parse_date(value: str, param: str = "--published") -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{param}: {value!r} is not a date in the form YYYY-MM-DD") from None


LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
# Characters no text document holds: NUL and the C0 controls but tab, line
# feed, form feed and carriage return.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def source_meta(
    title: str,
    published: str,
    language: str = "en",
    publisher: str | None = None,
    url: str | None = None,
) -> SourceMeta:
    """The options of ``source add`` checked: InputError naming the option."""
    from urllib.parse import urlsplit

    from .queries import expand_iri

    check_text(title, "--title")
    if not title.strip():
        raise InputError("--title: must not be empty")
    if not LANGUAGE_RE.match(language):
        raise InputError(f"--language: {language!r} is not a language tag such as en or ru")
    if publisher is not None:
        check_text(publisher, "--publisher")
        publisher = expand_iri(publisher)
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+", publisher):
            raise InputError(
                f"--publisher: {publisher!r} is not an IRI (e.g. id:organization/osce)"
            )
    if url is not None:
        check_text(url, "--url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
            raise InputError(f"--url: {url!r} is not an http:// or https:// URL")
    return SourceMeta(title.strip(), parse_date(published), language, publisher, url)


def add_source(layout: DataLayout, slug: str, text_file: Path, meta: SourceMeta) -> Path:
    """Scaffold ``graph/sources/<slug>/`` in ``layout``'s own folder from a text file
    (never in a base layer or the installed package); returns the new folder."""
    from .annotate import PREFIX_LINES

    if not SLUG_RE.match(slug):
        raise InputError(f"SLUG: {slug!r} must be lower-case words joined by hyphens")
    if slug in layout.source_slugs():
        raise InputError(f"SLUG: a source {slug!r} exists already ({layout.source_dir(slug)})")
    target = layout.writable(layout.sources_dir / slug, "source add")
    raw = read_regular(text_file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"--text: {text_file}: not UTF-8 text (byte {exc.start})") from None
    binary = _BINARY.search(text)
    if binary:
        at = len(text[: binary.start()].encode("utf-8"))
        raise InputError(
            f"--text: {text_file}: binary, not text (byte {at} is a control character)"
        )
    if not text.strip():
        raise InputError(f"--text: {text_file}: empty")
    with atomic_directory(target) as tmp:
        (tmp / "source.txt").write_bytes(raw)
        (tmp / "article.ttl").write_text(article_turtle(slug, meta, text, raw), encoding="utf-8")
        (tmp / "facts.ttl").write_text(
            FACTS_TEMPLATE.format(slug=slug, okg=ns.ONTOLOGY_NS), encoding="utf-8"
        )
        (tmp / "annotations.ttl").write_text(
            f"# The annotations of {slug}: osce-kg annotate {slug} QUOTE --resource IRI "
            "--append\n" + PREFIX_LINES,
            encoding="utf-8",
        )
    return target


def list_sources(layout: DataLayout) -> list[SourceInfo]:
    """Every source with its title, date, triple count and whether its text is intact."""
    import pyoxigraph

    from .layout import rdf_files
    from .loading import ox_triples

    infos: list[SourceInfo] = []
    title_p = pyoxigraph.NamedNode("http://purl.org/dc/terms/title")
    issued_p = pyoxigraph.NamedNode("http://purl.org/dc/terms/issued")
    sha_p = pyoxigraph.NamedNode(ns.ONTOLOGY_NS + "sha256")
    for slug in layout.source_slugs():
        folder = layout.source_dir(slug)
        iri = pyoxigraph.NamedNode(ns.thing("source", slug))
        triples = 0
        title = published = digest = None
        for path in rdf_files(folder):
            for t in ox_triples(path):
                triples += 1
                if t.subject != iri or not isinstance(t.object, pyoxigraph.Literal):
                    continue
                if t.predicate == title_p:
                    title = t.object.value
                elif t.predicate == issued_p:
                    published = t.object.value
                elif t.predicate == sha_p:
                    digest = t.object.value
        text_path = layout.source_text(slug)
        ok = text_path.is_file() and hashlib.sha256(text_path.read_bytes()).hexdigest() == digest
        infos.append(SourceInfo(slug, title, published, triples, ok))
    return infos
