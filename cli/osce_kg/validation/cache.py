"""The incremental validation's cache folder: store, manifest and results.

* ``store/`` — an Oxigraph (RocksDB) store laid out as :mod:`.units` loads it;
* ``manifest.json`` — the SHA-256 of every unit's files, of the ontology, and
  of the rules (shapes, checks, osce-kg version and code), and the id of the store's build;
* ``results.json`` — the shape results, grouped by focus node;
* ``checks.json`` — the SPARQL checks' results of the last run.

Everything is read defensively: a missing or damaged part makes the caller
rebuild, never fail.
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..atomic import atomic_write_text
from ..errors import InputError
from ..version import code_version
from .model import Result
from .oxistore import CONTROL
from .placement import deserialise, serialise

CACHE_DIR = ".osce-kg-cache"


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def open_on_disk(path: Path) -> ox.Store:
    """Open an on-disk store, after freeing any earlier store of this process on it.

    A store is closed when its object is freed; reference cycles (rdflib's query
    parser leaves some behind, with frames that hold a store) are only freed by
    the cycle collector, so run it before RocksDB would refuse the lock.
    """
    try:
        return ox.Store(str(path))
    except OSError:
        gc.collect()
        return ox.Store(str(path))


BUILD = ox.NamedNode("urn:osce-kg:validation:build")


def build_of(store: ox.Store) -> str | None:
    """The id the store was built with (also in the manifest: the two must agree)."""
    for q in store.quads_for_pattern(BUILD, BUILD, None, CONTROL):
        return q.object.value if isinstance(q.object, ox.Literal) else None
    return None


class ResultCache:
    """The cache folder: store, manifest and results, read defensively."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest_path = folder / "manifest.json"
        self.results_path = folder / "results.json"
        self.checks_path = folder / "checks.json"
        self.store_path = folder / "store"

    def load(self) -> tuple[dict[str, Any], dict[str, list[Result]]] | None:
        """Manifest and results, or None when either is missing or unreadable."""
        manifest = read_json(self.manifest_path)
        stored = read_json(self.results_path)
        if not isinstance(manifest, dict) or not isinstance(stored, dict):
            return None
        if manifest.get("version") != code_version() or not isinstance(manifest.get("units"), dict):
            return None
        try:
            results = {key: [deserialise(r) for r in rows] for key, rows in stored.items()}
        except (KeyError, TypeError, ValueError):
            return None
        return manifest, results

    def open_store(self) -> ox.Store | None:
        """The stored store, or None if it is missing or unreadable (then it is rebuilt)."""
        if not self.store_path.is_dir():
            return None
        try:
            return open_on_disk(self.store_path)
        except (OSError, RuntimeError) as exc:  # RocksDB reports damage as RuntimeError
            if "lock" in str(exc).lower():
                raise InputError(
                    f"{self.folder}: the validation cache is in use by another process"
                ) from None
            return None

    def open_empty_store(self) -> ox.Store:
        """The store folder opened for writing (a cold run fills it)."""
        return open_on_disk(self.store_path)

    def save(self, manifest: dict[str, Any], results: dict[str, list[Result]]) -> None:
        rows = {
            key: [serialise(r) for r in found] for key, found in sorted(results.items()) if found
        }
        atomic_write_text(self.results_path, json.dumps(rows, separators=(",", ":")))
        self.save_manifest(manifest)

    def load_checks(self) -> list[Result] | None:
        """The SPARQL checks' results of the last run, if they are readable."""
        rows = read_json(self.checks_path)
        try:
            return [deserialise(r) for r in rows] if isinstance(rows, list) else None
        except (KeyError, TypeError, ValueError):
            return None

    def save_checks(self, results: list[Result]) -> None:
        atomic_write_text(self.checks_path, json.dumps([serialise(r) for r in results]))

    def save_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_text(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True))


def default_cache(root: Path) -> Path:
    """``<data>/.osce-kg-cache``, or ``./.osce-kg-cache`` when the data folder is read-only."""
    if os.access(root, os.W_OK):
        return root / CACHE_DIR
    return Path.cwd() / CACHE_DIR
