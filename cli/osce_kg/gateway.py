"""The front door of ``osce-kg serve``: an HTTP server that checks every request
before Oxigraph's read-only server (on a private loopback port) answers it.

What it refuses, and why (docs/security.md says the same for users):

* a ``Host`` that is not the address it listens on (DNS rebinding), and on POST
  an ``Origin`` of another site (a web page posting a query to 127.0.0.1);
* ``SERVICE`` (the server would fetch any URL a query names: an open proxy),
  unless its IRI starts with an allowed prefix (``--allow-service``);
* a query longer than :attr:`Limits.max_query_bytes` or nested deeper than
  :attr:`Limits.max_nesting` (10,000 nested groups knocked the server over);
* a result larger than :attr:`Limits.max_result_bytes`;
* anything but reading: only ``GET`` and ``POST`` of ``/query``, ``GET`` of the
  query page, and ``GET`` of the Linked Data pages.

The resources' IRIs are answered too: ``GET /id/person/knut-dreyer`` gives the
page of the build's site (:mod:`osce_kg.build.site`) or, as ``Accept`` asks,
its Turtle, JSON-LD or N-Triples (406 when it asks for none of them); a suffix
(``/id/person/knut-dreyer.ttl``) names the format itself.

The query time is bounded by Oxigraph's own timeout (``--timeout-s``), so a
query whose client gave up stops at the limit; at most
:attr:`Limits.concurrent` queries run at once and others wait their turn.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import socketserver
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import one_line
from .sparql_bind import SKIPPED, nesting_depth, unescape_codepoints
from .webpages import MEDIA_TYPES, WebApp, negotiate, respond

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

# SERVICE as a keyword: not part of a variable (?service), a prefixed name
# (ex:SERVICE) or a prefix (service:); comments, strings and IRIs skipped.
_SERVICE_SCAN = re.compile(
    SKIPPED + r"|(?<![\w:?$])(SERVICE)(?![\w:-])(?:\s+SILENT)?\s*(<[^<>\"{}|^`\\\x00-\x20]*>)?",
    re.IGNORECASE,
)


_SITE_PATH = re.compile(
    r"^/(?:id/[A-Za-z0-9_~-][A-Za-z0-9._~/-]*|index\.html|ontology/index\.html)$"
)


_APP_PATH = re.compile(r"^/(?:|search|sparql|queries/[\w/.-]+)$")


@dataclass(frozen=True)
class Limits:
    """What ``serve`` allows; every field is an option of ``osce-kg serve``."""

    timeout: float = 30.0
    max_query_bytes: int = 100_000
    max_nesting: int = 64
    max_result_bytes: int = 50_000_000
    concurrent: int = 4
    allow_service: tuple[str, ...] = ()
    allow_hosts: tuple[str, ...] = ()


class Refused(Exception):
    """A request the gateway does not pass on: an HTTP status and one line why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def check_query(text: str, limits: Limits) -> None:
    """Refused unless ``text`` is a query the gateway may pass on."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_query_bytes:
        raise Refused(
            413,
            f"the query has {size} bytes; this server takes at most "
            f"{limits.max_query_bytes} (osce-kg serve --max-query-kb)",
        )
    # SPARQL reads \uXXXX escapes anywhere before parsing: so must the checks.
    plain = unescape_codepoints(text)
    depth, _ = nesting_depth(plain)
    if depth > limits.max_nesting:
        raise Refused(
            400,
            f"the query nests {depth} levels deep; this server reads at most {limits.max_nesting}",
        )
    for m in _SERVICE_SCAN.finditer(plain):
        if not m.group(1):
            continue
        iri = (m.group(2) or "")[1:-1]
        if not (iri and any(iri.startswith(p) for p in limits.allow_service)):
            shown = f" <{one_line(iri, 80)}>" if iri else ""
            raise Refused(
                403,
                f"SERVICE{shown} is not allowed by this server "
                "(osce-kg serve --allow-service PREFIX)",
            )


def allowed_names(host: str, extra: tuple[str, ...]) -> set[str]:
    """The host names a request may address this server by."""
    names = {host.strip("[]").lower(), *(h.lower() for h in extra)}
    try:
        address = ipaddress.ip_address(host.strip("[]"))
        loopback = address.is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    if loopback:
        names.update(_LOOPBACK_NAMES)
    return names


def _host_and_port(value: str) -> tuple[str, int | None]:
    try:
        parts = urllib.parse.urlsplit(f"//{value}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


class Gateway(ThreadingHTTPServer):
    """The checking front server; ``backend`` is Oxigraph's ``host:port``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], limits: Limits) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)
        self.limits = limits
        self.backend = ""
        self.site: Path | None = None  # the Linked Data pages, once written
        self.app: WebApp | None = None  # the pages for people, once the backend runs
        self.names = allowed_names(address[0], limits.allow_hosts)
        self.port = self.server_address[1]
        self.slots = threading.BoundedSemaphore(limits.concurrent)

    def server_bind(self) -> None:
        # HTTPServer's own looks the host name up in DNS (slow, and not needed).
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away before its answer (it gave up waiting while
        ``serve`` started, or closed the page) is no error; anything else is one
        warning line, never a traceback on the terminal."""
        import logging
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return
        logging.getLogger("osce_kg.serve").warning(
            "a request from %s failed: %s", client_address[0], one_line(repr(error))
        )


class Handler(BaseHTTPRequestHandler):
    server: Gateway
    protocol_version = "HTTP/1.1"
    server_version = "osce-kg-serve"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log on the terminal

    # -- routes -------------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        path = self.path.partition("?")[0]
        if path == "/update" or path.startswith("/store"):
            self._refuse(Refused(403, "this server is read-only: no update, no Graph Store"))
        else:
            self._refuse(Refused(405, "this server is read-only"))

    do_DELETE = do_PATCH = do_PUT

    def _handle(self, method: str) -> None:
        try:
            self._check_host(method)
            path, _, query_string = self.path.partition("?")
            if path == "/query":
                body = self._read_body() if method == "POST" else b""
                self._check_sparql(method, query_string, body)
                self._forward(method, body)
            elif method == "GET" and self.server.site is not None and _SITE_PATH.match(path):
                self._page(path)
            elif self.server.app is not None and _APP_PATH.match(path):
                self._app_page(method, path, query_string)
            elif path == "/update" or path.startswith("/store"):
                raise Refused(403, "this server is read-only: no update, no Graph Store")
            elif method == "GET":
                self._forward("GET", b"")
            else:
                raise Refused(405, "this server only answers queries (GET or POST /query)")
        except Refused as refusal:
            self._refuse(refusal)

    # -- checks -------------------------------------------------------------------

    def _check_host(self, method: str) -> None:
        name, port = _host_and_port(self.headers.get("Host", ""))
        if name not in self.server.names or (port or 80) != self.server.port:
            raise Refused(
                403, "the Host header does not name this server (osce-kg serve --allow-host NAME)"
            )
        origin = self.headers.get("Origin")
        if method == "POST" and origin is not None:
            parts = urllib.parse.urlsplit(origin)
            try:
                origin_port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                origin_port = -1
            if (parts.hostname or "").lower() not in self.server.names or (
                origin_port != self.server.port
            ):
                raise Refused(403, "a query from another site's page is not accepted")

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise Refused(400, "a bad Content-Length") from None
        if length < 0 or length > self.server.limits.max_query_bytes * 4:
            raise Refused(413, "the request is too large")
        return self.rfile.read(length)

    def _check_sparql(self, method: str, query_string: str, body: bytes) -> None:
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if method == "POST" and ctype == _QUERY:
                texts = [body.decode("utf-8")]
            else:
                form = query_string if method == "GET" else body.decode("ascii")
                fields = urllib.parse.parse_qs(form, errors="strict", max_num_fields=64)
                texts = fields.get("query", [])
                if method == "POST" and ctype != _FORM:
                    raise Refused(415, f"POST a query as {_QUERY} or {_FORM}")
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "the query is not valid UTF-8 or not a valid form") from None
        if len(texts) != 1:
            raise Refused(400, "give exactly one query parameter")
        check_query(texts[0], self.server.limits)

    # -- answers ------------------------------------------------------------------

    def _forward(self, method: str, body: bytes) -> None:
        limits = self.server.limits
        if not self.server.slots.acquire(timeout=limits.timeout):
            raise Refused(503, "the server is busy; try again")
        try:
            status, headers, data = self._ask_backend(method, body)
        finally:
            self.server.slots.release()
        self.send_response(status)
        for name in ("Content-Type", "Content-Disposition", "Vary", "Last-Modified", "ETag"):
            value = headers.get(name)
            if value is not None:
                self.send_header(name, value)
        self._common_headers(len(data))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _page(self, path: str) -> None:
        """A page or description of the site; without a suffix, the one ``Accept`` asks for."""
        site = self.server.site
        assert site is not None
        named = next((s for s in MEDIA_TYPES if path.endswith(s)), None)
        negotiated = named is None
        suffix = named or negotiate(self.headers.get("Accept"))
        if suffix is None:
            offered = ", ".join(MEDIA_TYPES.values())
            raise Refused(406, f"this resource is available as {offered}")
        if negotiated:
            path += suffix
        file = site / path.lstrip("/")
        if ".." in path.split("/") or not file.is_file():
            raise Refused(404, "no such resource")
        data = file.read_bytes()
        media = MEDIA_TYPES[suffix] + ("" if suffix == ".jsonld" else "; charset=utf-8")
        self.send_response(200)
        self.send_header("Content-Type", media)
        if negotiated:
            self.send_header("Vary", "Accept")
            self.send_header("Content-Location", path)
        self._common_headers(len(data))
        self.end_headers()
        self.wfile.write(data)

    def _app_page(self, method: str, path: str, query_string: str) -> None:
        """A page of :mod:`osce_kg.webpages`: a form's fields from the URL (GET) or
        the body (POST, the query editor's form only)."""
        app = self.server.app
        assert app is not None
        if method == "POST":
            ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if path != "/sparql" or ctype != _FORM:
                raise Refused(415 if path == "/sparql" else 405, f"POST the form as {_FORM}")
            form = self._read_body()
        else:
            form = query_string.encode("ascii", "replace")
        try:
            fields = urllib.parse.parse_qs(form.decode("utf-8"), errors="strict", max_num_fields=64)
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "the form is not valid UTF-8 or not a valid form") from None
        params = {k: v[0] for k, v in fields.items()}
        limits = self.server.limits
        if not self.server.slots.acquire(timeout=limits.timeout):
            raise Refused(503, "the server is busy; try again")
        try:
            page = respond(app, path, params)
        finally:
            self.server.slots.release()
        if page is None:
            raise Refused(404, "no such page")
        self.send_response(page.status)
        self.send_header("Content-Type", page.media)
        self._common_headers(len(page.body))
        self.end_headers()
        self.wfile.write(page.body)

    def _ask_backend(self, method: str, body: bytes) -> tuple[int, http.client.HTTPMessage, bytes]:
        limits = self.server.limits
        host, _, port = self.server.backend.rpartition(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=limits.timeout + 5)
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() in ("accept", "content-type", "accept-language")
        }
        try:
            conn.request(
                method, self.path, body=body if method == "POST" else None, headers=headers
            )
            response = conn.getresponse()
            data = response.read(limits.max_result_bytes + 1)
            if len(data) > limits.max_result_bytes:
                mb = limits.max_result_bytes / 1_000_000
                raise Refused(
                    500,
                    f"the result is larger than this server's limit of {mb:g} "
                    "MB (osce-kg serve --max-result-mb)",
                )
            return response.status, response.headers, data
        except (OSError, http.client.HTTPException):
            raise Refused(
                504, f"no answer within {limits.timeout:g} s (osce-kg serve --query-timeout)"
            ) from None
        finally:
            conn.close()

    def _common_headers(self, length: int) -> None:
        self.send_header("Content-Length", str(length))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")

    def _refuse(self, refusal: Refused) -> None:
        data = (str(refusal) + "\n").encode("utf-8")
        self.send_response(refusal.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self._common_headers(len(data))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(data)
