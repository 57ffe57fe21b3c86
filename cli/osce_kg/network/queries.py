"""The stored queries that networks are built from (``queries/network/*.rq``).

They are ordinary stored queries (grlc-style ``#+`` headers, parsed by
:mod:`osce_kg.queries`), so ``osce-kg query run network/speeches`` shows
exactly the rows a network is built from.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..catalogue import load_query as _load
from ..errors import DataError, ParseError
from ..layout import DataLayout
from ..queries import StoredQuery


def queries_dir() -> Path:
    """The shipped network queries' folder (the base layer's)."""
    return DataLayout.default().network_queries_dirs[0]


def _files() -> dict[str, Path]:
    """Name -> file over every layer, a name in two layers an error (as for every
    stored query: :func:`osce_kg.catalogue.query_files`)."""
    from ..catalogue import query_files

    return query_files(DataLayout.default().network_queries_dirs)


@cache
def load_query(name: str) -> StoredQuery:
    """The stored query ``queries/network/<name>.rq`` (a workspace's, else the base's), parsed."""
    path = _files().get(name)
    if path is None:
        raise DataError(f"{queries_dir() / name}.rq: stored network query missing")
    try:
        return _load(path, f"network/{name}")
    except ParseError as exc:
        raise DataError(str(exc)) from None


def query_names() -> list[str]:
    """Names of the stored network queries, sorted."""
    return sorted(_files())
