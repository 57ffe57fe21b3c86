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
    return DataLayout.default().network_queries_dir


@cache
def load_query(name: str) -> StoredQuery:
    """The stored query ``queries/network/<name>.rq``, parsed."""
    path = queries_dir() / f"{name}.rq"
    if not path.is_file():
        raise DataError(f"{path}: stored network query missing")
    try:
        return _load(path, f"network/{name}")
    except ParseError as exc:
        raise DataError(str(exc)) from None


def query_names() -> list[str]:
    """Names of the stored network queries, sorted."""
    return sorted(p.stem for p in queries_dir().glob("*.rq"))
