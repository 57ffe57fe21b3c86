"""HTTP for the SPARQL client: one request, with a deadline, redirects and credentials
handled the way a careful client must.

* **One deadline per attempt.** ``timeout`` bounds the whole exchange —
  connecting, sending, the headers and every byte of the body — not each read:
  a server that drips one byte a second is cut off at the deadline.
* **Credentials stay with their origin.** They are sent only to the scheme,
  host and port they were given for; a redirect to another origin is followed
  without them (and logged as a warning), a redirect loop or more than
  :data:`MAX_REDIRECTS` redirects is an error.
* **Broken answers are errors**, never empty successes: a body cut short, a
  broken chunk, a status line or headers that are not HTTP, too many or too
  long headers.
* Text that comes from the server (reasons, error bodies) reaches messages
  only through :func:`osce_kg.errors.one_line`: cut, and stripped of escape
  sequences and control characters.

The standard library's ``http.client`` does the protocol; this module adds only
what it leaves to the caller.  SPARQLWrapper builds the SPARQL protocol request
(:mod:`osce_kg.endpoint`), this module sends it.
"""

from __future__ import annotations

import base64
import http.client
import logging
import ssl
import time
import urllib.parse
from dataclasses import dataclass, field

from .errors import one_line

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 1 << 16


class TransportError(Exception):
    """No usable HTTP answer; ``retry`` says whether trying again may help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass
class Answer:
    """An HTTP answer read whole."""

    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


@dataclass
class Request:
    method: str
    url: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def send(request: Request, *, timeout: float, credentials: tuple[str, str] | None = None) -> Answer:
    """Send ``request`` and read the answer whole within ``timeout`` seconds,
    following redirects; TransportError if no HTTP answer came."""
    deadline = time.monotonic() + timeout
    home = origin(request.url)
    seen: set[tuple[str, str]] = set()
    current = request
    for _ in range(MAX_REDIRECTS + 1):
        key = (current.method, current.url)
        if key in seen:
            raise TransportError(f"redirect loop at {one_line(current.url)}", retry=False)
        seen.add(key)
        headers = dict(current.headers)
        if credentials is not None:
            if origin(current.url) == home:
                headers["Authorization"] = basic_auth(*credentials)
            else:
                log.warning(
                    "%s: redirected to another origin (%s); the credentials were not sent there",
                    request.url,
                    one_line(current.url),
                )
        answer = _exchange(current, headers, deadline, timeout)
        if answer.status not in _REDIRECTS:
            return answer
        location = answer.headers.get("Location")
        if not location:
            return answer
        target = urllib.parse.urljoin(current.url, location.strip())
        if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
            raise TransportError(f"redirected to a non-HTTP URL {one_line(target)}", retry=False)
        if answer.status == 303:
            current = Request("GET", target, None, _without_body_headers(current.headers))
        else:  # 301, 302, 307, 308: the same request again (a query must not be lost)
            current = Request(current.method, target, current.body, current.headers)
    raise TransportError(f"more than {MAX_REDIRECTS} redirects", retry=False)


def _without_body_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}


def _remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TransportError(f"no complete answer within {timeout:g} s (--timeout)", retry=True)
    return left


def _exchange(request: Request, headers: dict[str, str], deadline: float, timeout: float) -> Answer:
    parts = urllib.parse.urlsplit(request.url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal, as http.client expects it
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    conn: http.client.HTTPConnection
    left = _remaining(deadline, timeout)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            host, parts.port, timeout=left, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, parts.port, timeout=left)
    try:
        conn.request(request.method, target, body=request.body, headers=headers)
        # The response reads from this socket even after the connection lets
        # go of it (an answer with "Connection: close").
        sock = conn.sock
        assert sock is not None  # connected by request()
        sock.settimeout(_remaining(deadline, timeout))
        response = conn.getresponse()
        chunks = []
        while True:
            sock.settimeout(_remaining(deadline, timeout))
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
        if response.length:  # the connection ended before the announced length
            raise http.client.IncompleteRead(b"".join(chunks), response.length)
        return Answer(
            response.status,
            one_line(response.reason or ""),
            response.headers,
            b"".join(chunks),
            request.url,
        )
    except TransportError:
        raise
    except TimeoutError:
        raise TransportError(
            f"no complete answer within {timeout:g} s (--timeout)", retry=True
        ) from None
    except http.client.IncompleteRead as exc:
        got = len(exc.partial)
        raise TransportError(
            f"the answer was cut short ({got} bytes read, more announced)", retry=True
        ) from None
    except http.client.HTTPException as exc:
        name = type(exc).__name__
        detail = one_line(str(exc), 120)
        what = f"not a valid HTTP answer ({name}{': ' + detail if detail else ''})"
        raise TransportError(what, retry=True) from None
    except ssl.SSLError as exc:
        raise TransportError(f"TLS failed: {one_line(str(exc))}", retry=False) from None
    except ValueError as exc:  # e.g. a chunk size that is not a number
        detail = one_line(str(exc))
        raise TransportError(f"not a valid HTTP answer ({detail})", retry=True) from None
    except OSError as exc:
        reason = one_line(exc.strerror or str(exc) or type(exc).__name__)
        raise TransportError(f"cannot connect: {reason}", retry=True) from None
    finally:
        conn.close()
