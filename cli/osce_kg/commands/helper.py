"""The build's helper process (:mod:`osce_kg.build.helper`): ``python -m
osce_kg.commands.helper`` reads the path of one task a line on standard input,
runs it, and writes the task's number on its protocol stream once it is done.

The protocol stream is the standard output the build gave it; what the tasks
themselves print (pyLODE prints, on occasion) goes to standard error instead,
so it cannot be taken for a task's number.  An osce-kg error stops the helper,
left for the build to raise (exit code 3); anything else ends it with a trace
on standard error, which the build names in one line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..build.helper import report_failure, run_task
from ..errors import OsceKgError


def serve() -> None:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="ascii")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a task's prints: to standard error
    for line in sys.stdin.buffer:
        job = Path(line.decode().strip())
        try:
            run_task(job)
        except OsceKgError as exc:
            report_failure(job, exc)
            raise SystemExit(3) from None
        sys.stdout.flush()
        protocol.write(f"{job.stem}\n")
        protocol.flush()


if __name__ == "__main__":
    serve()
