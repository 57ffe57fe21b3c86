"""A faulty or hostile SPARQL endpoint, on loopback: each answer that is not what
was asked for is exit 3 and one line naming the endpoint — never a traceback,
never an empty success — and credentials go only to the origin they were given
for.

The fault server speaks raw bytes over TCP, so it can send what no HTTP
library would: a body cut short, a broken chunk, garbage, a thousand headers,
one byte a second.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conftest import osce

SELECT_OK = json.dumps(
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}
).encode()


def http_answer(
    body: bytes,
    *,
    status: str = "200 OK",
    ctype: str | None = "application/sparql-results+json",
    extra: list[str] | None = None,
    length: int | None = None,
) -> bytes:
    head = [f"HTTP/1.1 {status}"]
    if ctype is not None:
        head.append(f"Content-Type: {ctype}")
    head.append(f"Content-Length: {len(body) if length is None else length}")
    head += extra or []
    head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


Handler = Callable[[socket.socket, bytes], None]


class FaultServer:
    """A TCP server on ``host``; each connection is answered by ``handler`` with
    the raw request bytes; the requests are kept (``requests``)."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1") -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.url = f"http://{host}:{self.port}/sparql"
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(rest) < length:
                    rest += conn.recv(65536)
                self.requests.append(head)
                self.handler(conn, head)
            except OSError:
                pass

    def header(self, index: int, name: str) -> str | None:
        for line in self.requests[index].split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode()
        return None

    def close(self) -> None:
        self._stop = True
        self.sock.close()


@pytest.fixture
def server() -> Iterator[Callable[..., FaultServer]]:
    made: list[FaultServer] = []

    def make(handler: Handler, host: str = "127.0.0.1") -> FaultServer:
        made.append(FaultServer(handler, host))
        return made[-1]

    yield make
    for s in made:
        s.close()


def reply(data: bytes) -> Handler:
    return lambda conn, head: conn.sendall(data)


def query(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, str, str]:
    return osce(
        capsys,
        "query",
        "run",
        "speeches",
        "--endpoint",
        url,
        "--retries",
        "0",
        "--format",
        "csv",
        *extra,
    )


def assert_remote_error(code: int, err: str, url: str, *needles: str) -> None:
    assert code == 3, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(url), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in err


# ---------------------------------------------------------------------- answers


def _drip(conn: socket.socket, head: bytes) -> None:
    conn.sendall(http_answer(b"", length=len(SELECT_OK)))
    for byte in SELECT_OK:
        conn.sendall(bytes([byte]))
        time.sleep(1)


def _chunks(conn: socket.socket, head: bytes) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"hea\r\nZZ\r\nbroken\r\n'
    )


FAULTS: dict[str, tuple[Handler, tuple[str, ...]]] = {
    "truncated": (reply(http_answer(SELECT_OK[:20], length=len(SELECT_OK))), ("cut short",)),
    "broken-chunk": (_chunks, ("cut short",)),
    "garbage": (reply(b"\x00\x01garbage that is not HTTP\r\n\r\n"), ("not a valid HTTP answer",)),
    "long-header": (
        reply(http_answer(SELECT_OK, extra=["X-Long: " + "a" * 70_000])),
        ("not a valid HTTP answer",),
    ),
    "many-headers": (
        reply(http_answer(SELECT_OK, extra=[f"X-H{i}: v" for i in range(1000)])),
        ("not a valid HTTP answer",),
    ),
    "nested-json": (reply(http_answer(b"[" * 100_000 + b"]" * 100_000)), ("nests too deeply",)),
    "not-json": (reply(http_answer(b"<html>hello</html>")), ("not valid JSON",)),
    "html": (
        reply(http_answer(b"<html>hello</html>", ctype="text/html")),
        ("text/html", "not SPARQL JSON results"),
    ),
    "no-content-type": (reply(http_answer(SELECT_OK, ctype=None)), ("no Content-Type",)),
    "json-not-results": (reply(http_answer(b'{"a": 1}')), ("not SPARQL JSON results",)),
    "rdf-star": (
        reply(
            http_answer(
                json.dumps(
                    {
                        "head": {"vars": ["n"]},
                        "results": {"bindings": [{"n": {"type": "triple", "value": {}}}]},
                    }
                ).encode()
            )
        ),
        ("RDF-star",),
    ),
    "bad-iri": (
        reply(
            http_answer(
                json.dumps(
                    {
                        "head": {"vars": ["n"]},
                        "results": {"bindings": [{"n": {"type": "uri", "value": "a b"}}]},
                    }
                ).encode()
            )
        ),
        ("bad IRI",),
    ),
    "closed-at-once": (lambda conn, head: None, ("not a valid HTTP answer",)),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_faulty_answers(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer], fault: str
) -> None:
    handler, needles = FAULTS[fault]
    s = server(handler)
    code, out, err = query(capsys, s.url)
    assert_remote_error(code, err, s.url, *needles)
    assert out == ""


def test_a_dripping_answer_meets_the_deadline(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    # One byte a second for ~70 s: only a deadline over the whole answer ends it
    # (the test's own bound is the pytest run; this returns in about 2 s).
    s = server(_drip)
    code, _, err = query(capsys, s.url, "--timeout", "2")
    assert_remote_error(code, err, s.url, "within 2 s")


def test_error_bodies_are_stripped_of_escape_sequences(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    body = b"\x1b[31mred\x1b[0m \x1b]0;title\x07 bell\x07 \x9b2J done" + b" x" * 500
    s = server(reply(http_answer(body, status="400 Bad Request", ctype="text/plain")))
    code, _, err = query(capsys, s.url)
    assert_remote_error(code, err, s.url, "HTTP 400", "red", "done")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in err.strip())
    assert len(err.strip()) < 400


def test_an_ill_typed_literal_is_kept_without_a_trace(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    doc = {
        "head": {"vars": ["n"]},
        "results": {
            "bindings": [
                {
                    "n": {
                        "type": "literal",
                        "value": "abc",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                    }
                }
            ]
        },
    }
    s = server(reply(http_answer(json.dumps(doc).encode())))
    code, out, err = query(capsys, s.url)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["n", "abc"]


# ------------------------------------------------------------- CONSTRUCT answers


def construct(capsys: pytest.CaptureFixture[str], url: str) -> tuple[int, str, str]:
    return osce(capsys, "query", "run", "organisation-tree", "--endpoint", url, "--retries", "0")


@pytest.mark.parametrize(
    ("answer", "needle"),
    [
        (http_answer(b"", ctype=None), "no Content-Type"),
        (http_answer(b"", ctype="text/html"), "text/html"),
        (http_answer(b"<a> <b> .", ctype="application/n-triples"), "cannot parse"),
        (
            http_answer(
                b"<< <http://a> <http://b> <http://c> >> <http://p> <http://o> .",
                ctype="text/turtle",
            ),
            "cannot parse",
        ),
    ],
    ids=["empty-untyped", "html", "bad-ntriples", "rdf-star"],
)
def test_construct_answers_that_are_not_graphs(
    capsys: pytest.CaptureFixture[str],
    server: Callable[..., FaultServer],
    answer: bytes,
    needle: str,
) -> None:
    s = server(reply(answer))
    code, out, err = construct(capsys, s.url)
    assert_remote_error(code, err, s.url, needle)
    assert out == ""


def test_an_empty_graph_is_an_empty_graph(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    s = server(reply(http_answer(b"", ctype="application/n-triples")))
    code, _, err = construct(capsys, s.url)
    assert (code, err) == (0, "")


# ------------------------------------------------------------------ redirects


def _redirect_to(target: Callable[[], str], status: str = "302 Found") -> Handler:
    def handle(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            f"HTTP/1.1 {status}\r\nLocation: {target()}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode()
        )

    return handle


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OSCE_KG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("OSCE_KG_ENDPOINT_PASSWORD", "s3cret-pw")
    return "Basic " + base64.b64encode(b"reader:s3cret-pw").decode()


def test_credentials_do_not_follow_a_redirect_to_another_host(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer], credentials: str
) -> None:
    other = server(reply(http_answer(SELECT_OK)), host="127.0.0.2")
    first = server(_redirect_to(lambda: other.url))
    code, out, err = query(capsys, first.url)
    assert first.header(0, "Authorization") == credentials
    assert other.requests and other.header(0, "Authorization") is None
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: "), err
    assert "credentials were not sent" in lines[0] and "s3cret" not in err
    assert out.splitlines() == ["n", "1"]


def test_credentials_do_not_follow_a_redirect_to_another_port(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer], credentials: str
) -> None:
    other = server(reply(http_answer(SELECT_OK)))
    first = server(_redirect_to(lambda: other.url, "307 Temporary Redirect"))
    code, _, _ = query(capsys, first.url)
    assert code == 0
    assert other.header(0, "Authorization") is None


def test_credentials_follow_a_redirect_within_the_origin(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer], credentials: str
) -> None:
    state: dict[str, Any] = {"n": 0}

    def handle(conn: socket.socket, head: bytes) -> None:
        state["n"] += 1
        if state["n"] == 1:
            _redirect_to(lambda: "/moved", "308 Permanent Redirect")(conn, head)
        else:
            conn.sendall(http_answer(SELECT_OK))

    s = server(handle)
    code, _, err = query(capsys, s.url)
    assert (code, err) == (0, "")
    assert s.header(1, "Authorization") == credentials
    assert s.requests[1].startswith(b"POST /moved ")  # the query was sent again, not dropped


def test_a_redirect_loop_is_one_error(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    holder: dict[str, FaultServer] = {}
    s = server(_redirect_to(lambda: holder["s"].url))
    holder["s"] = s
    code, _, err = query(capsys, s.url)
    assert_remote_error(code, err, s.url, "redirect loop")
    assert len(s.requests) == 1  # seen before it is sent again


def test_too_many_redirects(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    count = {"n": 0}

    def handle(conn: socket.socket, head: bytes) -> None:
        count["n"] += 1
        _redirect_to(lambda: f"/hop{count['n']}")(conn, head)

    s = server(handle)
    code, _, err = query(capsys, s.url)
    assert_remote_error(code, err, s.url, "more than 5 redirects")


def test_a_redirect_to_another_scheme_is_refused(
    capsys: pytest.CaptureFixture[str], server: Callable[..., FaultServer]
) -> None:
    s = server(_redirect_to(lambda: "file:///etc/passwd"))
    code, _, err = query(capsys, s.url)
    assert_remote_error(code, err, s.url, "non-HTTP URL")


def test_graph_store_upload_keeps_credentials_home(
    server: Callable[..., FaultServer], credentials: str
) -> None:
    from osce_kg.endpoint import put_graph

    other = server(reply(http_answer(b"", status="204 No Content", ctype=None)), host="127.0.0.2")
    first = server(_redirect_to(lambda: other.url, "307 Temporary Redirect"))
    status = put_graph(first.url, b"<http://a> <http://b> <http://c> .\n", retries=0)
    assert status == 204
    assert first.header(0, "Authorization") == credentials
    assert other.header(0, "Authorization") is None
    assert other.requests[0].startswith(b"PUT ")
