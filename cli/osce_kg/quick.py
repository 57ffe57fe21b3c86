"""The quick path of ``osce-kg query run``: a stored SELECT query on a cached
Oxigraph copy of the embedded store, without importing rdflib.

The everyday question ("who spoke where?") should answer in about the time it
takes Python to import rdflib.  So the first run builds, once per version of
the data, a persistent Oxigraph store holding exactly what the embedded store
holds (ontology + graph + inferred triples, loaded through rdflib as always)
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
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from . import namespaces as ns

QUICK_FORMATS = ("table", "csv", "tsv", "json", "markdown")


def cache_root() -> Path:
    explicit = os.environ.get("OSCE_KG_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "osce-kg"


def _queries_digest(files: dict[str, Path]) -> str:
    h = hashlib.sha256(f"osce-kg {__version__}\n".encode())
    for name, path in sorted(files.items()):
        h.update(f"{name}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def catalogue() -> dict[str, dict[str, Any]]:
    """Stored queries by name (``network/x`` for sub-folders), from the cache or built."""
    from .paths import data_dir

    root = data_dir("queries")
    files = {p.stem: p for p in sorted(root.glob("*.rq"))}
    files.update({f"{p.parent.name}/{p.stem}": p for p in sorted(root.glob("*/*.rq"))})
    path = cache_root() / f"queries-{_queries_digest(files)[:24]}.json"
    try:
        cached: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return cached
    except (OSError, ValueError):
        pass
    from .queries import catalogue as parse_all

    entries = {
        q.name if q.path is None or q.path.parent == root else f"{q.path.parent.name}/{q.name}": {
            "kind": q.kind,
            "text": q.text,
            "params": [
                {
                    "name": p.name,
                    "variable": p.variable,
                    "required": p.required,
                    "type": p.type,
                    "lang": p.lang,
                    "default": p.default,
                }
                for p in q.params
            ],
        }
        for q in parse_all(root, all_folders=True)
    }
    with contextlib.suppress(OSError):
        _write_atomically(path, json.dumps(entries, ensure_ascii=False, sort_keys=True))
    return entries


def open_cached_store() -> Any:
    """A read-only pyoxigraph store of the current data, built on first use."""
    import pyoxigraph

    from .loading import dataset_fingerprint

    root = cache_root()
    fingerprint = dataset_fingerprint()
    path = root / f"store-{fingerprint[:24]}"
    if not path.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=root))
        try:
            from .store import OxigraphStore

            built = OxigraphStore.open(tmp / "db")
            built.store.flush()
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


def _param_terms(entry: dict[str, Any], values: dict[str, str]) -> dict[str, str] | None:
    """SPARQL terms for the parameters, or None to let the full path handle (and report) it."""
    from .errors import InputError
    from .sparql_bind import iri_term, literal_term

    params = {p["name"]: p for p in entry["params"]}
    if set(values) - set(params):
        return None
    terms: dict[str, str] = {}
    for name, p in params.items():
        value = values.get(name, p["default"])
        if value is None:
            if p["required"]:
                return None
            continue
        try:
            if p["type"] == "iri":
                prefix, sep, local = value.partition(":")
                if sep and prefix in ns.PREFIXES and not local.startswith("//"):
                    value = ns.PREFIXES[prefix] + local
                terms[p["variable"]] = iri_term(value, f"parameter {name}")
            elif p["type"] == "literal":
                terms[p["variable"]] = literal_term(value)
            elif p["type"] == "lang":
                terms[p["variable"]] = literal_term(value, p["lang"])
            else:
                return None
        except InputError:
            return None
    return terms


def quick_run(name: str, values: dict[str, str], fmt: str | None, output: Path | None) -> bool:
    """Run stored SELECT query ``name`` the quick way; False if the full path must do it."""
    fmt = fmt or "table"
    if fmt not in QUICK_FORMATS:
        return False
    entry = catalogue().get(name.removesuffix(".rq"))
    if entry is None or entry["kind"] != "SELECT":
        return False
    terms = _param_terms(entry, values)
    if terms is None:
        return False
    from .output import emit
    from .resultset import SelectResult
    from .sparql_bind import bind_terms
    from .sparql_results import render_select

    answer: Any = open_cached_store().query(bind_terms(entry["text"], terms))
    variables = [v.value for v in answer.variables]
    rows = [tuple(solution[v] for v in variables) for solution in answer]
    emit(render_select(SelectResult(variables, rows), fmt), output)
    return True
