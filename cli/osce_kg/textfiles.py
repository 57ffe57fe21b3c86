"""Reading the files osce-kg is given: regular files only, text as UTF-8.

Every reader refuses, with one line naming the file, what would block or
mislead it: a FIFO, device or socket, a folder, a link loop, bytes that are
not UTF-8.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError, ParseError


def first_non_folder(path: Path) -> Path | None:
    """The ancestor of ``path`` that exists and is not a folder (a file in the
    way of a path that cannot exist), if there is one."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _open_regular(path: Path) -> int:
    """A read descriptor of ``path`` (blocking); InputError unless it is a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without waiting
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError(f"{path}: cannot read: {reason}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a folder, not a file")
        raise InputError(f"{path}: not a regular file (a FIFO, device or socket)")
    os.set_blocking(fd, True)
    return fd


def check_regular(path: Path) -> None:
    """InputError (one line naming ``path``) unless ``path`` is a regular file that
    can be read: a missing file, a folder, a link loop, a FIFO, device or socket
    is refused before anything blocks on it.  For parsers that open the file
    themselves."""
    os.close(_open_regular(path))


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; InputError as :func:`check_regular` says."""
    with os.fdopen(_open_regular(path), "rb") as fh:
        try:
            return fh.read()
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise InputError(f"{path}: cannot read: {reason}") from None


def decode_utf8(path: Path, data: bytes) -> str:
    """``data`` (read from ``path``) as text; ParseError ``FILE:LINE:COL`` if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(str(path), line, col, "not valid UTF-8") from None


def read_text(path: Path) -> str:
    """A text file's contents: InputError if it cannot be read (see
    :func:`read_regular`), ParseError ``FILE:LINE:COL`` if it is not UTF-8."""
    return decode_utf8(path, read_regular(path))
