"""Talk to a remote SPARQL 1.1 server: queries (SPARQLWrapper) and Graph Store uploads.

Credentials come from the environment (``OSCE_KG_ENDPOINT_USER`` and
``OSCE_KG_ENDPOINT_PASSWORD``) or from ``~/.netrc`` (the ``machine`` entry for
the endpoint's host) — never from the command line, and they are never
printed.  Connection errors, timeouts and 5xx answers are retried with
exponential backoff; a 4xx answer is reported at once.  An answer that is not
what was asked for (another media type, JSON that is not SPARQL results, an
ill-typed literal, an RDF-star triple) is an error too, never an empty success.
Every failure becomes an :class:`~osce_kg.errors.EndpointError` (exit code 3)
with a one-line message.  The HTTP exchange itself (deadline, redirects, where
credentials may go) is :mod:`osce_kg.transport`'s.
"""

from __future__ import annotations

import json
import logging
import netrc
import os
import re
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any

import rdflib

from .errors import EndpointError, InputError, ParseError, one_line
from .loading import quiet_rdflib_terms
from .namespaces import ONTOLOGY_GRAPH
from .resultset import Bindings, Row, SelectResult
from .sparql_bind import bind, check_iri, query_kind
from .sparql_results import term_from_json
from .transport import Answer, Request, TransportError, send
from .xml_entities import check_entities

log = logging.getLogger(__name__)

USER_ENV = "OSCE_KG_ENDPOINT_USER"
PASSWORD_ENV = "OSCE_KG_ENDPOINT_PASSWORD"

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


def check_url(url: str, param: str = "--endpoint") -> str:
    """``url`` if it is an http(s) URL without credentials in it."""
    bad = _URL_FORBIDDEN.search(url)
    if bad:
        raise InputError(f"{param}: {url!r}: character {bad.group()!r} is not allowed in a URL")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InputError(f"{param}: {url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{param}: {url!r} is not an http:// or https:// URL")
    if parts.username or parts.password:
        raise InputError(
            f"{param}: do not put credentials in the URL; use {USER_ENV}/{PASSWORD_ENV} or ~/.netrc"
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


def _is_error(answer: Answer) -> bool:
    return answer.status >= 400 or answer.status < 200


def with_retries(
    action: Callable[[], Answer], url: str, *, retries: int, backoff: float = 0.5
) -> Answer:
    """``action``'s answer, retrying connection errors, timeouts and 5xx with
    backoff; EndpointError (one line naming ``url``) for any other failure."""
    attempt = 0
    while True:
        try:
            answer = action()
        except TransportError as exc:
            if not exc.retry or attempt >= retries:
                tries = f" after {attempt + 1} attempt" + ("s" if attempt else "")
                raise EndpointError(f"{url}: {exc}{tries if exc.retry else ''}") from None
        else:
            if not _is_error(answer):
                return answer
            if answer.status < 500 or attempt >= retries:
                reason = _REASONS.get(answer.status, answer.reason)
                detail = _body_hint(answer)
                raise EndpointError(
                    f"{url}: HTTP {answer.status} {reason}{detail}"
                    + (f" after {attempt + 1} attempts" if attempt else "")
                )
        time.sleep(backoff * (2**attempt))
        attempt += 1


def _body_hint(answer: Answer) -> str:
    if answer.status >= 500:
        return ""
    first = answer.body[:300].decode("utf-8", "replace").strip().splitlines()
    hint = one_line(first[0], 200) if first else ""
    return f": {hint}" if hint else ""


def _media(answer: Answer) -> str:
    return answer.content_type.split(";")[0].strip().lower()


def _send(
    url: str,
    request: Request,
    *,
    timeout: float,
    retries: int,
) -> Answer:
    creds = credentials(url)
    return with_retries(
        lambda: send(request, timeout=timeout, credentials=creds), url, retries=retries
    )


_JSON_RESULTS = ("application/sparql-results+json", "application/json")
_GRAPH_FORMATS = {
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",  # N-Triples' media type before RDF 1.1
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/rdf+xml": "RDF_XML",
}


def graph_from_answer(data: bytes, ctype: str, url: str) -> rdflib.Graph:
    """A CONSTRUCT/DESCRIBE answer as an rdflib graph, parsed strictly by Oxigraph
    (as every data file is), so a server's malformed IRI or literal is an error
    here too; ``xsd:string`` literals come back plain."""
    import pyoxigraph as ox

    from .loading import add_parsed, parse_error_from

    media = ctype.split(";")[0].strip().lower()
    fmt = getattr(ox.RdfFormat, _GRAPH_FORMATS.get(media, "TURTLE"))
    what = f"{url}: cannot parse the answer ({media or 'no content type'})"
    try:
        ox.NamedNode(url)
        base: str | None = url  # relative IRIs in the answer resolve against the endpoint
    except ValueError:
        base = None  # a URL that is not an IRI Oxigraph accepts (e.g. "|" in its query)
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            check_entities(url, data)
        return add_parsed(rdflib.Graph(), list(ox.parse(data, format=fmt, base_iri=base)), url)
    except SyntaxError as exc:
        bad = parse_error_from(url, exc)
        raise EndpointError(f"{what}: line {bad.line}: {bad.message}") from None
    except ParseError as exc:  # RDF-star, which the project does not read; entity bombs
        raise EndpointError(f"{what}: {exc.message}") from None


class EndpointStore:
    """A remote SPARQL 1.1 query endpoint, through SPARQLWrapper."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        retries: int = 2,
        graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> None:

        self.url = check_url(url)
        self.timeout = timeout
        self.retries = retries
        # The named graphs that hold the dataset, sent as the protocol's
        # default-graph-uri: the query's default graph is then their merge alone
        # (Virtuoso's is otherwise the union of every graph, its own included);
        # named-graph-uri, the graphs GRAPH patterns see (by the protocol, none
        # when only default graphs are named).
        self.graphs = tuple(str(check_iri(g, "--graph")) for g in graphs)
        self.named_graphs = tuple(str(check_iri(g, "--graph")) for g in named_graphs)
        self._hinted = False

    def _request(self, query: str, bindings: Bindings, accept: str) -> Answer:
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

        text = bind(query, bindings)
        sw = SPARQLWrapper(self.url)
        sw.setMethod(POST)
        sw.setRequestMethod(URLENCODED)
        sw.setOnlyConneg(True)
        sw.setQuery(text)
        # SPARQLWrapper guesses the form with a regular expression that can take
        # a word in a comment ("load it into ...") for an update; we know better.
        sw.queryType = query_kind(text)
        sw.addCustomHttpHeader("Accept", accept)
        for graph in self.graphs:
            sw.addDefaultGraph(graph)
        for graph in self.named_graphs:
            sw.addNamedGraph(graph)
        # SPARQLWrapper writes the SPARQL protocol request; osce_kg.transport
        # sends it (deadline, redirects, credentials kept to their origin).
        built = sw._createRequest()
        request = Request(
            built.get_method(),
            built.full_url,
            built.data if isinstance(built.data, bytes) else None,
            {k: v for k, v in built.header_items()},
        )
        return _send(self.url, request, timeout=self.timeout, retries=self.retries)

    def _expect(self, answer: Answer, media: tuple[str, ...], what: str) -> None:
        got = _media(answer)
        if got not in media:
            shown = one_line(got, 60) or "no Content-Type"
            raise EndpointError(f"{self.url}: the answer is {shown}, not {what}")

    def select(
        self, query: str, bindings: Bindings = None, *, native: bool = False
    ) -> SelectResult:
        answer = self._request(query, bindings, "application/sparql-results+json")
        self._expect(answer, _JSON_RESULTS, "SPARQL JSON results")
        doc = self._json(answer, "SPARQL JSON results")
        try:
            variables = [str(v) for v in doc["head"].get("vars", [])]
            with quiet_rdflib_terms():
                rows: list[Row] = [
                    tuple(term_from_json(b.get(v)) for v in variables)
                    for b in doc["results"]["bindings"]
                ]
        except (KeyError, TypeError, AttributeError):
            raise EndpointError(f"{self.url}: the answer is not SPARQL JSON results") from None
        except ValueError as exc:
            raise EndpointError(f"{self.url}: the answer holds {one_line(str(exc))}") from None
        if not rows:
            self._hint_named_graphs()
        return SelectResult(variables, rows)

    def _hint_named_graphs(self) -> None:
        """A warning when an empty answer comes from an empty default graph while
        named graphs hold data (a dataset loaded into a named graph, queried
        without ``--graph``): right by SPARQL, and a puzzle without the hint."""
        if self.graphs or self._hinted:
            return
        self._hinted = True
        try:
            if self.ask("ASK { ?s ?p ?o }"):
                return
            # Not the ontology's graph, which `osce-kg load` writes beside the dataset's.
            found = self.select(
                "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(?g != <{ONTOLOGY_GRAPH}>) }} LIMIT 1"
            ).rows
        except EndpointError:
            return
        if found and found[0][0] is not None:
            log.warning(
                "%s: the default graph is empty, but named graphs hold data (e.g. <%s>); "
                "give --graph IRI to query one of them",
                self.url,
                found[0][0],
            )

    def _json(self, answer: Answer, what: str) -> Any:
        try:
            return json.loads(answer.body)
        except RecursionError:
            raise EndpointError(f"{self.url}: the answer nests too deeply ({what})") from None
        except ValueError:
            raise EndpointError(f"{self.url}: the answer is not valid JSON ({what})") from None

    def construct(self, query: str, bindings: Bindings = None) -> rdflib.Graph:
        answer = self._request(query, bindings, "application/n-triples, text/turtle;q=0.9")
        self._expect(answer, tuple(_GRAPH_FORMATS), "an RDF graph (N-Triples, Turtle, RDF/XML)")
        return graph_from_answer(answer.body, answer.content_type, self.url)

    def ask(self, query: str, bindings: Bindings = None) -> bool:
        answer = self._request(query, bindings, "application/sparql-results+json")
        self._expect(answer, _JSON_RESULTS, "a SPARQL JSON boolean")
        doc = self._json(answer, "a SPARQL boolean result")
        value = doc.get("boolean") if isinstance(doc, dict) else None
        if value is None and isinstance(doc, dict):
            value = _virtuoso_ask(doc)
        if not isinstance(value, bool):
            raise EndpointError(f"{self.url}: the answer is not a SPARQL boolean result")
        return value


def _virtuoso_ask(doc: dict[str, Any]) -> bool | None:
    """Virtuoso 7.2's answer to ASK, a result of ``?__ASK_RETVAL``: one row of 1 when
    true, no row when false (docs/queries.md), as the boolean it means; None for any
    other document."""
    try:
        if doc["head"]["vars"] != ["__ASK_RETVAL"]:
            return None
        rows = doc["results"]["bindings"]
        if not rows:
            return False
        (row,) = rows
        value = row["__ASK_RETVAL"]["value"]
    except (KeyError, TypeError, ValueError):
        return None
    return {"1": True, "0": False}.get(value)


def update_graph(
    url: str,
    data: bytes,
    *,
    graph: str | None = None,
    timeout: float = 300.0,
    retries: int = 2,
) -> int:
    """Replace one graph through a SPARQL 1.1 Update endpoint with ``data`` (N-Triples
    bytes), for a server without the Graph Store Protocol; the HTTP status.

    One request, ``DROP SILENT`` then ``INSERT DATA``: a server that runs a request
    as one transaction (Oxigraph does) swaps the graph in one operation.  The
    request gives the same graph when repeated, so retrying it is safe.
    """
    check_url(url)
    if graph is None:
        drop, into, close = "DROP SILENT DEFAULT", "INSERT DATA {\n", "}"
    else:
        iri = check_iri(graph, "--graph")
        drop, into, close = (
            f"DROP SILENT GRAPH <{iri}>",
            f"INSERT DATA {{ GRAPH <{iri}> {{\n",
            "} }",
        )
    body = f"{drop} ;\n{into}".encode() + data + close.encode()
    request = Request("POST", url, body, {"Content-Type": "application/sparql-update"})
    return _send(url, request, timeout=timeout, retries=retries).status


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
    request = Request("PUT", target, data, {"Content-Type": content_type})
    return _send(url, request, timeout=timeout, retries=retries).status
