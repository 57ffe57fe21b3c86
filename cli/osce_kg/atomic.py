"""Write files and folders atomically: into a temporary sibling, then rename.

A failed or interrupted write leaves the previous file or folder as it was, and
the temporary sibling is removed.  Every ``OSError`` becomes one
:class:`OutputError` naming the path and the reason ("no space left on
device", "... is not a folder"), exit code 2.

* An output that is a symbolic link is written through: its target is
  replaced, the link stays.  An output that exists and is not a regular file
  (``/dev/stdout``, a FIFO) is refused: it cannot be replaced by a rename.
* A folder is swapped in with one atomic step where the system has one
  (Linux ``renameat2(RENAME_EXCHANGE)``), so at every instant the output
  folder is either the old one or the new one.  Runs that replace folders in
  the same parent folder take turns (an ``flock`` on the parent), and each
  cleans what a killed run left there (``.NAME.*.tmp``, ``.NAME.old``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .errors import InputError
from .textfiles import first_non_folder


class OutputError(InputError):
    """An output file or folder cannot be written."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def output_error(path: Path, exc: OSError) -> OutputError:
    """``exc`` (raised while writing ``path``) as one line naming the path."""
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and exc.filename is not None:
        blocker = first_non_folder(path)
        if blocker is not None:
            return OutputError(f"{path}: cannot write: {blocker} is not a folder")
    reason = (exc.strerror or str(exc)).lower()
    return OutputError(f"{path}: cannot write: {reason}")


def _target(path: Path) -> Path:
    """Where writing ``path`` goes: through a symbolic link to its target; an
    existing special file is refused."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise output_error(path, exc) from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutputError(f"{path}: cannot write: not a regular file (a device, FIFO or socket)")
    return path


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise output_error(path, exc) from None


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; on success it replaces ``path``."""
    shown = Path(path)
    path = _target(shown)
    if path.is_dir():
        raise OutputError(f"{shown}: cannot write: is a folder")
    tmp: str | None = None
    try:
        with _writing(shown):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            # mkstemp makes the file private (0600); the result is an ordinary file.
            os.chmod(tmp, 0o666 & ~_umask())
            kwargs = {"encoding": encoding, "newline": ""} if "b" not in mode else {}
            fh = os.fdopen(fd, mode, **kwargs)  # type: ignore[call-overload]
        with fh:
            yield fh
            with _writing(shown):
                fh.flush()
                os.fsync(fh.fileno())
        with _writing(shown):
            os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb", encoding=None) as fh, _writing(Path(path)):
        fh.write(data)  # type: ignore[arg-type]


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w") as fh, _writing(Path(path)):
        fh.write(text)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where the
    system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a file system without exchange
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # The lock is the parent folder itself (flock works on a folder's
    # descriptor), so no lock file is left behind.
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _clean_litter(path: Path) -> None:
    """Remove what a killed run left beside ``path`` (only ever called under the lock)."""
    for stale in path.parent.glob(f".{path.name}.*"):
        if stale.name.endswith((".tmp", ".old")) and stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Build a folder in a temporary sibling; on success it replaces ``path`` whole."""
    shown = Path(path)
    path = _target(shown)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{shown}: cannot write: is a file, not a folder")
    with _writing(shown):
        path.parent.mkdir(parents=True, exist_ok=True)
        stack = contextlib.ExitStack()
        stack.enter_context(_locked(path))
    with stack:
        tmp: Path | None = None
        try:
            with _writing(shown):
                _clean_litter(path)
                tmp = Path(
                    tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                )
                os.chmod(tmp, 0o777 & ~_umask())
            yield tmp
            with _writing(shown):
                if path.exists() and _exchange(tmp, path):
                    pass  # tmp now holds the old folder; removed below
                elif path.exists():
                    old = path.with_name(f".{path.name}.old")
                    os.replace(path, old)
                    os.replace(tmp, path)
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    os.replace(tmp, path)
        except OSError as exc:
            raise output_error(shown, exc) from None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)


def made_folder(path: Path, make: Callable[[Path], object], *, prefix: str = ".made-") -> bool:
    """Make the folder ``path`` whole if it is not there: ``make(folder)`` fills a
    new folder beside it (a private one, named ``prefix``…), which is then
    renamed into place; if another process was first, its folder is as good.
    A process that dies half-way leaves only its private folder, which the next
    call removes.  False, with nothing made, where no folder can be made beside
    (a read-only cache folder): the caller does without."""
    if path.is_dir():
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_orphans(path.parent, f"{prefix}*")  # what killed runs left
        private = Path(tempfile.mkdtemp(prefix=prefix, dir=path.parent))
        mark_owner(private)
    except OSError:
        return False
    try:
        make(private / "made")
        with contextlib.suppress(OSError):  # another process was first
            os.replace(private / "made", path)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return True


def mark_owner(folder: Path) -> None:
    """Record in ``folder`` the process that owns it, for :func:`remove_orphans`."""
    (folder / ".owner-pid").write_text(str(os.getpid()), encoding="ascii")


def remove_orphans(root: Path, pattern: str) -> int:
    """Remove the folders under ``root`` matching ``pattern`` whose owning process
    (:func:`mark_owner`) is gone: what a killed run left.  Folders of a process
    still running, and folders without an owner, are left alone.  The number
    removed."""
    removed = 0
    for folder in root.glob(pattern):
        try:
            pid = int((folder / ".owner-pid").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True
