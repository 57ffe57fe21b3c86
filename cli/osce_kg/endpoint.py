"""Talk to a remote SPARQL 1.1 server: queries (SPARQLWrapper) and Graph Store uploads.

Credentials come from the environment (``OSCE_KG_ENDPOINT_USER`` and
``OSCE_KG_ENDPOINT_PASSWORD``) or from ``~/.netrc`` (the ``machine`` entry for
the endpoint's host) — never from the command line, and they are never
printed.  Connection errors, timeouts and 5xx answers are retried with
exponential backoff; a 4xx answer is reported at once.  Every failure becomes
an :class:`~osce_kg.errors.EndpointError` (exit code 3) with a one-line message.
"""

from __future__ import annotations

import base64
import email.message
import io
import json
import netrc
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import TypeVar

import rdflib

from .errors import EndpointError, InputError, ParseError
from .resultset import Bindings, Row, SelectResult
from .sparql_bind import bind, query_kind
from .sparql_results import term_from_json

USER_ENV = "OSCE_KG_ENDPOINT_USER"
PASSWORD_ENV = "OSCE_KG_ENDPOINT_PASSWORD"

T = TypeVar("T")

_REASONS = {
    400: "bad request (the server rejected the query or data)",
    401: "unauthorised (set OSCE_KG_ENDPOINT_USER/OSCE_KG_ENDPOINT_PASSWORD or ~/.netrc)",
    403: "forbidden (the credentials do not allow this)",
    404: "not found (check the endpoint URL)",
    405: "method not allowed (is this the right endpoint for this operation?)",
    413: "payload too large",
    414: "URI too long",
    415: "unsupported media type",
}


# Characters a URL cannot hold as themselves (RFC 3986): spaces, controls, and
# the delimiters that must be percent-encoded.
_URL_FORBIDDEN = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`]')


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL without credentials in it."""
    bad = _URL_FORBIDDEN.search(url)
    if bad:
        raise InputError(f"--endpoint: {url!r}: character {bad.group()!r} is not allowed in a URL")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InputError(f"--endpoint: {url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--endpoint: {url!r} is not an http:// or https:// URL")
    if parts.username or parts.password:
        raise InputError(
            "--endpoint: do not put credentials in the URL; "
            f"use {USER_ENV}/{PASSWORD_ENV} or ~/.netrc"
        )
    return url


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for ``url`` from the environment or ``~/.netrc``, if any."""
    user = os.environ.get(USER_ENV)
    if user:
        return user, os.environ.get(PASSWORD_ENV, "")
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    if entry is None:
        return None
    login, _, password = entry
    return login or "", password or ""


def _auth_header(url: str) -> dict[str, str]:
    creds = credentials(url)
    if creds is None:
        return {}
    token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _is_timeout(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason)


def with_retries(
    action: Callable[[], T], url: str, *, retries: int, timeout: float, backoff: float = 0.5
) -> T:
    """Run ``action``, retrying connection errors, timeouts and 5xx with backoff."""
    attempt = 0
    while True:
        try:
            return action()
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt >= retries:
                reason = _REASONS.get(exc.code, exc.reason)
                detail = _body_hint(exc)
                raise EndpointError(
                    f"{url}: HTTP {exc.code} {reason}{detail}"
                    + (f" after {attempt + 1} attempts" if attempt else "")
                ) from None
        except (urllib.error.URLError, OSError) as exc:
            if attempt >= retries:
                if _is_timeout(exc):
                    what = f"no answer within {timeout:g} s (--timeout)"
                else:
                    what = f"cannot connect: {getattr(exc, 'reason', exc)}"
                tries = f"{attempt + 1} attempt" + ("s" if attempt else "")
                raise EndpointError(f"{url}: {what} after {tries}") from None
        time.sleep(backoff * (2**attempt))
        attempt += 1


def _body_hint(exc: urllib.error.HTTPError) -> str:
    try:
        body = exc.read(300).decode("utf-8", "replace").strip()
    except Exception:  # the body is only a hint
        return ""
    first = body.splitlines()[0] if body else ""
    return f": {first[:200]}" if first and exc.code < 500 else ""


def graph_from_answer(data: bytes, ctype: str, url: str) -> rdflib.Graph:
    """A CONSTRUCT/DESCRIBE answer as an rdflib graph, parsed strictly by Oxigraph
    (as every data file is), so a server's malformed IRI or literal is an error
    here too; ``xsd:string`` literals come back plain."""
    import pyoxigraph as ox

    from .loading import add_parsed, parse_error_from

    media = ctype.split(";")[0].strip().lower()
    fmt = {
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' media type before RDF 1.1
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }.get(media, ox.RdfFormat.TURTLE)
    what = f"{url}: cannot parse the answer ({media or 'no content type'})"
    try:
        ox.NamedNode(url)
        base: str | None = url  # relative IRIs in the answer resolve against the endpoint
    except ValueError:
        base = None  # a URL that is not an IRI Oxigraph accepts (e.g. "|" in its query)
    try:
        return add_parsed(rdflib.Graph(), list(ox.parse(data, format=fmt, base_iri=base)), url)
    except SyntaxError as exc:
        bad = parse_error_from(url, exc)
        raise EndpointError(f"{what}: line {bad.line}: {bad.message}") from None
    except ParseError as exc:  # RDF-star, which the project does not read
        raise EndpointError(f"{what}: {exc.message}") from None


class EndpointStore:
    """A remote SPARQL 1.1 query endpoint, through SPARQLWrapper."""

    def __init__(self, url: str, *, timeout: float = 30.0, retries: int = 2) -> None:
        self.url = check_url(url)
        self.timeout = timeout
        self.retries = retries

    def _request(self, query: str, bindings: Bindings, accept: str) -> tuple[bytes, str]:
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        text = bind(query, bindings)
        sw = SPARQLWrapper(self.url)
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
        sw.setOnlyConneg(True)
        sw.setTimeout(max(1, round(self.timeout)))
        sw.setQuery(text)
        # SPARQLWrapper guesses the form with a regular expression that can take
        # a word in a comment ("load it into ...") for an update; we know better.
        sw.queryType = query_kind(text)
        sw.addCustomHttpHeader("Accept", accept)
        for name, value in _auth_header(self.url).items():
            sw.addCustomHttpHeader(name, value)

        def attempt() -> tuple[bytes, str]:
            try:
                response = sw.query().response
            except SPARQLWrapperException as exc:
                # SPARQLWrapper turns some HTTP errors into its own exceptions;
                # map them back to status codes so that retries work the same.
                code = {
                    "QueryBadFormed": 400,
                    "Unauthorized": 401,
                    "EndPointNotFound": 404,
                    "URITooLong": 414,
                    "EndPointInternalError": 500,
                }.get(type(exc).__name__, 500)
                message = str(exc)
                body = message.split("Response:", 1)[1].strip() if "Response:" in message else ""
                if body.startswith(("b'", 'b"')):
                    body = body[2:-1]
                raise urllib.error.HTTPError(
                    self.url,
                    code,
                    message.splitlines()[0][:200],
                    email.message.Message(),
                    io.BytesIO(body.encode("utf-8", "replace")),
                ) from None
            data: bytes = response.read()
            return data, response.headers.get("Content-Type", "")

        return with_retries(attempt, self.url, retries=self.retries, timeout=self.timeout)

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        data, _ = self._request(query, bindings, "application/sparql-results+json")
        try:
            doc = json.loads(data)
            variables = list(doc["head"].get("vars", []))
            rows: list[Row] = [
                tuple(term_from_json(b.get(v)) for v in variables)
                for b in doc["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(f"{self.url}: the answer is not SPARQL JSON results") from None
        return SelectResult(variables, rows)

    def construct(self, query: str, bindings: Bindings = None) -> rdflib.Graph:
        data, ctype = self._request(query, bindings, "application/n-triples, text/turtle;q=0.9")
        return graph_from_answer(data, ctype, self.url)

    def ask(self, query: str, bindings: Bindings = None) -> bool:
        data, _ = self._request(query, bindings, "application/sparql-results+json")
        try:
            return bool(json.loads(data)["boolean"])
        except (ValueError, KeyError, TypeError):
            raise EndpointError(f"{self.url}: the answer is not a SPARQL boolean result") from None


def put_graph(
    url: str,
    data: bytes,
    *,
    graph: str | None = None,
    content_type: str = "application/n-triples",
    timeout: float = 300.0,
    retries: int = 2,
) -> int:
    """Replace one graph of a Graph Store Protocol endpoint with ``data``; the HTTP status.

    A single PUT: the server swaps the graph's content in one operation, so a
    failed upload leaves the previous graph as it was.  PUT is idempotent, so
    retrying it after a connection error or a 5xx is safe.
    """
    check_url(url)
    target = url + ("&" if "?" in url else "?")
    target += urllib.parse.urlencode({"graph": graph}) if graph else "default"
    headers = {"Content-Type": content_type, **_auth_header(url)}

    def attempt() -> int:
        request = urllib.request.Request(target, data=data, method="PUT", headers=headers)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status: int = response.status
            return status

    return with_retries(attempt, url, retries=retries, timeout=timeout)
