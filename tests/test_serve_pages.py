"""``osce-kg serve`` answers the resources' IRIs: the page of the build's site or,
as ``Accept`` asks, its Turtle, JSON-LD or N-Triples; 406 when it asks for none
of them.  A real ``osce-kg serve`` on 127.0.0.1, requests made with urllib (as
curl would), and a person's page opened in headless Chromium."""

from __future__ import annotations

import urllib.error
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
    served: Served, path: str, accept: str | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(served.base + path, method=method)
    if accept is not None:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def test_negotiate_ranks_by_q_then_specificity_then_the_servers_order() -> None:
    from osce_kg.gateway import negotiate

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
    from test_report_browser import CHROMIUM, CHROMIUM_ARGS

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
            page.goto(served.base + PERSON, wait_until="load")
            assert page.get_by_role("heading", level=1).inner_text() == "Knut Dreyer"
            mark = page.locator("blockquote mark").first
            assert mark.inner_text().startswith("the Chairperson of the meeting Knut Dreyer")
            page.get_by_role("link", name="Head of the Strategic Police Matters Unit").first.click()
            page.wait_for_load_state("load")
            assert page.url.endswith("/id/post/head-osce-strategic-police-matters-unit.html")
        finally:
            browser.close()
    assert leaving == []
