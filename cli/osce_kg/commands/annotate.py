"""``osce-kg annotate``: the Web Annotation of a passage, with its selectors computed."""

from __future__ import annotations

import click


@click.command()
@click.argument("slug")
@click.argument("quote")
@click.option(
    "--resource",
    "resources",
    metavar="IRI",
    multiple=True,
    required=True,
    help="A resource the passage supports (repeatable; id:person/x or a full IRI).",
)
@click.option("--regex", is_flag=True, help="QUOTE is a regular expression (Python syntax).")
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    default=None,
    help="Which occurrence, when the quote occurs more than once (1 is the first).",
)
@click.option(
    "--append",
    is_flag=True,
    help="Add the annotation to the source's annotations.ttl instead of printing it.",
)
def annotate(
    slug: str,
    quote: str,
    resources: tuple[str, ...],
    regex: bool,
    occurrence: int | None,
    append: bool,
) -> None:
    """Find QUOTE in source SLUG and write the annotation that cites it.

    The TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector
    (start, end in code points) are computed from the source's text, so they
    validate.  The quote may differ from the source in quotes, dashes and
    white space; the annotation holds the source's exact characters.  A quote
    that occurs more than once needs --occurrence; one that is not there gets
    the nearest passage named.

    \b
    Example:
        osce-kg annotate 2012-09-22-osce-annual-police-experts-meeting \\
            "Knut Dreyer" --resource id:person/knut-dreyer
        osce-kg annotate SLUG "OSCE" --occurrence 3 --resource id:organization/osce --append
    """
    from ..annotate import PREFIX_LINES, annotation_turtle, choose, find
    from ..errors import InputError
    from ..layout import DataLayout
    from ..queries import expand_iri
    from ..sparql_bind import check_text
    from ..textfiles import read_text

    layout = DataLayout.default()
    check_text(quote, "QUOTE")
    layout.require_source(slug)
    text_path = layout.source_text(slug)
    text = read_text(text_path)
    passage = choose(find(text, quote, regex=regex), quote, str(text_path), occurrence, text)
    turtle = annotation_turtle(slug, passage, [expand_iri(r) for r in resources])
    if not append:
        click.echo(PREFIX_LINES + "\n" + turtle, nl=False)
        return
    from ..atomic import atomic_write_text

    target = layout.writable(layout.source_dir(slug) / "annotations.ttl", "--append")
    existing = read_text(target) if target.exists() else PREFIX_LINES
    first_line = turtle.split(" ", 1)[0]
    if first_line in existing:
        raise InputError(
            f"{target}: {first_line} exists already; add the resource to its oa:hasBody"
        )
    atomic_write_text(target, existing.rstrip("\n") + "\n\n" + turtle)
    click.echo(f"annotated {passage.start}-{passage.end} in {target}")
