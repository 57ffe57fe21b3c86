"""Answers osce-kg can compute again, kept in the cache folder under the digest of
what they were computed from.

A slow step whose answer depends only on its inputs (a stored query's parse, a
network's layout and pictures, the ontology's page) is computed once per
distinct input: :func:`memoised` looks for the answer under
``cache_root()/memo/KIND/DIGEST``, and computes and keeps it when it is not
there.  The digest covers osce-kg's version and code
(:func:`osce_kg.version.code_version`: an upgrade, a ``git pull`` or an edit
makes new answers) and every part of the input the caller names (the data,
the options, the versions of the libraries that compute it).  The answer is
the same bytes either way; only the time differs.

Each file starts with the SHA-256 of the answer it holds: a file that does
not match (damaged, cut short, edited) is computed again and replaced.  Where
the cache folder cannot be written, every answer is computed each time.  Each
kind keeps its most recently written answers only (:data:`KEEP`,
:data:`KEEP_BYTES`).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .atomic import OutputError, atomic_write_bytes
from .layout import cache_root
from .version import code_version

KEEP = 500
"""Answers kept per kind; past that, or past :data:`KEEP_BYTES`, the oldest are
removed until four fifths of either is left."""
KEEP_BYTES = 64 << 20

_STALE_TEMPORARY = 3600.0  # seconds: a writer's temporary file older than this was left


def versions(*libraries: str) -> str:
    """The installed version of each library, for a digest ("absent" if it is not)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in libraries:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} absent")
    return " ".join(found)


def digest(kind: str, parts: Iterable[str | bytes]) -> str:
    """The key of an answer: SHA-256 over the kind, osce-kg's version and code, and
    each part (length-prefixed, so two lists of parts never run together)."""
    h = hashlib.sha256(f"{kind}\nosce-kg {code_version()}\n".encode())
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
    """Remove the oldest answers past :data:`KEEP` or :data:`KEEP_BYTES`, and what
    a writer killed half-way left."""
    now = time.time()
    kept: list[tuple[float, int, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for path in entries:
        try:
            st = path.stat()
        except OSError:  # removed meanwhile by another process's pruning
            continue
        if not path.name.startswith("."):
            kept.append((st.st_mtime, st.st_size, path))
        elif now - st.st_mtime > _STALE_TEMPORARY:
            with contextlib.suppress(OSError):
                path.unlink()
    count, size = len(kept), sum(n for _, n, _ in kept)
    if count <= KEEP and size <= KEEP_BYTES:
        return
    for _, n, path in sorted(kept, key=lambda entry: entry[0]):
        if count <= KEEP * 4 // 5 and size <= KEEP_BYTES * 4 // 5:
            break
        with contextlib.suppress(OSError):
            path.unlink()
        count, size = count - 1, size - n
