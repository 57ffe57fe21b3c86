"""Answers osce-kg can compute again, kept in the cache folder under the digest of
what they were computed from.

A slow step whose answer depends only on its inputs (a stored query's parse, a
network's picture, the ontology's page) is computed once per distinct input:
:func:`memoised` looks for the answer under ``cache_root()/memo/KIND/DIGEST``,
where the digest covers osce-kg's version and every part of the input the
caller names (the data, the options, the versions of the libraries that
compute it), and computes and keeps it when it is not there.  The answer is
the same bytes either way; only the time differs.

Each file starts with the SHA-256 of the answer it holds: a file that does
not match (damaged, cut short, edited) is computed again and replaced.  Where
the cache folder cannot be written, every answer is computed each time.  Each
kind keeps its most recently written answers only (:data:`KEEP`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from .atomic import OutputError, atomic_write_bytes
from .layout import cache_root
from .version import __version__

KEEP = 500
"""Answers kept per kind; past that, the oldest fifth is removed."""


def digest(kind: str, parts: Iterable[str | bytes]) -> str:
    """The key of an answer: SHA-256 over the kind, osce-kg's version and each part
    (length-prefixed, so two lists of parts never run together)."""
    h = hashlib.sha256(f"{kind}\nosce-kg {__version__}\n".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(f"{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def _path(kind: str, key: str) -> Path:
    return cache_root() / "memo" / kind / key


def recall(kind: str, key: str) -> bytes | None:
    """The answer kept under ``key``, or None (none kept, or it is damaged)."""
    try:
        stored = _path(kind, key).read_bytes()
    except OSError:
        return None
    check, _, data = stored.partition(b"\n")
    if check != hashlib.sha256(data).hexdigest().encode():
        return None
    return data


def remember(kind: str, key: str, data: bytes) -> None:
    """Keep ``data`` under ``key`` (atomically), if the cache folder can be written."""
    path = _path(kind, key)
    check = hashlib.sha256(data).hexdigest().encode()
    with contextlib.suppress(OSError, OutputError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, check + b"\n" + data)
        _prune(path.parent)


def memoised(kind: str, parts: Iterable[str | bytes], compute: Callable[[], bytes]) -> bytes:
    """``compute()``'s answer for the input ``parts`` describe: kept, or computed and kept."""
    key = digest(kind, parts)
    found = recall(kind, key)
    if found is None:
        found = compute()
        remember(kind, key, found)
    return found


def _prune(folder: Path) -> None:
    try:
        kept = [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return
    if len(kept) <= KEEP:
        return
    kept.sort(key=_written)
    for old in kept[: len(kept) - KEEP * 4 // 5]:
        with contextlib.suppress(OSError):
            old.unlink()


def _written(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process's pruning
        return 0.0
