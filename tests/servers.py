"""The real SPARQL servers the tests run against, each started on 127.0.0.1 on
a free port with a throw-away database folder and stopped by its PID.

* Oxigraph server, from the ``oxigraph`` PyPI package (always present);
* Virtuoso Open Source 7 (Debian's ``virtuoso-opensource``, which ``.ci/run``
  installs); :func:`virtuoso_server` skips with the reason where it is absent.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from osce_kg.serving import oxigraph_binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Until ``url`` answers; an AssertionError after ``seconds`` or when ``proc`` died."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline or (proc is not None and proc.poll() is not None):
                raise AssertionError(f"{url} did not answer within {seconds} s") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes], seconds: float) -> None:
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def oxigraph_server(location: Path, *options: str) -> Iterator[str]:
    """A running Oxigraph server: its base URL (…/query, …/update, …/store)."""
    port = free_port()
    where = ["--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", *where, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=" + urllib.parse.quote("ASK {}"), proc=proc)
        yield base
    finally:
        _stop(proc, 20)


VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL and its SQL port (for ``isql``)."""

    base: str
    sql_port: int

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba; its output (an AssertionError if it fails)."""
        assert ISQL is not None
        done = subprocess.run(
            [ISQL, str(self.sql_port), "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0 and "*** Error" not in done.stdout, done.stdout + done.stderr
        return done.stdout


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[Virtuoso]:
    """A running Virtuoso whose anonymous SPARQL user may update (as docs/queries.md
    tells users to grant once); skips where Virtuoso is not installed."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("Virtuoso is not installed (Debian: apt install virtuoso-opensource)")
    sql, http = free_port(), free_port()
    vsp = _VSP if _VSP.is_dir() else folder
    (folder / "virtuoso.ini").write_text(
        _INI.format(d=folder, sql=sql, http=http, vsp=vsp), encoding="utf-8"
    )
    proc = subprocess.Popen(
        [VIRTUOSO, "-f", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Virtuoso(f"http://127.0.0.1:{http}", sql)
    try:
        try:
            wait_for(f"{server.sparql}?query=" + urllib.parse.quote("ASK {}"), 120, proc)
        except AssertionError:
            log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            raise AssertionError(f"Virtuoso did not start:\n{log}") from None
        server.isql('grant SPARQL_UPDATE to "SPARQL";')
        yield server
    finally:
        _stop(proc, 60)
