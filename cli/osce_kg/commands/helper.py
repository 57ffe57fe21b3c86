"""The build's helper process (:mod:`osce_kg.build.helper`): ``python -m
osce_kg.commands.helper`` reads the path of one task a line on standard input,
runs it, and writes its number on standard output once it is done.  An
osce-kg error stops it, left for the build to raise (exit code 3); anything
else ends it with a trace on standard error, which the build names in one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..build.helper import report_failure, run_task
from ..errors import OsceKgError


def serve() -> None:
    for number, line in enumerate(sys.stdin.buffer):
        job = Path(line.decode().strip())
        try:
            run_task(job)
        except OsceKgError as exc:
            report_failure(job, exc)
            raise SystemExit(3) from None
        sys.stdout.write(f"{number}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
