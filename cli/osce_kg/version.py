"""The version of osce-kg (a module of its own, so that reading it imports nothing)."""

from __future__ import annotations

import functools

__version__ = "0.1.0"


@functools.cache
def code_version() -> str:
    """The version and a digest of the name, size and modification time of every
    module of the package: what every cache osce-kg keeps is keyed by, so that any
    change of its code (an upgrade, a ``git pull``, an edit) makes new ones
    (once per process, about 2 ms)."""
    import hashlib
    from pathlib import Path

    package = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path.relative_to(package)} {st.st_size} {st.st_mtime_ns}\n".encode())
    return f"{__version__}+{h.hexdigest()[:16]}"
