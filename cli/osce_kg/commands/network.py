"""``osce-kg network``: analyse, export and draw the networks of actors and events."""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

# The registries, which import no NetworkX (so --help stays fast).
from ..network import COMMUNITY_SEED, LAYOUT_SEED, NETWORKS, SECTIONS
from ..network.exports import EXPORTERS
from .options import SEED, emit, jobs_option, output_options, store_options

if TYPE_CHECKING:
    from ..specs import StoreSpec

F = TypeVar("F", bound=Callable[..., Any])


def _network_args(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option(
        "--roll-up",
        is_flag=True,
        help="Replace each part of an event (an opening ceremony) by the event it belongs to.",
    )(func)
    func = store_options(func)
    return click.argument("name", type=click.Choice(list(NETWORKS)), metavar="NAME")(func)


def _load_networkx(jobs: int = 1) -> None:
    """Import NetworkX, turning a bad backend setting into one clear line; with
    ``jobs`` > 1, hand the algorithms nx-parallel implements to it, on that many cores."""
    from ..errors import InputError

    try:
        import networkx as nx
    except (ValueError, ImportError) as exc:
        # NetworkX applies NETWORKX_BACKEND_PRIORITY (and imports the backends
        # it names) on import; a missing or broken backend fails there.
        raise InputError(f"NetworkX backends: {exc} (check NETWORKX_BACKEND_PRIORITY)") from None
    if jobs == 1:
        return
    try:
        importlib.import_module("nx_parallel")  # an optional package, not a dependency
    except ImportError as exc:
        why = "not installed" if exc.name == "nx_parallel" else f"broken ({exc})"
        raise InputError(
            f"--jobs {jobs}: needs the nx-parallel NetworkX backend, which is {why}; "
            f"install a release made for NetworkX {nx.__version__}"
        ) from None
    # nx-parallel runs on one core unless it is made active with a number of jobs.
    try:
        nx.config.backends.parallel.active = True
        nx.config.backends.parallel.n_jobs = jobs
        priority = nx.config.backend_priority
        if "parallel" not in priority.algos:
            priority.algos = ["parallel", *priority.algos]
    except AttributeError:
        # NetworkX before 3.4 has no per-backend settings; or nx-parallel is not
        # registered as a backend.
        raise InputError(
            f"--jobs {jobs}: NetworkX {nx.__version__} cannot configure the nx-parallel "
            "backend (NetworkX 3.4 with nx-parallel 0.3 can)"
        ) from None


_jobs_option = jobs_option(
    "Run betweenness centrality on this many cores, through the nx-parallel "
    "NetworkX backend (which must be installed)."
)


def _build(name: str, roll_up: bool, store_spec: StoreSpec) -> Any:
    from ..network.build import build_network

    return build_network(store_spec.open(), name, roll_up=roll_up)


_WIDTH = max(len(name) for name in NETWORKS) + 2
_HELP = (
    "Networks of actors and events: analyses, Gephi exports, pictures.\n\n"
    "\b\nNAME is one of:\n"
    + "".join(
        textwrap.fill(
            about,
            76,
            initial_indent=f"  {name.ljust(_WIDTH)}",
            subsequent_indent=" " * (_WIDTH + 2),
        )
        + "\n"
        for name, about in NETWORKS.items()
    )
    + """
\b
Example:
    osce-kg network analyze speaker-event --roll-up
    osce-kg network export multigraph --format gexf -o osce.gexf
    osce-kg network draw actor-event -o actor-event.svg
"""
)


@click.group(help=_HELP)
def network() -> None:
    # The help is generated from the registry of networks (osce_kg.network.NETWORKS).
    pass


@network.command()
@_network_args
@click.option(
    "--section",
    type=click.Choice(["all", *SECTIONS]),
    default="all",
    show_default=True,
    help="Which table: nodes (degree, betweenness, PageRank, component, community), "
    "persons / events (bipartite projections), components, communities, who-spoke-where.",
)
@click.option(
    "--seed",
    type=SEED,
    default=COMMUNITY_SEED,
    show_default=True,
    help="Seed of community detection.",
)
@_jobs_option
@output_options(default="table", help="Output format (csv/tsv need one --section).")
def analyze(
    name: str,
    roll_up: bool,
    store_spec: StoreSpec,
    section: str,
    seed: int,
    jobs: int,
    fmt: str,
    output: Path | None,
) -> None:
    """Degrees, betweenness, PageRank, projections, components, communities.

    \b
    Example:
        osce-kg network analyze speaker-event
        osce-kg network analyze actor-event --section persons --format csv -o persons.csv
        osce-kg network analyze speaker-event --roll-up --section who-spoke-where --format json
        osce-kg network analyze multigraph --jobs 4     # with nx-parallel installed
    """
    _load_networkx(jobs)
    from ..network.report import report_text

    graph = _build(name, roll_up, store_spec)
    emit(report_text(graph, section, fmt, seed=seed), output)


@network.command()
@_network_args
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORTERS)),
    default=None,
    help=", ".join(f"{e.name} ({e.description})" for e in EXPORTERS.values())
    + "; without it, -o's suffix chooses (.gexf, .graphml, .json).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (for "
    + ", ".join(e.name for e in EXPORTERS.values() if e.folder)
    + ": a folder), replaced atomically.",
)
@_jobs_option
def export(
    name: str,
    roll_up: bool,
    store_spec: StoreSpec,
    fmt: str | None,
    output: Path,
    jobs: int,
) -> None:
    """Export a network with its analysis figures as node attributes.

    \b
    Example:
        osce-kg network export multigraph --format gexf -o osce.gexf
        osce-kg network export speaker-event --roll-up --format csv -o speaker-event-csv
    """
    _load_networkx(jobs)
    from ..errors import InputError
    from ..network.analysis import annotate
    from ..network.exports import export_network
    from ..rows import choose_format

    suffixes = {e.suffix: e.name for e in EXPORTERS.values() if e.suffix}
    chosen = choose_format(fmt, output, suffixes, None)
    if chosen is None:
        raise InputError(
            f"-o {output}: give --format ({', '.join(EXPORTERS)}); the name does not say which"
        )
    export_network(annotate(_build(name, roll_up, store_spec)), chosen, output)


@network.command()
@_network_args
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The picture: FILE.png or FILE.svg.",
)
@click.option(
    "--seed", type=SEED, default=LAYOUT_SEED, show_default=True, help="Seed of the layout."
)
def draw(
    name: str,
    roll_up: bool,
    store_spec: StoreSpec,
    output: Path,
    seed: int,
) -> None:
    """Draw a labelled picture of a network, coloured by kind of node.

    \b
    Example:
        osce-kg network draw speaker-event --roll-up -o speakers.png
        osce-kg network draw multigraph -o osce.svg
    """
    _load_networkx()
    from ..network.draw import draw_network, picture_format

    picture_format(output)  # a bad file name fails before the graph is read
    graph = _build(name, roll_up, store_spec)
    title = f"osce-kg {name}" + (" (rolled up)" if roll_up else "")
    draw_network(graph, output, title=title, seed=seed)
