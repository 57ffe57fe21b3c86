"""The stored queries of a data folder: find them, parse them once, list them.

``queries/*.rq`` are the stored queries (``NAME``), ``queries/<folder>/*.rq``
those of sub-folders (``folder/NAME``: the checks, the network queries).  A
parsed query is remembered in the cache folder under the SHA-256 of its text
(:func:`load_query`), so listing or running queries does not parse them with
rdflib every time.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Sequence
from pathlib import Path

from . import memo
from .errors import DataError, InputError, ParseError
from .layout import DataLayout
from .queries import Param, StoredQuery
from .textfiles import read_text


def query_files(
    roots: Path | Sequence[Path] | None = None, *, all_folders: bool = False
) -> dict[str, Path]:
    """Stored query names → files: ``queries/*.rq``, and with ``all_folders``
    ``sub/NAME`` too, of each folder of ``roots`` (default: every layer's
    ``queries/``).  A workspace's query may not take a name its base uses:
    DataError naming both files."""
    if roots is None:
        roots = DataLayout.default().queries_dirs
    folders = [roots] if isinstance(roots, Path) else list(roots)
    files: dict[str, Path] = {}
    for root in folders:
        found = [(p.stem, p) for p in sorted(root.glob("*.rq"))]
        if all_folders:
            found += [(f"{p.parent.name}/{p.stem}", p) for p in sorted(root.glob("*/*.rq"))]
        for name, path in found:
            if name in files:
                raise DataError(
                    f"{path}: stored query {name!r} is {files[name]} already; rename it"
                )
            files[name] = path
    return files


def load_query(path: Path, name: str | None = None) -> StoredQuery:
    """One stored query, parsed; its parse memoised by content (:mod:`osce_kg.memo`)."""
    text = read_text(path)
    name = name or path.stem
    key = memo.digest("query", [text])  # the digest covers the code that wrote the memo
    try:
        e = json.loads(memo.recall("query", key) or b"")
        return StoredQuery(
            name,
            path,
            text,
            e["kind"],
            summary=e["summary"],
            description=e["description"],
            tags=list(e["tags"]),
            params=[Param(**p) for p in e["params"]],
            ordered=bool(e["ordered"]),
            star=bool(e["star"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    q = StoredQuery.from_text(text, name, path)
    entry = {
        "kind": q.kind,
        "summary": q.summary,
        "description": q.description,
        "tags": q.tags,
        "params": [dataclasses.asdict(p) for p in q.params],
        "ordered": q.ordered,
        "star": q.star,
    }
    memo.remember("query", key, json.dumps(entry, ensure_ascii=False, sort_keys=True).encode())
    return q


def catalogue(
    root: Path | Sequence[Path] | None = None, *, all_folders: bool = False
) -> list[StoredQuery]:
    """Every stored query, parsed (DataError if one of the project's own files is broken)."""
    out = []
    for name, path in query_files(root, all_folders=all_folders).items():
        try:
            out.append(load_query(path, name))
        except ParseError as exc:
            raise DataError(str(exc)) from None
    return out


def find_query(name: str, root: Path | Sequence[Path] | None = None) -> StoredQuery:
    """The stored query called ``name``; InputError suggesting the closest names if unknown."""
    files = query_files(root, all_folders=True)
    path = files.get(name.removesuffix(".rq"))
    if path is None:
        close = difflib.get_close_matches(name, list(files), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `osce-kg query list`"
        raise InputError(f"unknown query {name!r}{hint}")
    try:
        return load_query(path, name.removesuffix(".rq"))
    except ParseError as exc:
        raise DataError(str(exc)) from None
