"""The static HTML report, ``index.html``: what a reader opens first.

The page is rendered from a Jinja2 template with autoescaping on, so every
label and every run of article text is escaped.  It works offline: its CSS and
JavaScript are inline, written for this page; it loads nothing from a network.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import jinja2

from ..resultset import Store
from ..version import __version__
from . import report_data as rd
from . import report_speeches
from .article_text import articles
from .report_files import TABLE_ROWS, QueryTable, describe


@dataclass
class ValidationStatus:
    """The outcome of the build's validation stage, as the report shows it."""

    ran: bool
    conforms: bool | None = None
    counts: dict[str, int] = field(default_factory=dict)
    """Results per severity (e.g. ``{"Violation": 0, "Warning": 2}``)."""
    summary: str = ""
    files: list[str] = field(default_factory=list)


@dataclass
class OutputFile:
    """A file of the build, listed in the report with a link."""

    path: str
    """Relative to the output folder, with ``/``."""
    size: int


@dataclass(frozen=True)
class NetworkNode:
    anchor: str
    label: str
    x: float
    y: float
    kind: str


@dataclass
class NetworkPicture:
    width: int
    height: int
    nodes: list[NetworkNode]
    edges: list[tuple[NetworkNode, NetworkNode, str]]


def who_spoke_where(speeches: list[report_speeches.Speech]) -> NetworkPicture:
    """Speakers on the left, the events they spoke at on the right, a line per speech."""
    speakers = sorted({(s.speaker, s.speaker_anchor) for s in speeches if s.speaker})
    events = sorted({(s.event, s.event_anchor) for s in speeches if s.event})
    rows = max(len(speakers), len(events), 1)
    step, top, width = 64, 36, 980
    height = top * 2 + step * (rows - 1)

    def column(items: list[tuple[str, str]], x: float, kind: str) -> dict[str, NetworkNode]:
        offset = top + step * (rows - len(items)) / 2
        return {
            a: NetworkNode(a, label, x, offset + i * step, kind)
            for i, (label, a) in enumerate(items)
        }

    left = column(speakers, 200, "speaker")
    right = column(events, 360, "event")
    edges = sorted(
        {
            (left[s.speaker_anchor], right[s.event_anchor], s.anchor)
            for s in speeches
            if s.speaker_anchor in left and s.event_anchor in right
        },
        key=lambda e: (e[0].label, e[1].label, e[2]),
    )
    return NetworkPicture(width, height, [*left.values(), *right.values()], edges)


def build_time() -> str:
    """The build time in UTC; ``SOURCE_DATE_EPOCH`` fixes it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


BUILD_TIME_MARKER = "data-build-time"
"""The one line of ``index.html`` that differs between two builds carries this attribute."""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("osce_kg.build", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["page"] = page_of
    return env


def page_of(iri: str) -> str:
    """The page of the build's Linked Data site for ``iri``."""
    from .describe import site_path

    return f"site/{site_path(iri)}.html"


def render_report(
    store: Store,
    *,
    asserted: int,
    inferred: int,
    validation: ValidationStatus,
    files: list[OutputFile],
    network_pictures: list[str],
    answers: list[QueryTable] | None = None,
    built_at: str | None = None,
) -> str:
    """The HTML of ``index.html`` for the dataset in ``store`` (asserted and inferred triples)."""
    overview = rd.overview(store, asserted, inferred)
    speeches = report_speeches.speeches(store)
    persons = rd.persons(store)
    by_speaker: dict[str, list[tuple[str, str]]] = {}
    for s in speeches:
        by_speaker.setdefault(s.speaker_anchor, []).append((s.anchor, s.event))
    for p in persons:
        p.speeches = by_speaker.get(p.anchor, [])
    template = _environment().get_template("index.html.j2")
    return template.render(
        version=__version__,
        built_at=built_at or build_time(),
        build_time_marker=BUILD_TIME_MARKER,
        overview=overview,
        events=rd.events(store),
        persons=persons,
        speeches=speeches,
        articles=articles(overview.sources, speeches),
        network=who_spoke_where(speeches),
        network_pictures=network_pictures,
        validation=validation,
        downloads=describe([(f.path, f.size) for f in files]),
        answers=answers or [],
        table_rows=TABLE_ROWS,
    )
