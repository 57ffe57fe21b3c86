"""``osce-kg serve`` under hostile requests: it is not an open proxy, it survives
queries meant to knock it over and keeps answering others, it answers only
requests addressed to it, it cleans up after ``kill -9``.

A real ``osce-kg serve`` (and the real Oxigraph server behind it) is started on
127.0.0.1 for these tests and stopped by PID.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import clean_env, osce_kg_exe

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Served:
    proc: subprocess.Popen[str]
    port: int
    tmp: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        query: str | None = None,
        *,
        method: str = "GET",
        path: str = "/query",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float = 30,
    ) -> tuple[int, str]:
        url = self.base + path
        if query is not None and method == "GET":
            url += "?" + urllib.parse.urlencode({"query": query})
        if query is not None and method == "POST" and body is None:
            body = urllib.parse.urlencode({"query": query}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        req.add_header("Accept", "text/csv")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


def start(tmp: Path, *extra: str) -> Served:
    port = free_port()
    env = clean_env(TMPDIR=str(tmp))
    proc = subprocess.Popen(
        [*osce_kg_exe(), "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the announcement, once it answers
    assert line.startswith("Serving "), line + (proc.stderr.read() if proc.stderr else "")
    return Served(proc, port, tmp)


def stop(served: Served) -> None:
    served.proc.send_signal(signal.SIGINT)
    try:
        served.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        served.proc.kill()
        served.proc.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    s = start(tmp_path_factory.mktemp("serve"), "--query-timeout", "3", "--max-result-mb", "1")
    yield s
    stop(s)


def test_it_answers(served: Served) -> None:
    status, body = served.request(COUNT)
    assert status == 200
    assert int(body.splitlines()[1]) > 4000


@pytest.mark.parametrize(
    "service",
    [
        "SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o }",
        "service silent <http://127.0.0.1:{port}/x> { ?s ?p ?o }",
        "\\u0053ERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o }",
        "?a ?b ?c .SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o }",
        "SERVICE ?where { ?s ?p ?o } VALUES ?where { <http://127.0.0.1:{port}/x> }",
    ],
    ids=["plain", "silent-lowercase", "escaped", "after-dot", "variable"],
)
def test_service_is_refused_and_nothing_is_fetched(served: Served, service: str) -> None:
    with socket.socket() as target:
        target.bind(("127.0.0.1", 0))
        target.listen(1)
        target.settimeout(1.0)
        port = target.getsockname()[1]
        query = "SELECT * WHERE { " + service.replace("{port}", str(port)) + " }"
        for method in ("GET", "POST"):
            status, body = served.request(query, method=method)
            assert status == 403, body
            assert "SERVICE" in body and "not allowed" in body
        with pytest.raises(TimeoutError):
            target.accept()  # nobody came


def test_words_that_only_contain_service_pass(served: Served) -> None:
    query = (
        "PREFIX service: <http://e.org/> SELECT ?service WHERE { "
        '?service ?p "SERVICE <http://x>" } LIMIT 1'
    )
    status, body = served.request(query)
    assert status == 200, body


def test_allowed_service_prefixes() -> None:
    from osce_kg.gateway import Limits, Refused, check_query

    limits = Limits(allow_service=("https://query.wikidata.org/",))
    check_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", limits)
    with pytest.raises(Refused):
        check_query("SELECT * { SERVICE <https://query.wikidata.org.evil/> { ?s ?p ?o } }", limits)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000,
        "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
        "SELECT * WHERE " + "\\u007B" * 10_000 + " ?s ?p ?o " + "}" * 10_000,
    ],
    ids=["groups", "parentheses", "escaped-braces"],
)
def test_deep_nesting_is_refused_and_the_server_goes_on(served: Served, query: str) -> None:
    status, body = served.request(query, method="POST")
    assert status == 400, body
    assert "nests" in body
    assert served.request(COUNT)[0] == 200


def test_a_query_too_long_is_refused(served: Served) -> None:
    status, body = served.request("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000, method="POST")
    assert status == 413, body


def test_a_cross_product_stops_at_the_timeout_and_others_still_answer(served: Served) -> None:
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    status, _ = served.request(endless, timeout=60)
    assert status >= 500
    assert served.request(COUNT)[0] == 200


def test_a_result_over_the_limit_is_refused(served: Served) -> None:
    big = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 50000"
    status, body = served.request(big, timeout=60)
    assert status == 500
    assert "larger than this server's limit of 1 MB" in body


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1:1", "attacker.test", "127.0.0.1.nip.io:{port}"]
)
def test_requests_for_another_host_are_refused(served: Served, host: str) -> None:
    status, body = served.request(COUNT, headers={"Host": host.replace("{port}", str(served.port))})
    assert status == 403, body


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}"])
def test_loopback_names_are_accepted(served: Served, host: str) -> None:
    status, _ = served.request(COUNT, headers={"Host": host.replace("{port}", str(served.port))})
    assert status == 200


def test_a_post_from_another_site_is_refused(served: Served) -> None:
    status, body = served.request(COUNT, method="POST", headers={"Origin": "http://evil.example"})
    assert status == 403, body
    same = f"http://127.0.0.1:{served.port}"
    assert served.request(COUNT, method="POST", headers={"Origin": same})[0] == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/store"),
        ("POST", "/store"),
        ("POST", "/update"),
        ("GET", "/store"),
        ("DELETE", "/query"),
    ],
)
def test_it_is_read_only(served: Served, method: str, path: str) -> None:
    body = b"<http://a> <http://b> <http://c> ." if method != "GET" else None
    headers = {"Content-Type": "application/n-triples"} if body else {}
    status, _ = served.request(None, method=method, path=path, body=body, headers=headers)
    # An update or the Graph Store: forbidden; another method on the query: not allowed.
    assert status == (403 if path in ("/store", "/update") else 405)


def test_a_taken_port_is_one_line_before_anything_is_printed(
    served: Served, tmp_path: Path
) -> None:
    result = subprocess.run(
        [*osce_kg_exe(), "serve", "--port", str(served.port)],
        capture_output=True,
        text=True,
        env=clean_env(TMPDIR=str(tmp_path)),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"--host 127.0.0.1 --port {served.port}: cannot listen: address already in use"
    ]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        status = Path(f"/proc/{pid}/stat")
        if status.exists() and status.read_text().split()[2] == "Z":
            return True  # a zombie: dead, waiting for its reaper
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_kill_9_takes_the_oxigraph_server_along_and_the_next_start_cleans_up(
    tmp_path: Path,
) -> None:
    first = start(tmp_path)
    children = _children(first.proc.pid)
    assert children, "the Oxigraph server runs as a child of serve"
    left = list(tmp_path.glob("osce-kg-serve-*"))
    assert len(left) == 1
    first.proc.kill()
    first.proc.wait()
    assert all(_gone(c) for c in children)  # no server left listening
    assert left[0].exists()  # what a killed run leaves ...
    second = start(tmp_path)
    try:
        assert not left[0].exists()  # ... the next start removes
    finally:
        stop(second)
    assert not list(tmp_path.glob("osce-kg-serve-*"))


def test_a_client_that_gives_up_while_it_starts_leaves_no_traceback(tmp_path: Path) -> None:
    """The port is taken first and answers once the pages and the database are
    ready: a client that gave up in between is no error (no traceback)."""
    port = free_port()
    proc = subprocess.Popen(
        [*osce_kg_exe(), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(TMPDIR=str(tmp_path)),
    )
    try:
        deadline = time.monotonic() + 30
        while True:  # the port is bound at once; the answers come later
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not take its port"
                time.sleep(0.05)
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Serving ")
        time.sleep(0.5)  # the queued request is answered to a closed socket
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    assert "Traceback" not in err, err
