"""The quick path of ``osce-kg query run``: a stored SELECT query on a cached
Oxigraph copy of the embedded store, without importing rdflib.

The everyday question ("who spoke where?") should answer in about the time it
takes Python to import rdflib.  So the first run builds, once per version of
the data, a persistent Oxigraph store holding exactly what the embedded store
holds (ontology + graph + inferred triples, bulk-loaded by Oxigraph's parsers)
and a JSON catalogue of the stored queries (their metadata and parameters,
discovered from the parsed queries); later runs open that store read-only,
bind parameters as escaped RDF terms and print through the same writers as the
full path.  Anything the quick path does not handle (another query form, a
typed-literal parameter, an error to report) falls through to the full path,
which gives the same answer and the detailed messages.

The cache lives in ``$OSCE_KG_CACHE``, else ``$XDG_CACHE_HOME/osce-kg``, else
``~/.cache/osce-kg``; it is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .atomic import atomic_write_text
from .errors import InputError, OsceKgError
from .queries import Param, StoredQuery, query_files, resolve_values, sparql_value
from .sparql_results import SELECT_FORMATS

# Bump when the catalogue's JSON changes shape, so that old caches are not read.
CATALOGUE_FORMAT = 3


def cache_root() -> Path:
    explicit = os.environ.get("OSCE_KG_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "osce-kg"


def catalogue() -> dict[str, StoredQuery]:
    """The stored queries by name (``network/x`` for sub-folders), from the cache or parsed.

    A query that does not parse is left out, so that running it falls through to
    the full path, which reports it.
    """
    from .loading import files_digest

    files = query_files(all_folders=True)
    digest = files_digest(f"queries {CATALOGUE_FORMAT}", sorted(files.items()))
    path = cache_root() / f"queries-{digest[:24]}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        return {
            name: StoredQuery(
                name,
                files[name],
                e["text"],
                e["kind"],
                summary=e["summary"],
                description=e["description"],
                tags=list(e["tags"]),
                params=[Param(**p) for p in e["params"]],
                ordered=bool(e["ordered"]),
            )
            for name in files
            if (e := cached.get(name)) is not None
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    from .queries import load_query

    found: dict[str, StoredQuery] = {}
    for name, query_path in files.items():
        with contextlib.suppress(OsceKgError):
            found[name] = load_query(query_path, name)
    entries = {
        name: {
            "kind": q.kind,
            "text": q.text,
            "summary": q.summary,
            "description": q.description,
            "tags": q.tags,
            "params": [dataclasses.asdict(p) for p in q.params],
            "ordered": q.ordered,
        }
        for name, q in found.items()
    }
    with contextlib.suppress(OSError):
        atomic_write_text(path, json.dumps(entries, ensure_ascii=False, sort_keys=True))
    return found


def complete_catalogue() -> dict[str, StoredQuery] | None:
    """:func:`catalogue` if every stored query parsed, else None (the full path then
    reports the broken file); in the order of :func:`~osce_kg.queries.query_files`."""
    found = catalogue()
    return found if set(found) == set(query_files(all_folders=True)) else None


def open_cached_store() -> Any:
    """A read-only pyoxigraph store of the current data, built on first use.

    The folder's name carries the data's fingerprint, so a store is only ever
    opened for the data it was built from; older ones are removed.
    """
    import pyoxigraph

    from .loading import bulk_load_dataset, dataset_fingerprint

    root = cache_root()
    path = root / f"store-{dataset_fingerprint()[:24]}"
    if not path.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=root))
        try:
            built = pyoxigraph.Store(str(tmp / "db"))
            bulk_load_dataset(built)
            built.flush()
            del built
            # If another process won the race, its copy is as good as ours.
            with contextlib.suppress(OSError):
                os.replace(tmp / "db", path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for old in root.glob("store-*"):
            if old != path:
                shutil.rmtree(old, ignore_errors=True)
    return pyoxigraph.Store.read_only(str(path))


def _param_terms(query: StoredQuery, values: dict[str, str]) -> dict[str, str] | None:
    """SPARQL terms for the parameters, or None to let the full path handle (and report) it."""
    terms: dict[str, str] = {}
    try:
        for param, value in resolve_values(query, values):
            term = sparql_value(param, value)
            if term is None:
                return None
            terms[param.variable] = term
    except InputError:
        return None
    return terms


def quick_run(name: str, values: dict[str, str], fmt: str | None, output: Path | None) -> bool:
    """Run stored SELECT query ``name`` the quick way; False if the full path must do it."""
    fmt = fmt or "table"
    if fmt not in SELECT_FORMATS:
        return False
    query = catalogue().get(name.removesuffix(".rq"))
    if query is None or query.kind != "SELECT":
        return False
    terms = _param_terms(query, values)
    if terms is None:
        return False
    try:
        store = open_cached_store()
    except OSError:
        return False  # no usable cache folder: the full path needs none
    from .output import emit
    from .resultset import SelectResult
    from .sparql_bind import bind_terms
    from .sparql_results import render_select

    answer: Any = store.query(bind_terms(query.text, terms))
    variables = [v.value for v in answer.variables]
    rows = [tuple(solution) for solution in answer]
    emit(render_select(SelectResult(variables, rows), fmt), output)
    return True
