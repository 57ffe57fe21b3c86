"""A second process for the build's slow, independent work, run while the build goes on.

Drawing the network pictures (Matplotlib: the figures, their text, PNG and
SVG) and documenting the ontology (pyLODE) take about as long as the rest of a
build of the article.  The build hands them to a second Python process, which
works while the main one validates and writes the dataset, the answers and
the site; the build waits for a task where it needs its output (the site links
to the ontology's page) and for all of them before it lists its files.  The
outputs are the same bytes: the same functions make them from the same inputs
(:data:`TASKS`).

The helper is ``python -m osce_kg.commands.helper`` (the program around
:func:`run_task`), started explicitly rather
than through :mod:`multiprocessing`, whose "spawn" re-runs the caller's main
script (a user's script that builds through the API need not guard itself) and
whose "fork" copies a process that holds threads.  Each task is handed over as
a pickle in a file of a private temporary folder, so the main process never
waits for the helper to read; the helper says on its standard output which
task it has finished.
"""

from __future__ import annotations

import contextlib
import importlib
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..atomic import OutputError
from ..errors import DataError, EndpointError, InputError, OsceKgError, ValidationFailed, one_line

TASKS = {
    "draw": "osce_kg.network.draw:draw_networks",
    "ontology-docs": "osce_kg.build.ontology_docs:write_ontology_docs",
}
"""What the helper may be asked to do: a name and the function that does it."""


class Helper:
    """One helper process that runs tasks in the order asked."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._jobs: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0
        self._done = -1  # the last task the helper said it finished
        # Set by close(): a stage that an interrupted build left running in its
        # thread may still ask for a task; it gets an error, not a new helper.
        self._closed = False
        # Guards starting, closing and cleaning up against a stage thread's requests.
        self._lock = threading.Lock()

    def submit(self, task: str, *args: Any, **options: Any) -> int:
        """Run ``TASKS[task](*args, **options)`` in the helper; its number (for :meth:`wait`)."""
        if task not in TASKS:  # pragma: no cover - the build names its tasks
            raise DataError(f"internal: no helper task {task!r}")
        with self._lock:  # not while close() runs: no helper outlives it
            if self._closed:
                raise DataError("the build's helper was stopped")
            if self._proc is None:
                self._start()
            proc, jobs = self._proc, self._jobs
        assert proc is not None and proc.stdin is not None and jobs is not None
        number = self._count
        job = Path(jobs.name) / f"{number}.pickle"
        self._count += 1
        try:
            job.write_bytes(pickle.dumps((task, args, options)))
            proc.stdin.write(str(job).encode() + b"\n")
            proc.stdin.flush()
        except (OSError, ValueError):  # the helper has ended (or was closed): say why
            if self._closed:
                raise DataError("the build's helper was stopped") from None
            self.wait()
            raise DataError("the build's helper process ended early") from None
        return number

    def _start(self) -> None:
        self._jobs = tempfile.TemporaryDirectory(prefix="osce-kg-helper-")
        with (Path(self._jobs.name) / "errors").open("wb") as errors:
            # -P: the working directory is not put on the helper's sys.path, so
            # a file of the user's there (json.py …) cannot stand in for a module.
            self._proc = subprocess.Popen(
                [sys.executable, "-P", "-m", "osce_kg.commands.helper"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
            )

    def draw(self, graph: Any, paths: Sequence[Path], **options: Any) -> None:
        """Draw ``graph`` to ``paths`` (:func:`osce_kg.network.draw.draw_networks`)."""
        self.submit("draw", graph, [Path(p) for p in paths], **options)

    def wait(self, task: int | None = None) -> None:
        """Until task number ``task`` is done (default: every task asked for, and the
        helper has ended); a DataError if the helper failed."""
        proc = self._proc
        if proc is None:
            return
        if task is not None:
            assert proc.stdout is not None
            while self._done < task:
                line = proc.stdout.readline()
                if not line:  # the helper ended before it: say why, below
                    break
                self._done = int(line)
            else:
                return
        try:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):  # a helper that ended early
                    proc.stdin.close()  # no more tasks: the helper ends when it has run all
            if proc.stdout is not None:
                for line in proc.stdout:
                    self._done = int(line)
                proc.stdout.close()
            proc.wait()
        finally:
            if proc.returncode is None:  # interrupted while waiting: do not leave it
                proc.kill()
                proc.wait()
            self._proc = None
        jobs = self._jobs
        if jobs is None:  # closed meanwhile by an interrupted build
            raise DataError("the build's helper was stopped")
        folder = Path(jobs.name)
        try:
            err = (folder / "errors").read_text(encoding="utf-8", errors="replace")
            failure = folder / FAILURE
            reported = pickle.loads(failure.read_bytes()) if failure.is_file() else None
        except OSError:  # removed meanwhile by an interrupted build's close()
            raise DataError("the build's helper was stopped") from None
        self._cleanup()
        if reported is not None:  # a task's own error, raised here as it was there
            kind, message = reported
            raise _REPORTED.get(kind, DataError)(message)
        if proc.returncode != 0:
            lines = err.strip().splitlines()
            why = one_line(lines[-1]) if lines else f"exit code {proc.returncode}"
            raise DataError(f"the build's helper failed: {why}")
        if task is not None and self._done < task:
            raise DataError(f"the build's helper ended before its task {task} was done")

    def close(self, *, failed: bool) -> None:
        """Stop the helper: after a failure at once, else once it has run every task.

        Safe while a stage that an interrupted build left in its thread is still
        waiting for the helper: that wait ends (the helper is gone) and later
        requests fail; nothing here reads what the other thread changes.
        """
        with self._lock:
            self._closed = True
            proc = self._proc
            if failed:
                self._proc = None
        if proc is not None:
            if failed:
                proc.kill()
                proc.wait()
                for pipe in (proc.stdin, proc.stdout):
                    if pipe is not None:
                        with contextlib.suppress(OSError, ValueError):
                            pipe.close()
            else:
                self.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        with self._lock:
            jobs, self._jobs = self._jobs, None
        if jobs is not None:
            with contextlib.suppress(OSError):
                jobs.cleanup()


FAILURE = "failed.pickle"
"""Where, beside the tasks, the helper leaves the error that stopped it: a pickle
of (class name, message)."""

_REPORTED: dict[str, type[OsceKgError]] = {
    cls.__name__: cls
    for cls in (OutputError, InputError, DataError, ValidationFailed, EndpointError, OsceKgError)
}


def run_task(job: Path) -> None:
    """Run the task pickled in ``job`` (the helper process's work, one task)."""
    task, args, options = pickle.loads(job.read_bytes())
    module, name = TASKS[task].split(":")
    getattr(importlib.import_module(module), name)(*args, **options)


def report_failure(job: Path, exc: OsceKgError) -> None:
    """Leave ``exc`` where :meth:`Helper.wait` raises it again (:data:`FAILURE`)."""
    # The nearest class that takes a message alone (ParseError's fields do not
    # travel; it is an InputError, with the same exit code).
    kind = next(c.__name__ for c in type(exc).__mro__ if c.__name__ in _REPORTED)
    (job.parent / FAILURE).write_bytes(pickle.dumps((kind, str(exc))))
