"""The report, ``index.html``, in a real headless Chromium (Debian's, driven by
Playwright for Python with no browser download): it loads with no console
errors and no request leaving 127.0.0.1, shows the speakers and events of the
article, and a click on a quotation shows its passage.  A screenshot is
written to tests/artifacts/report.png for people to look at."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import REPO, clean_env, osce_kg_exe

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "tests" / "artifacts"
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_problems(page: Any) -> list[str]:
    """axe-core's audit of the page (WCAG 2 A and AA rules): its serious and critical
    violations, each as "rule: first target"."""
    if not AXE.is_file():
        pytest.skip("axe-core not installed (make test installs tests/js with npm)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, target: v.nodes[0].target.join(' ')}))"
    )
    return [f"{v['id']}: {v['target']}" for v in found if v["impact"] in ("serious", "critical")]


# From the article: who spoke, and the two events they spoke at that it dates
# or orders (the meeting of 19–21 September 2012 and the session before it).
SPEAKERS = ("Zumrad Solieva", "Eoin O’Leary", "Dzhurakhon Zoirov", "Knut Dreyer")
EVENTS = {
    "event-2012-annual-police-experts-meeting": ("Annual Police Experts Meeting", "2012"),
    "event-2012-osce-missions-police-reform-session": ("OSCE missions", "police reform"),
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh build, served on 127.0.0.1 (an ephemeral port)."""
    out = tmp_path_factory.mktemp("report") / "dist"
    proc = subprocess.run(
        [*osce_kg_exe(), "build", "-o", str(out)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium not installed (an optional platform; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[tuple[Any, list[str]]]:
    """The report loaded; the list collects console errors and requests leaving 127.0.0.1."""
    problems: list[str] = []
    pg = browser.new_page()
    pg.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    pg.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )

    def offline(route: Any) -> None:
        if route.request.url.startswith(site) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            problems.append(f"request leaving the site: {route.request.url}")
            route.abort()

    pg.route("**/*", offline)
    pg.goto(site + "index.html", wait_until="load")
    try:
        yield pg, problems
    finally:
        pg.close()


def test_loads_without_errors_and_offline(page: tuple[Any, list[str]]) -> None:
    pg, problems = page
    assert pg.title().startswith("osce-kg")
    pg.wait_for_timeout(300)  # let late errors surface
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)


def test_shows_the_speakers_and_events(page: tuple[Any, list[str]]) -> None:
    pg, problems = page
    people = pg.locator("#people .person h3")
    names = people.all_inner_texts()
    for name in SPEAKERS:
        assert name in names
        assert pg.locator("#people .person h3", has_text=name).is_visible()
    for anchor, words in EVENTS.items():
        item = pg.locator(f"#timeline li#{anchor}")
        assert item.is_visible()
        text = item.inner_text()
        for w in words:
            assert w.lower() in text.lower(), (anchor, w)
    # The meeting's dates: "From 19 to 21 September 2012", says the article.
    meeting = pg.locator("#event-2012-annual-police-experts-meeting").inner_text()
    assert "19–21 September 2012" in meeting
    # The network view links each speaker to where they spoke.
    for name in SPEAKERS:
        assert pg.locator("svg.network text", has_text=name).count() == 1
    assert problems == []


def test_clicking_a_quotation_shows_its_passage(page: tuple[Any, list[str]]) -> None:
    pg, problems = page
    panel = pg.locator("#passage")
    assert not panel.is_visible()
    buttons = pg.locator("button.quote")
    assert buttons.count() == 6
    for i in range(buttons.count()):
        button = buttons.nth(i)
        anchor = button.get_attribute("data-quote")
        button.click()
        assert panel.is_visible()
        mark = pg.locator(f"mark#{anchor}")
        words = mark.inner_text()
        # The panel shows the passage, the quoted words highlighted in it …
        assert words in panel.inner_text()
        assert pg.locator(f"#passage mark[data-quote='{anchor}']").first.inner_text() == words
        # … and in the article the passage is highlighted and scrolled to.
        assert "active" in (mark.get_attribute("class") or "")
        assert pg.locator("mark.q.active").count() >= 1
        assert mark.evaluate(
            "m => { const r = m.getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight; }"
        )
        # The button's quotation is the marked passage.
        assert button.inner_text().startswith("“" + words)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.locator("button.quote", has_text="To combat this threat").click()
    pg.screenshot(path=str(ARTIFACTS / "report.png"))
    pg.locator("#passage-close").click()
    assert not panel.is_visible()
    assert pg.locator("mark.q.active").count() == 0
    assert problems == []


def test_the_site_leads_from_its_index_to_a_persons_passage(page: tuple[Any, list[str]]) -> None:
    """The Linked Data site (``site/``): from its index to Knut Dreyer's page, where
    the passage that names him is highlighted; then on to an event he chaired,
    all offline."""
    pg, problems = page
    pg.goto(pg.url.rsplit("/", 1)[0] + "/site/index.html", wait_until="load")
    pg.get_by_role("link", name="Knut Dreyer", exact=True).click()
    pg.wait_for_load_state("load")
    assert pg.url.endswith("/site/id/person/knut-dreyer.html")
    assert pg.get_by_role("heading", level=1).inner_text() == "Knut Dreyer"
    mark = pg.locator("#passages ~ blockquote mark, section blockquote mark").first
    assert mark.is_visible()
    assert mark.inner_text().startswith("the Chairperson of the meeting Knut Dreyer")
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "site-person.png"), full_page=True)
    pg.get_by_role(
        "link", name="Annual Police Experts Meeting of the OSCE member countries (2012)"
    ).first.click()
    pg.wait_for_load_state("load")
    assert pg.url.endswith("/site/id/event/2012-annual-police-experts-meeting.html")
    assert "Knut Dreyer" in pg.locator("main").inner_text()
    pg.set_viewport_size({"width": 390, "height": 800})  # a phone: nothing wider than the screen
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pg.set_viewport_size({"width": 1280, "height": 900})
    assert problems == []


def test_the_report_and_the_site_pass_an_accessibility_audit(page: tuple[Any, list[str]]) -> None:
    pg, problems = page
    assert serious_accessibility_problems(pg) == []
    base = pg.url.rsplit("/", 1)[0]
    for path in ("/site/index.html", "/site/id/person/knut-dreyer.html"):
        pg.goto(base + path, wait_until="load")
        assert serious_accessibility_problems(pg) == [], path
    assert problems == []
