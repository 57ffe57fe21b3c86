"""The options several commands share, and the one place a command's text is written.

* :func:`output_options` — ``--format`` and ``-o/--output``;
* :func:`store_options` — ``--store``, ``--endpoint``, ``--timeout`` and
  ``--retries``, handed to the command as one :class:`~osce_kg.specs.StoreSpec`
  keyword argument ``store_spec``;
* :func:`endpoint_options` — ``--endpoint``, ``--timeout`` and ``--retries``
  alone (``osce-kg build``);
* :func:`jobs_option` — ``--jobs N``;
* :func:`emit` — write a command's text to standard output or, atomically, to
  the ``--output`` file.

Library code returns text; only the command layer writes it.  This module
imports only click and the standard library, so ``osce-kg --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import math
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import click

F = TypeVar("F", bound=Callable[..., Any])

# Seeds of the layouts (NumPy's random generator takes 0 .. 2**32 - 1).
SEED = click.IntRange(0, 2**32 - 1)


class Seconds(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A finite number of seconds within [``low``, ``high``]: not nan, inf or 1e300."""

    name = "seconds"

    def __init__(self, low: float = 0.1, high: float = 86400.0) -> None:
        self.low = low
        self.high = high

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "SECONDS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(
                f"{value!r} is not between {self.low:g} and {self.high:g} seconds", param, ctx
            )
        return number


R = TypeVar("R")


Suffixes = Mapping[str, str] | Callable[[], Mapping[str, str]]


@contextlib.contextmanager
def table_width(output: Path | None) -> Iterator[None]:
    """Tables fit the terminal when they go to one (long values cut with an
    ellipsis); written to a file or a pipe, every value is whole."""
    from ..rows import TABLE_WIDTH

    width = None
    if output is None and sys.stdout.isatty():
        width = max(40, shutil.get_terminal_size().columns)
    token = TABLE_WIDTH.set(width)
    try:
        yield
    finally:
        TABLE_WIDTH.reset(token)


def output_options(
    formats: Sequence[str] | None = None,
    default: str | None = "table",
    help: str = "Output format.",
    suffixes: Suffixes | None = None,
) -> Callable[[F], F]:
    """Add ``--format`` (parameter ``fmt``; ``formats`` default to the row formats
    of :mod:`osce_kg.rows`) and ``-o/--output`` to a command.

    Without ``--format`` the format is the one ``-o``'s suffix names
    (``suffixes``; for the row formats ``.csv``, ``.tsv``, ``.json``, ``.md``),
    else ``default``; a ``--format`` the suffix contradicts is an error.  With
    ``suffixes`` None and explicit ``formats``, the command resolves the format
    itself (``osce-kg query``, whose formats depend on the query's kind)."""

    def decorate(func: F) -> F:
        if formats is None:
            from ..rows import ROW_FORMATS, ROW_SUFFIXES  # read when a command module loads

            choices: Sequence[str] = ROW_FORMATS
            table: Suffixes | None = ROW_SUFFIXES if suffixes is None else suffixes
        else:
            choices, table = formats, suffixes
        by_suffix = table

        @functools.wraps(func)
        def command(*args: Any, fmt: str | None, output: Path | None, **kwargs: Any) -> Any:
            if by_suffix is not None:
                mapping = by_suffix() if callable(by_suffix) else by_suffix
                from ..rows import choose_format

                fmt = choose_format(fmt, output, mapping, default)
            with table_width(output):
                return func(*args, fmt=fmt, output=output, **kwargs)

        decorated: Any = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Write to this file (atomically) instead of standard output; its suffix "
            "chooses the format when --format is not given.",
        )(command)
        decorated = click.option(
            "--format",
            "fmt",
            type=click.Choice(list(choices)),
            default=None,
            show_default=f"{default}, or from -o's suffix" if default else False,
            help=help,
        )(decorated)
        return cast(F, decorated)

    return decorate


def endpoint_options(
    *,
    timeout: float = 30.0,
    envvar: str | None = "OSCE_KG_ENDPOINT",
    help: str = "Query this SPARQL 1.1 endpoint instead of a local store",
) -> Callable[[F], F]:
    """A decorator adding ``--endpoint``, ``--timeout`` and ``--retries`` to a command."""

    def add(func: F) -> F:
        func = click.option(
            "--retries",
            type=click.IntRange(0, 10),
            default=2,
            show_default=True,
            help="With --endpoint: retries after a connection error, timeout or 5xx "
            "(backoff 0.5 s, 1 s, ...).",
        )(func)
        func = click.option(
            "--timeout",
            type=Seconds(),
            default=timeout,
            show_default=True,
            help="With --endpoint: seconds to wait for an answer.",
        )(func)
        return click.option(
            "--endpoint",
            metavar="URL",
            default=None,
            envvar=envvar,
            help=f"{help} (credentials: OSCE_KG_ENDPOINT_USER/_PASSWORD or ~/.netrc).",
        )(func)

    return add


def endpoint_graph_option(func: F) -> F:
    """Add ``--graph IRI`` (repeatable; parameter ``endpoint_graph``, a tuple): the
    endpoint's named graphs that hold the dataset."""
    return click.option(
        "--graph",
        "endpoint_graph",
        metavar="IRI",
        multiple=True,
        envvar="OSCE_KG_ENDPOINT_GRAPH",
        help="With --endpoint: a named graph that holds the dataset (repeat for several), "
        "queried as the default graph (sent as default-graph-uri; needed for Virtuoso).",
    )(func)


def store_options(func: Callable[..., R]) -> Callable[..., R]:
    """Add ``--store``, ``--endpoint``, ``--timeout`` and ``--retries`` to a command,
    which receives them as one ``store_spec`` (:class:`~osce_kg.specs.StoreSpec`)."""

    @functools.wraps(func)
    def command(
        *args: Any,
        store: str | None,
        endpoint: str | None,
        timeout: float,
        retries: int,
        endpoint_graph: tuple[str, ...],
        **kwargs: Any,
    ) -> R:
        from ..specs import StoreSpec

        spec = StoreSpec(store, endpoint, timeout, retries, endpoint_graph)
        return func(*args, store_spec=spec, **kwargs)

    # functools.wraps copied the options declared below this decorator; these
    # five join them.
    command = endpoint_options()(command)
    command = endpoint_graph_option(command)
    command = click.option(
        "--store",
        metavar="oxigraph|rdflib",
        default=None,
        help="Local store: oxigraph (default; the dataset's store, cached until the data "
        "change) or rdflib (an in-memory copy of the same triples: same answers, slower).",
    )(command)
    return command


def jobs_option(help: str) -> Callable[[F], F]:
    """Add ``--jobs N`` (at least 1, default 1): what the processes do is ``help``."""
    return click.option(
        "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help=help
    )


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from ..atomic import atomic_write_text

        atomic_write_text(output, text)
