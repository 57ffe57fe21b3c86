"""``osce-kg serve`` answers the resources' IRIs: the page of the build's site or,
as ``Accept`` asks, its Turtle, JSON-LD or N-Triples; 406 when it asks for none
of them.  A real ``osce-kg serve`` on 127.0.0.1, requests made with urllib (as
curl would), and a person's page opened in headless Chromium."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from test_serve_security import Served, start, stop

PERSON = "/id/person/knut-dreyer"
IRI = "https://w3id.org/osce-kg/id/person/knut-dreyer"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    s = start(tmp_path_factory.mktemp("serve-pages"))
    yield s
    stop(s)


def get(
    served: Served,
    path: str,
    accept: str | None = None,
    method: str = "GET",
    timeout: float = 30,
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(served.base + path, method=method)
    if accept is not None:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def test_negotiate_ranks_by_q_then_specificity_then_the_servers_order() -> None:
    from osce_kg.webpages import negotiate

    assert negotiate(None) == ".html"
    assert negotiate(BROWSER) == ".html"
    assert negotiate("text/turtle") == ".ttl"
    assert negotiate("application/ld+json, text/turtle;q=0.9") == ".jsonld"
    assert negotiate("text/turtle;q=0.5, application/n-triples") == ".nt"
    assert negotiate("text/*;q=0.3, text/turtle;q=0.8") == ".ttl"
    assert negotiate("*/*, text/html;q=0") == ".ttl"
    assert negotiate("image/png") is None
    assert negotiate("text/turtle;q=0") is None


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("application/ld+json", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("application/n-triples", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    ],
)
def test_an_iri_gives_the_description_accept_asks_for(
    served: Served, accept: str, media: str, fmt: Any
) -> None:
    status, headers, body = get(served, PERSON, accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert headers["Vary"] == "Accept"
    triples = {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in pyoxigraph.parse(body, format=fmt)
    }
    assert (f"<{IRI}>", "<http://xmlns.com/foaf/0.1/name>", '"Knut Dreyer"') in triples
    # The same description whatever the way it was asked for.
    suffix = {"text/turtle": ".ttl", "application/ld+json": ".jsonld"}.get(media, ".nt")
    assert get(served, PERSON + suffix, "image/png")[2] == body


def test_a_browser_gets_the_page(served: Served) -> None:
    status, headers, body = get(served, PERSON, BROWSER)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert "<h1>Knut Dreyer</h1>" in page and "<mark>" in page
    assert get(served, PERSON + ".html")[2] == body


def test_an_unknown_type_is_406_and_an_unknown_iri_404(served: Served) -> None:
    status, _, body = get(served, PERSON, "image/png")
    assert status == 406 and b"text/turtle" in body
    assert get(served, "/id/person/nobody", "text/turtle")[0] == 404
    assert get(served, "/id/../../../etc/passwd")[0] in (400, 404)
    assert get(served, PERSON, "text/turtle", method="PUT")[0] == 405
    assert get(served, PERSON, "text/turtle", method="DELETE")[0] == 405


def test_a_persons_page_from_serve_in_a_browser(served: Served, tmp_path: Path) -> None:
    from test_report_browser import CHROMIUM, CHROMIUM_ARGS, serious_accessibility_problems

    if CHROMIUM is None:
        pytest.skip("chromium not installed (an optional platform; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    leaving: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()

            def offline(route: Any) -> None:
                if route.request.url.startswith(served.base):
                    route.continue_()
                else:
                    leaving.append(route.request.url)
                    route.abort()

            page.route("**/*", offline)
            # Search "Dreyer" from the home page and reach his page …
            page.goto(served.base + "/", wait_until="load")
            page.get_by_role("searchbox").fill("Dreyer")
            page.get_by_role("button", name="Search").click()
            page.wait_for_load_state("load")
            page.get_by_role("link", name="Knut Dreyer").first.click()
            page.wait_for_load_state("load")
            assert page.url == served.base + PERSON
            assert page.get_by_role("heading", level=1).inner_text() == "Knut Dreyer"
            mark = page.locator("blockquote mark").first
            assert mark.inner_text().startswith("the Chairperson of the meeting Knut Dreyer")
            page.get_by_role("link", name="Head of the Strategic Police Matters Unit").first.click()
            page.wait_for_load_state("load")
            assert page.url.endswith("/id/post/head-osce-strategic-police-matters-unit.html")
            # … and run a stored query from its form: the answer is a table.
            page.goto(served.base + "/queries/statements-by-person", wait_until="load")
            page.get_by_role("textbox", name="person").fill("id:person/zumrad-solieva")
            page.get_by_role("button", name="Run").click()
            page.wait_for_load_state("load")
            table = page.locator("#answer ~ div table, section table").first
            assert table.is_visible() and table.locator("tbody tr").count() >= 2
            assert serious_accessibility_problems(page) == []
            page.set_viewport_size({"width": 390, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            for path in ("/", "/search?q=Dreyer", PERSON):
                page.goto(served.base + path, wait_until="load")
                assert serious_accessibility_problems(page) == [], path
        finally:
            browser.close()
    assert leaving == []


# ------------------------------------------------------------------ pages for people


def post_form(served: Served, path: str, fields: dict[str, str], **headers: str) -> tuple[int, str]:
    body = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(served.base + path, data=body, method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    for name, value in headers.items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_the_home_page_offers_search_queries_and_an_editor(served: Served) -> None:
    status, headers, body = get(served, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'action="/search"' in page and 'action="/sparql"' in page
    assert '<a href="/queries/speeches">speeches</a>' in page
    assert "PREFIX okg: &lt;https://w3id.org/osce-kg/ontology#&gt;" in page  # preset prefixes
    assert "<script" not in page and "http://prefix.cc" not in page


def test_search_finds_a_person_and_links_his_page(served: Served) -> None:
    for text in ("Dreyer", "dreyer knut", "Dreyer, Knut"):
        status, _, body = get(served, "/search?" + urllib.parse.urlencode({"q": text}))
        assert status == 200
        assert '<a href="/id/person/knut-dreyer">Knut Dreyer</a>' in body.decode("utf-8"), text
    _, _, body = get(served, "/search?q=" + urllib.parse.quote("O'Leary"))
    assert '<a href="/id/person/eoin-oleary">' in body.decode("utf-8")


def test_a_stored_query_runs_from_its_form_as_the_cli_runs_it(served: Served) -> None:
    import csv
    import io

    from conftest import REPO, clean_env, osce_kg_exe

    status, _, body = get(served, "/queries/speeches?run=1")
    page = body.decode("utf-8")
    assert status == 200 and "<table>" in page
    assert '<a href="/id/person/knut-dreyer">id:person/knut-dreyer</a>' in page
    _, headers, data = get(served, "/queries/speeches?run=1&format=csv")
    assert headers["Content-Type"].startswith("text/csv")
    local = subprocess.run(
        [*osce_kg_exe(), "query", "run", "speeches", "--format", "csv"],
        capture_output=True, text=True, cwd=REPO, env=clean_env(), check=True,
    ).stdout  # fmt: skip
    rows = lambda text: sorted(map(tuple, csv.reader(io.StringIO(text))))  # noqa: E731
    assert rows(data.decode("utf-8")) == rows(local)


def test_a_form_parameter_is_bound_as_a_term_and_checked(served: Served) -> None:
    person = urllib.parse.urlencode({"person": "id:person/dzhurakhon-zoirov", "run": "1"})
    status, _, body = get(served, "/queries/statements-by-person?" + person)
    assert status == 200 and body.decode("utf-8").count("<tr>") > 2
    hostile = urllib.parse.urlencode({"person": "x> } ; DROP ALL ; <y", "run": "1"})
    status, _, body = get(served, "/queries/statements-by-person?" + hostile)
    assert status == 400 and "parameter person" in body.decode("utf-8")
    assert get(served, "/queries/no-such-query")[0] == 404


def test_the_editor_runs_a_query_and_keeps_the_limits(served: Served) -> None:
    status, page = post_form(
        served, "/sparql", {"query": "SELECT ?n WHERE { ?p a okg:Person ; foaf:name ?n }"}
    )
    assert status == 200 and "Zumrad Solieva" in page
    status, page = post_form(
        served,
        "/sparql",
        {"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"},
    )
    assert status == 400 and "SERVICE" in page
    status, _ = post_form(served, "/sparql", {"query": "ASK {}"}, Origin="http://evil.example")
    assert status == 403


def test_it_survives_200_concurrent_requests(served: Served) -> None:
    """Pages, descriptions, searches, stored queries and SPARQL, 200 at once: every
    one is answered, and the server answers afterwards."""
    from concurrent.futures import ThreadPoolExecutor

    ask = "/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    # Mostly what a crawler or a page asks for; one in ten a search or a stored query.
    paths = [(PERSON, "text/turtle"), (PERSON, BROWSER), (ask, "text/csv")] * 3
    paths += [("/search?q=Zoirov", None), ("/queries/people?run=1", None)]
    with ThreadPoolExecutor(max_workers=200) as pool:
        answers = list(
            pool.map(lambda i: get(served, *paths[i % len(paths)], timeout=120)[0], range(200))
        )
    assert answers.count(200) == 200, sorted(set(answers))
    assert get(served, PERSON, "text/turtle")[0] == 200


def test_the_served_dataset_has_the_embedded_stores_named_graphs(served: Served) -> None:
    """serve loads the dataset store whole: GRAPH ?g gives the embedded answers, and the
    default graph the union the stored queries read."""
    from osce_kg.endpoint import EndpointStore
    from osce_kg.store import OxigraphStore

    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    remote, local = EndpointStore(served.base + "/query"), OxigraphStore.open()
    for query in (per_graph, union):
        assert sorted(remote.select(query).rows) == sorted(local.select(query).rows)
    assert len(remote.select(per_graph).rows) >= 5
