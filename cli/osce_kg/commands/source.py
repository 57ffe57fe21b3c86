"""``osce-kg source``: add a source to the corpus, list the sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import emit, output_options

if TYPE_CHECKING:
    from ..layout import DataLayout


def _layout() -> DataLayout:
    from ..layout import DataLayout

    return DataLayout.default()


@click.group()
def source() -> None:
    """Manage the sources: one folder per source under graph/sources/ of the
    workspace (osce-kg init) and of its base."""


@source.command("add")
@click.argument("slug")
@click.option(
    "--text",
    "text_file",
    required=True,
    type=click.Path(path_type=Path),
    help="The source's verbatim text (UTF-8); copied byte for byte.",
)
@click.option("--title", required=True, help="The source's title, as published.")
@click.option("--published", required=True, metavar="YYYY-MM-DD", help="Publication date.")
@click.option(
    "--language", default="en", show_default=True, metavar="TAG", help="The text's language."
)
@click.option(
    "--publisher", metavar="IRI", help="Who published it (id:organization/osce or a full IRI)."
)
@click.option("--url", metavar="URL", help="Where it was published (http or https).")
def add(
    slug: str,
    text_file: Path,
    title: str,
    published: str,
    language: str,
    publisher: str | None,
    url: str | None,
) -> None:
    """Add a source to the workspace; it validates at once.

    Writes graph/sources/SLUG/ with source.txt (the text, byte for byte),
    article.ttl (title, date, language, publisher, URL, the full text and its
    SHA-256), and facts.ttl and annotations.ttl to fill in.  The folder
    appears whole or not at all; nothing is written into the installed
    package (make a workspace with osce-kg init).

    \b
    Example:
        osce-kg source add 2012-10-01-osce-press-release \\
            --text release.txt --title "OSCE press release" --published 2012-10-01 \\
            --publisher id:organization/osce --url https://www.osce.org/…
    """
    from ..corpus import add_source, source_meta

    meta = source_meta(title, published, language, publisher, url)
    folder = add_source(_layout(), slug, text_file, meta)
    click.echo(f"added {folder}")


@source.command("list")
@output_options()
def list_(fmt: str, output: Path | None) -> None:
    """List the sources with their title, date, triple count and status.

    Status is "ok" when source.txt still has the SHA-256 recorded in
    article.ttl, "text changed" otherwise.

    \b
    Example:
        osce-kg source list
        osce-kg source list --format csv
    """
    from ..corpus import list_sources
    from ..rows import render_rows

    rows = [
        (s.slug, s.title, s.published, s.triples, "ok" if s.text_ok else "text changed")
        for s in list_sources(_layout())
    ]
    emit(render_rows(("slug", "title", "published", "triples", "status"), rows, fmt), output)


@source.command("check")
@click.argument("slug")
@click.option("--fix", "apply", is_flag=True, help="Rewrite the offsets that can be re-found.")
def check(slug: str, apply: bool) -> None:
    """Check that every annotation's offsets select its quote; --fix re-anchors them.

    An annotation whose offsets no longer select its exact text (the text was
    corrected, a passage moved) is found again from its exact text, prefix and
    suffix, and with --fix its offsets are rewritten.  Anchors that match
    twice equally well, or whose quote is gone, are listed and left alone.
    Exit 0 when every anchor holds (after --fix), 1 when some do not.

    \b
    Example:
        osce-kg source check 2012-09-22-osce-annual-police-experts-meeting --fix
    """
    from ..anchors import check_source, fix
    from ..errors import EXIT_NONCONFORMANT, InputError

    layout = _layout()
    layout.require_source(slug)
    annotations = layout.source_dir(slug) / "annotations.ttl"
    if not annotations.exists():
        raise InputError(f"{annotations}: no such file")
    anchors = check_source(layout.source_text(slug), annotations)
    broken = [a for a in anchors if a.status != "ok"]
    for a in broken:
        where = f"{a.start}-{a.end}"
        if a.status == "fixed":
            verb = "re-anchored" if apply else "can be re-anchored"
            click.echo(f"{a.selector}: {where} {verb} to {a.new_start}-{a.new_end}")
        else:
            click.echo(f"{a.selector}: {where} {a.status}: {a.exact[:60]!r}")
    if apply:
        layout.writable(annotations, "--fix")
    fixed = fix(annotations, anchors) if apply else 0
    remaining = len(broken) - fixed
    click.echo(
        f"{len(anchors)} anchors: {len(anchors) - len(broken)} hold, "
        f"{fixed} re-anchored, {remaining} to look at"
    )
    if remaining:
        raise SystemExit(EXIT_NONCONFORMANT)


@source.command("mentions")
@click.argument("slug")
@click.option(
    "--draft",
    is_flag=True,
    help="Also write graph/sources/SLUG/draft.ttl: an annotation per new mention, typed "
    "okg:Draft, for you to review.",
)
@output_options()
def mentions(slug: str, draft: bool, fmt: str, output: Path | None) -> None:
    """Every mention in a source's text of an entity the graph already knows.

    Names are labels, alternative labels (abbreviations such as "MIA RT"),
    names and family names; they are matched whatever the case, accents and
    apostrophes, and across the words the published text ran together.  Each
    mention comes with its offsets (code points, as annotations count them),
    the source's exact text, the resource and its types.

    \b
    Example:
        osce-kg source mentions 2012-09-22-osce-annual-police-experts-meeting
        osce-kg source mentions SLUG --format csv -o mentions.csv
        osce-kg source mentions SLUG --draft

    With --draft, the mentions that no annotation of the source holds yet are
    written as draft annotations (one per passage, every candidate resource a
    body); validate reports each draft until you remove its okg:Draft type.
    """
    from rdflib import URIRef

    from ..lookup import mentions as find_mentions
    from ..rows import render_rows
    from ..sparql_results import short
    from ..specs import StoreSpec
    from ..textfiles import read_text

    layout = _layout()
    layout.require_source(slug)
    text = read_text(layout.source_text(slug))
    store = StoreSpec().open(layout)
    from .. import namespaces as ns

    own = ns.thing("source", slug)  # the source's title in its own text is no mention
    found = [m for m in find_mentions(store, text) if m.resource != own]
    if draft:
        from ..annotate import write_draft

        spans = [(m.start, m.end, m.resource) for m in found]
        target = write_draft(layout, slug, text, spans, store)
        click.echo(f"wrote the drafts to review to {target}", err=True)
    rows = [
        (m.start, m.end, m.text, short(URIRef(m.resource)), ", ".join(m.types), m.name)
        for m in found
    ]
    columns = ("start", "end", "text", "resource", "type", "name")
    emit(render_rows(columns, rows, fmt), output)


@source.command("coverage")
@click.argument("slug")
@output_options(
    ("table", "csv", "json", "markdown"),
    default="table",
    suffixes={".csv": "csv", ".json": "json", ".md": "markdown"},
)
def coverage(slug: str, fmt: str, output: Path | None) -> None:
    """Each sentence of a source with the resources whose annotations fall in it,
    and the sentences no fact covers (markdown: a page to read against the text).

    \b
    Example:
        osce-kg source coverage 2012-09-22-osce-annual-police-experts-meeting
        osce-kg source coverage SLUG -o docs/coverage.md
    """
    from .. import namespaces as ns
    from ..entity import coverage as sentence_coverage
    from ..entity import coverage_markdown
    from ..rows import render_rows
    from ..specs import StoreSpec
    from ..textfiles import read_text

    layout = _layout()
    layout.require_source(slug)
    text = read_text(layout.source_text(slug))
    rows = sentence_coverage(StoreSpec().open(layout), ns.thing("source", slug), text)
    if fmt == "markdown":
        emit(coverage_markdown(slug, rows), output)
        return
    table = [
        (
            s.number,
            s.start,
            s.end,
            len(s.resources),
            " ".join(s.resources),
            " ".join(s.text.split()),
        )
        for s in rows
    ]
    emit(
        render_rows(("sentence", "start", "end", "facts", "resources", "text"), table, fmt), output
    )
