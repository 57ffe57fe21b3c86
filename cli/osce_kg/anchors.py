"""Re-anchor annotations whose offsets no longer select their quote.

A source's text may be corrected after its facts were annotated, or a passage
may move.  Each annotation keeps, beside its offsets (``TextPositionSelector``),
the quoted text and what surrounds it (``TextQuoteSelector``: exact, prefix,
suffix).  As annotation tools do, the quote is found again in the text, the
occurrence whose surroundings best match prefix and suffix is chosen, and the
offsets are rewritten.  Where two occurrences match equally well, or the quote
is gone, the anchor is listed, never guessed.  The annotation's IRI (which
names its original offsets) is kept: other triples may point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .annotate import CONTEXT
from .atomic import atomic_write_text
from .textfiles import read_text

OA = "http://www.w3.org/ns/oa#"


@dataclass(frozen=True)
class Anchor:
    """One position selector, what it should select, and where it was re-found."""

    selector: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    status: str  # "ok", "fixed", "ambiguous", "lost"
    new_start: int | None = None

    @property
    def new_end(self) -> int | None:
        return None if self.new_start is None else self.new_start + len(self.exact)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def reanchor(
    text: str, start: int, end: int, exact: str, prefix: str, suffix: str
) -> tuple[str, int | None]:
    """``("ok", start)``, ``("fixed", new_start)``, ``("ambiguous", None)`` or
    ``("lost", None)`` for one selector over ``text``."""

    # A prefix (suffix) shorter than the context the annotation was written with
    # says the quote was that close to the text's start (end): a candidate must be too.
    at_start, at_end = len(prefix) < CONTEXT, len(suffix) < CONTEXT

    def context_holds(s: int) -> bool:
        before = text[:s] if at_start else text[max(0, s - len(prefix)) : s]
        after = (
            text[s + len(exact) :]
            if at_end
            else text[s + len(exact) : s + len(exact) + len(suffix)]
        )
        return before == prefix and after == suffix

    if text[start:end] == exact and context_holds(start):
        return "ok", start
    # Every occurrence of the exact text, overlapping ones included.
    starts = [m.start() for m in re.finditer(f"(?={re.escape(exact)})", text)] if exact else []
    if not starts:
        return "lost", None
    if at_start or at_end:
        starts = [s for s in starts if context_holds(s)] or starts
    scored = [
        (
            _common_suffix(text[max(0, s - len(prefix)) : s], prefix)
            + _common_prefix(text[s + len(exact) : s + len(exact) + len(suffix)], suffix),
            s,
        )
        for s in starts
    ]
    best = max(score for score, _ in scored)
    winners = [s for score, s in scored if score == best]
    if len(winners) > 1:
        return "ambiguous", None
    return ("ok" if winners[0] == start else "fixed"), winners[0]


def check_source(text_path: Path, annotations: Path) -> list[Anchor]:
    """Every position selector of ``annotations`` checked against the text."""
    import rdflib

    from .loading import parse_file

    text = read_text(text_path)
    g = parse_file(annotations)
    oa = rdflib.Namespace(OA)
    anchors = []
    for target in sorted(set(g.subjects(oa.hasSelector, None)), key=str):
        selectors = list(g.objects(target, oa.hasSelector))
        position = next(
            (s for s in selectors if (s, rdflib.RDF.type, oa.TextPositionSelector) in g), None
        )
        quote = next(
            (s for s in selectors if (s, rdflib.RDF.type, oa.TextQuoteSelector) in g), None
        )
        if position is None or quote is None:
            continue
        first, last = g.value(position, oa.start), g.value(position, oa.end)
        if first is None or last is None:
            continue
        start, end = int(str(first)), int(str(last))
        exact = str(g.value(quote, oa.exact) or "")
        prefix, suffix = str(g.value(quote, oa.prefix) or ""), str(g.value(quote, oa.suffix) or "")
        status, new = reanchor(text, start, end, exact, prefix, suffix)
        anchors.append(Anchor(str(position), start, end, exact, prefix, suffix, status, new))
    return anchors


def fix(annotations: Path, anchors: list[Anchor]) -> int:
    """Rewrite the offsets of the ``fixed`` anchors in the Turtle file (atomically);
    how many were rewritten.  The file's text is edited in place, so its layout,
    comments and every other triple stay as they were."""
    text = read_text(annotations)
    done = 0
    for a in anchors:
        if a.status != "fixed":
            continue
        head = re.search(re.escape(f"<{a.selector}>") + r"\s+a\s+oa:TextPositionSelector", text)
        if head is None:
            continue
        close = text.find(" .", head.end())
        block = text[head.start() : close]
        block = re.sub(r'(oa:start\s+)"\d+"', rf'\g<1>"{a.new_start}"', block)
        block = re.sub(r'(oa:end\s+)"\d+"', rf'\g<1>"{a.new_end}"', block)
        text = text[: head.start()] + block + text[close:]
        done += 1
    if done:
        atomic_write_text(annotations, text)
    return done
