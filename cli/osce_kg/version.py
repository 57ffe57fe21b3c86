"""The version of osce-kg (a module of its own, so that reading it imports nothing)."""

from __future__ import annotations

import functools

__version__ = "0.1.0"


@functools.cache
def code_version() -> str:
    """The version and a digest of the package's modules (their names and bytes):
    what every cache osce-kg keeps is keyed by, so that any change of its code
    (an upgrade, a ``git pull``, an edit) makes new ones, and two clones of the
    same code share them.  Once per process, about 4 ms."""
    import hashlib
    from pathlib import Path

    package = Path(__file__).parent
    content = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        content.update(f"{path.relative_to(package).as_posix()}\n".encode())
        content.update(hashlib.sha256(data).digest())
    return f"{__version__}+{content.hexdigest()[:16]}"
