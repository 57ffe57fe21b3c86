"""The version of osce-kg (a module of its own, so that reading it imports nothing)."""

from __future__ import annotations

import functools

__version__ = "0.1.0"


@functools.cache
def code_version() -> str:
    """The version and a digest of the package's modules (their names and bytes):
    what every cache osce-kg keeps is keyed by, so that any change of its code
    (an upgrade, a ``git pull``, an edit) makes new ones, and two clones of the
    same code share them.

    The digest of the bytes is itself kept (:mod:`osce_kg.memo`) under the
    modules' names, sizes and times, so a command reads the modules' metadata,
    not their bytes (about 2 ms, once per process).
    """
    import hashlib
    from pathlib import Path

    from . import memo

    package = Path(__file__).parent
    modules = sorted(package.rglob("*.py"))
    listing = hashlib.sha256()
    for path in modules:
        try:
            st = path.stat()
        except OSError:
            continue
        listing.update(f"{path.relative_to(package)} {st.st_size} {st.st_mtime_ns}\n".encode())
    key = listing.hexdigest()
    kept = memo.recall("code", key)
    if kept is not None:
        return f"{__version__}+{kept.decode('ascii', 'replace')}"
    content = hashlib.sha256()
    for path in modules:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        content.update(f"{path.relative_to(package)}\n".encode())
        content.update(hashlib.sha256(data).digest())
    digest = content.hexdigest()[:16]
    memo.remember("code", key, digest.encode("ascii"))
    return f"{__version__}+{digest}"
