"""The network pictures, drawn in a process of their own while the build goes on.

Drawing the pictures (Matplotlib: the figures, their text, PNG and SVG) takes
about as long as the rest of a build of the article.  The build hands each
drawing to a second Python process, which draws while the main one writes the
dataset, the documentation and the site; the build waits for the pictures
before it lists its files.  The pictures are the same bytes: the same function
(:func:`osce_kg.network.draw.draw_networks`) draws them from the same graphs
and positions.

The worker is ``python -m osce_kg.build.drawing``, started explicitly rather
than through :mod:`multiprocessing`, whose "spawn" re-runs the caller's main
script (a user's script that builds through the API need not guard itself) and
whose "fork" copies a process that holds threads.  Each drawing is handed over
as a pickle in a file of a private temporary folder, so the main process never
waits for the worker to read.
"""

from __future__ import annotations

import contextlib
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DataError, one_line


class Drawing:
    """One worker process that draws network pictures, in the order asked."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._jobs: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0

    def draw(self, graph: Any, paths: Sequence[Path], **options: Any) -> None:
        """Draw ``graph`` to ``paths`` (as ``draw_networks``), in the worker."""
        if self._proc is None:
            self._jobs = tempfile.TemporaryDirectory(prefix="osce-kg-drawing-")
            with (Path(self._jobs.name) / "errors").open("wb") as errors:
                # -P: the working directory is not put on the worker's sys.path, so
                # a file of the user's there (json.py …) cannot stand in for a module.
                self._proc = subprocess.Popen(
                    [sys.executable, "-P", "-m", __name__],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                )
        assert self._jobs is not None and self._proc.stdin is not None
        job = Path(self._jobs.name) / f"{self._count}.pickle"
        self._count += 1
        job.write_bytes(pickle.dumps((graph, [str(p) for p in paths], options)))
        try:
            self._proc.stdin.write(str(job).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError:  # the worker has ended: say why it did
            self.wait()
            raise DataError(
                "drawing the network pictures failed: the drawing process ended"
            ) from None

    def wait(self) -> None:
        """Until every picture asked for is drawn; a DataError if the worker failed."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):  # a worker that ended early
                    proc.stdin.close()  # no more jobs: the worker ends when it has drawn
            proc.wait()
        finally:
            if proc.returncode is None:  # interrupted while waiting: do not leave it
                proc.kill()
                proc.wait()
            self._proc = None
        assert self._jobs is not None
        err = (Path(self._jobs.name) / "errors").read_text(encoding="utf-8", errors="replace")
        self._cleanup()
        if proc.returncode != 0:
            lines = err.strip().splitlines()
            why = one_line(lines[-1]) if lines else f"exit code {proc.returncode}"
            raise DataError(f"drawing the network pictures failed: {why}")

    def close(self, *, failed: bool) -> None:
        """Stop the worker: after a failure at once, else once it has drawn all."""
        if self._proc is not None:
            if failed:
                self._proc.kill()
                self._proc.wait()
                if self._proc.stdin is not None:
                    with contextlib.suppress(OSError):
                        self._proc.stdin.close()
                self._proc = None
            else:
                self.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._jobs is not None:
            self._jobs.cleanup()
            self._jobs = None


def _serve() -> None:
    """The worker: draw each job named on standard input, until it ends."""
    from ..network.draw import draw_networks

    for line in sys.stdin.buffer:
        graph, paths, options = pickle.loads(Path(line.decode().strip()).read_bytes())
        draw_networks(graph, [Path(p) for p in paths], **options)


if __name__ == "__main__":
    _serve()
