"""The shared ``--store`` / ``--endpoint`` / ``--timeout`` / ``--retries`` options.

``osce-kg build`` takes the last three alone (:func:`endpoint_options`).

Every command that reads the graph decorates itself with :func:`store_options`
and passes the values to :func:`osce_kg.store.open_store`::

    @click.command()
    @store_options
    def mine(store: str | None, endpoint: str | None, timeout: float, retries: int) -> None:
        s = open_store(store, endpoint, timeout=timeout, retries=retries)

This module imports only click, so ``osce-kg --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def endpoint_options(
    *,
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
            type=click.FloatRange(min=0.1),
            default=30.0,
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


def store_options(func: F) -> F:
    """Add ``--store``, ``--endpoint``, ``--timeout`` and ``--retries`` to a command."""
    func = endpoint_options()(func)
    func = click.option(
        "--store",
        type=click.Choice(["oxigraph", "rdflib"]),
        default=None,
        help="Local store: oxigraph (default; the dataset's store, cached until the data "
        "change) or rdflib (an in-memory copy of the same triples: same answers, slower).",
    )(func)
    return func
