"""The article texts of the report, cut into runs with each quotation marked.

The report shows each source's verbatim text with its quotations highlighted
where the annotations put them; this module turns a text and its quotations'
offsets into paragraphs of runs that the template renders (and escapes).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..layout import DataLayout
from .report_data import Source
from .report_speeches import Quotation, Speech


@dataclass
class Segment:
    """A run of article text; ``quote`` is the anchor of the quotation it belongs to."""

    text: str
    quote: str
    first: bool


@dataclass
class Article:
    source: Source
    paragraphs: list[list[Segment]]


def articles(
    srcs: Iterable[Source],
    speeches_: Iterable[Speech],
    read_text: Callable[[str], str] | None = None,
) -> list[Article]:
    """Each source's text cut into paragraphs and runs, quotations marked.

    Offsets are code points with an exclusive end (Web Annotation's
    TextPositionSelector), which is exactly Python's string indexing.  A
    quotation whose offsets do not select its own words is a data error: the
    report must not highlight the wrong passage.
    """
    read = read_text or _read_source
    by_source: dict[str, list[Quotation]] = defaultdict(list)
    for sp in speeches_:
        for q in sp.quotations:
            by_source[q.source_anchor].append(q)
    out = []
    for src in srcs:
        text = read(src.slug)
        quotes = sorted(by_source.get(src.anchor, []), key=lambda q: q.start)
        previous_end = 0
        for q in quotes:
            if not 0 <= q.start < q.end <= len(text):
                raise DataError(f"quotation {q.iri}: offsets {q.start}-{q.end} outside its article")
            if text[q.start : q.end] != q.text:
                raise DataError(
                    f"quotation {q.iri}: article text at {q.start}-{q.end} is "
                    f"{text[q.start : q.end]!r}, not the quoted words {q.text!r}"
                )
            if q.start < previous_end:
                raise DataError(f"quotation {q.iri} overlaps another quotation")
            previous_end = q.end
        out.append(Article(src, _paragraphs(text, quotes)))
    return out


def _read_source(slug: str) -> str:
    path: Path = DataLayout.default().source_text(slug)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: the text of source {slug} is missing") from None


def _paragraphs(text: str, quotes: list[Quotation]) -> list[list[Segment]]:
    """Split ``text`` at line breaks and at quotation boundaries."""
    cuts = {0, len(text)}
    for q in quotes:
        cuts |= {q.start, q.end}
    pos = 0
    for line in text.split("\n"):
        cuts |= {pos, pos + len(line)}
        pos += len(line) + 1
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    paragraphs: list[list[Segment]] = [[]]
    started: set[str] = set()
    for a, b in itertools.pairwise(points):
        chunk = text[a:b]
        quote = next((q.anchor for q in quotes if q.start <= a and b <= q.end), "")
        for i, piece in enumerate(chunk.split("\n")):
            if i > 0:
                paragraphs.append([])
            if piece:
                first = bool(quote) and quote not in started
                if quote:
                    started.add(quote)
                paragraphs[-1].append(Segment(piece, quote, first))
    return [p for p in paragraphs if p]
