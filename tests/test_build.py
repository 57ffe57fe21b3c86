"""``osce-kg build``: every output present and well-formed, byte-for-byte
deterministic, atomic (a failed or killed build leaves the previous output),
and the report's content right for the article."""

from __future__ import annotations

import html.parser
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from conftest import REPO, SLUG, clean_env, osce_kg_exe

SESSION_IRI = "https://w3id.org/osce-kg/id/event/2012-osce-missions-police-reform-session"
MEETING_IRI = "https://w3id.org/osce-kg/id/event/2012-annual-police-experts-meeting"
EPOCH = "1348272000"  # 2012-09-22 00:00:00 UTC, the article's date
BUILD_TIME_LINE = re.compile(rb"^.*data-build-time.*$", re.M)


def run_build(out: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*osce_kg_exe(), "build", "-o", str(out), *args],
        capture_output=True,
        text=True,
        env=clean_env(**env),
        timeout=300,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two builds of the shipped data: the second with SOURCE_DATE_EPOCH set, from a
    copy of the data in another folder.

    Different hash seeds, so that any output that follows the hash order of
    strings (set iteration) differs between them.  A cache folder of their own:
    the first computes every layout, picture and ontology page, the second
    finds them kept (osce_kg.memo), so the comparison also holds the kept
    answers to the computed ones.
    """
    root = tmp_path_factory.mktemp("build")
    cache = str(root / "cache")
    first = run_build(root / "a", PYTHONHASHSEED="1", OSCE_KG_CACHE=cache)
    assert first.returncode == 0, first.stderr
    kept = sorted(p.relative_to(root) for p in (root / "cache" / "memo").rglob("*"))
    assert {p.parts[2] for p in kept if len(p.parts) == 4} >= {
        "layout",
        "picture",
        "ontology-page",
    }
    # The second reads a copy of the data in another folder: no output may
    # depend on where the data or the build lives.
    copy = root / "elsewhere" / "data"
    for name in ("ontology", "shapes", "graph", "queries"):
        shutil.copytree(REPO / name, copy / name)
    second = run_build(
        root / "b",
        PYTHONHASHSEED="2",
        SOURCE_DATE_EPOCH=EPOCH,
        OSCE_KG_DATA=str(copy),
        OSCE_KG_CACHE=cache,
    )
    assert second.returncode == 0, second.stderr
    # Nothing computed again: no answer was added to the memo.
    assert sorted(p.relative_to(root) for p in (root / "cache" / "memo").rglob("*")) == kept
    return root / "a", root / "b"


@pytest.fixture(scope="module")
def dist(builds: tuple[Path, Path]) -> Path:
    return builds[0]


# --------------------------------------------------------------------------- outputs


OX_FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".trig": pyoxigraph.RdfFormat.TRIG,
}


def quads(path: Path) -> set[tuple[str, str, str, str]]:
    parsed = pyoxigraph.parse(path.read_bytes(), format=OX_FORMATS[path.suffix])
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in parsed}


def test_dataset_formats_hold_the_same_triples(dist: Path) -> None:
    from osce_kg.inference import infer
    from osce_kg.layout import DataLayout
    from osce_kg.loading import load_graph

    layout = DataLayout.default()
    expected = load_graph(layout.dataset_files())
    expected += infer(load_graph(layout.ontology_files()), expected)
    triples = {
        suffix: {(s, p, o) for s, p, o, _ in quads(dist / "dataset" / f"osce-kg{suffix}")}
        for suffix in OX_FORMATS
    }
    assert len(triples[".nt"]) == len(expected)
    for suffix in (".ttl", ".jsonld", ".trig"):
        assert triples[suffix] == triples[".nt"], suffix
    nt = (dist / "dataset" / "osce-kg.nt").read_text(encoding="utf-8").splitlines()
    assert nt == sorted(nt)


def test_trig_has_one_named_graph_per_part(dist: Path) -> None:
    graphs = {g for *_, g in quads(dist / "dataset" / "osce-kg.trig")}
    base = "<https://w3id.org/osce-kg/graph/"
    assert graphs == {
        base + "ontology>",
        base + "shared>",
        base + "reference>",
        base + f"source/{SLUG}>",
        base + "inferred>",
    }
    by_graph: dict[str, set[str]] = {}
    for s, _p, _o, g in quads(dist / "dataset" / "osce-kg.trig"):
        by_graph.setdefault(g, set()).add(s)
    # The ISO codes are reference data, the article its source's graph, inferred
    # super-types the inferred graph: each fact sits in the graph it belongs to.
    assert "<https://w3id.org/osce-kg/id/country/tajikistan>" in by_graph[base + "reference>"]
    article = f"<https://w3id.org/osce-kg/id/source/{SLUG}>"
    assert article in by_graph[base + f"source/{SLUG}>"]
    inferred = {
        (s, o) for s, p, o, g in quads(dist / "dataset" / "osce-kg.trig") if g == base + "inferred>"
    }
    assert (
        "<https://w3id.org/osce-kg/id/person/knut-dreyer>",
        "<http://xmlns.com/foaf/0.1/Person>",
    ) in inferred


def test_jsonld_carries_the_project_context(dist: Path) -> None:
    doc = json.loads((dist / "dataset" / "osce-kg.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["okg"] == "https://w3id.org/osce-kg/ontology#"
    assert doc["@context"]["schema"] == "http://schema.org/"
    ids = [node["@id"] for node in doc["@graph"]]
    assert ids == sorted(ids)
    context = json.loads((dist / "dataset" / "context.jsonld").read_text(encoding="utf-8"))
    assert context["@context"] == doc["@context"]


def test_validation_report_is_written(dist: Path) -> None:
    text = (dist / "validation" / "report.txt").read_text(encoding="utf-8")
    data = json.loads((dist / "validation" / "report.json").read_text(encoding="utf-8"))
    assert text.strip()
    assert data  # the shipped data conforms, so the build went on
    assert "conform" in text.lower()


def test_every_stored_query_has_its_result(dist: Path) -> None:
    from osce_kg.catalogue import catalogue

    index = {e["name"]: e for e in json.loads((dist / "queries" / "index.json").read_text())}
    # The checks report through the validation report, not as query results.
    stored = [q for q in catalogue(all_folders=True) if not q.name.startswith("checks/")]
    assert set(index) == {q.name for q in stored}
    assert not (dist / "queries" / "checks").exists()
    for q in stored:
        entry = index[q.name]
        if entry["status"] != "ok":
            assert entry["status"].startswith("not run: needs parameter")
            assert any(p.required and p.default is None for p in q.params)
            continue
        if q.kind == "SELECT":
            srj = json.loads((dist / "queries" / f"{q.name}.srj").read_text(encoding="utf-8"))
            csv_lines = (dist / "queries" / f"{q.name}.csv").read_bytes().split(b"\r\n")
            assert srj["head"]["vars"] == csv_lines[0].decode().split(",")
            assert len(srj["results"]["bindings"]) == entry["rows"]


def test_every_network_is_exported_and_drawn(dist: Path) -> None:
    from osce_kg.network import NETWORKS

    files = {p.relative_to(dist / "networks").as_posix() for p in (dist / "networks").rglob("*")}
    for name in NETWORKS:
        for suffix in (".gexf", ".graphml", ".png", ".svg"):
            assert any(f.startswith(name) and f.endswith(suffix) for f in files), (name, suffix)
        assert any(f.startswith(name) and f.endswith(".csv") for f in files), name
    png = next((dist / "networks").rglob("*.png")).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_network_exports_carry_the_analysis_figures(dist: Path) -> None:
    """As `osce-kg network export` writes them: degree, centralities, groups per node."""
    from lxml import etree

    figures = {"degree", "weighted_degree", "betweenness", "pagerank", "component", "community"}
    for folder in sorted(p for p in (dist / "networks").iterdir() if p.is_dir()):
        root = etree.parse(str(folder / f"{folder.name}.gexf")).getroot()
        titles = {
            a.get("title")
            for block in root.iter("{http://gexf.net/1.3}attributes")
            if block.get("class") == "node"
            for a in block.iter("{http://gexf.net/1.3}attribute")
        }
        assert figures <= titles, folder.name
        header = (folder / "csv" / "nodes.csv").read_text(encoding="utf-8").splitlines()[0]
        assert figures <= set(header.split(",")), folder.name
    index = {e["name"]: e for e in json.loads((dist / "networks" / "index.json").read_text())}
    assert index["person-organisation"]["analyses"]["events"] == (
        "not applicable: the network has no event nodes"
    )
    assert index["speaker-event"]["analyses"]["persons"] == "analysis/persons.csv"


def test_ontology_documentation(dist: Path) -> None:
    page = (dist / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "osce-kg ontology" in page
    # Every class of the ontology is documented.
    for cls in ("Speech", "Quotation", "FieldOperation", "Agreement"):
        assert f"https://w3id.org/osce-kg/ontology#{cls}" in page
    # Offline: no script or style sheet fetched from elsewhere.
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)


# --------------------------------------------------------------------------- report


class _Marks(html.parser.HTMLParser):
    """Collects the text of every <mark data-quote=…> of a page, by quotation."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("mark", "button") and a.get("data-quote"):
            self._open = (tag, a["data-quote"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            tag, q = self._open
            target = self.marks if tag == "mark" else self.buttons
            target[q] = target.get(q, "") + data


def test_report_highlights_each_quotation_at_its_offsets(dist: Path, article_text: str) -> None:
    parser = _Marks()
    parser.feed((dist / "index.html").read_text(encoding="utf-8"))
    # The article quotes Solieva once, O'Leary twice, Zoirov three times.
    assert len(parser.marks) == 6
    for words in (
        "It means, that",
        "To combat this threat effectively",
        "Along with providing the investigators",
        "Nowadays, the extremist ideas",
        "Meanwhile, the extremist groups",
        "Therefore, it is necessary to undertake joint measures",
    ):
        hits = [q for q, text in parser.marks.items() if text.startswith(words)]
        assert len(hits) == 1, words
        assert parser.marks[hits[0]] in article_text
        assert parser.buttons[hits[0]].startswith("“" + parser.marks[hits[0]])


def test_report_escapes_text() -> None:
    import rdflib

    from osce_kg.build.report import ValidationStatus, render_report
    from osce_kg.store import RdflibStore

    g = rdflib.Graph()
    okg = rdflib.Namespace("https://w3id.org/osce-kg/ontology#")
    person = rdflib.URIRef("https://w3id.org/osce-kg/id/person/x")
    g.add((person, rdflib.RDF.type, okg.Person))
    g.add((person, rdflib.RDFS.label, rdflib.Literal("<script>alert('x')</script> & Co")))
    page = render_report(
        RdflibStore(g),
        asserted=2,
        inferred=0,
        validation=ValidationStatus(ran=False),
        files=[],
        network_pictures=[],
    )
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in page


def test_timeline_puts_the_session_before_the_meeting(dist: Path) -> None:
    page = (dist / "index.html").read_text(encoding="utf-8")
    # The article: the meeting "was forerun with the session of the OSCE Missions' experts".
    session = page.index('id="event-2012-osce-missions-police-reform-session"')
    meeting = page.index('id="event-2012-annual-police-experts-meeting"')
    proposed = page.index('id="event-proposed-regional-police-experts-meeting-tajikistan"')
    assert session < meeting < proposed


# --------------------------------------------------------------------------- determinism


def test_two_builds_are_byte_identical(builds: tuple[Path, Path]) -> None:
    a, b = (snapshot(folder) for folder in builds)
    assert sorted(a) == sorted(b)
    assert len(BUILD_TIME_LINE.findall(a["index.html"])) == 1
    for files in (a, b):
        files["index.html"] = BUILD_TIME_LINE.sub(b"", files["index.html"])
    differ = [name for name in sorted(a) if a[name] != b[name]]
    assert differ == []
    assert b"Built 2012-09-22 00:00:00 UTC" in snapshot(builds[1])["index.html"]


# --------------------------------------------------------------------------- atomicity


def test_failed_validation_keeps_the_previous_output(
    dist: Path, data_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(dist, out)
    before = snapshot(out)
    bad = data_copy / "graph" / "shared" / "zz-bad-event.ttl"
    bad.write_text(
        "@prefix okg: <https://w3id.org/osce-kg/ontology#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/osce-kg/id/event/bad> a okg:Meeting ;\n"
        '    schema:startDate "2012-09-21"^^xsd:date ; schema:endDate "2012-09-19"^^xsd:date .\n',
        encoding="utf-8",
    )
    proc = run_build(out, OSCE_KG_DATA=str(data_copy))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("validation failed:")
    assert "Traceback" not in proc.stderr
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".dist.*"))  # the temporary folder was removed

    forced = run_build(out, "--no-validate", OSCE_KG_DATA=str(data_copy))
    assert forced.returncode == 0, forced.stderr
    assert "not validated" in forced.stdout
    assert not (out / "validation").exists()
    assert "--no-validate" in (out / "index.html").read_text(encoding="utf-8")


def test_killed_build_keeps_the_previous_output(dist: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(dist, out)
    before = snapshot(out)
    proc = subprocess.Popen(
        [*osce_kg_exe(), "build", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_env(),
    )
    try:
        deadline = time.monotonic() + 120
        # Kill it once it has started writing into its temporary folder.
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = [p for p in tmp_path.glob(".dist.*.tmp") if any(p.rglob("*.*"))]
            if tmp:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the build ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before


# --------------------------------------------------------------------------- progress


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    piped = run_build(tmp_path / "piped", SOURCE_DATE_EPOCH=EPOCH)
    assert piped.returncode == 0
    assert piped.stderr == ""
    assert piped.stdout.startswith(f"built {tmp_path / 'piped'}/")

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*osce_kg_exe(), "build", "-o", str(tmp_path / "tty")],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=clean_env(TERM="xterm", COLUMNS="100"),
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build ended
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0
    assert b"Writing the dataset" in seen


def test_the_next_build_cleans_what_a_killed_one_left(dist: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(dist, out)
    litter = [tmp_path / ".dist.k1ll3d.tmp", tmp_path / ".dist.old"]
    for folder in litter:
        (folder / "queries").mkdir(parents=True)
        (folder / "queries" / "half.csv").write_text("half\n", encoding="utf-8")
    keep = tmp_path / ".other.k1ll3d.tmp"  # another output's: not this build's to remove
    keep.mkdir()
    result = run_build(out, "--no-validate")
    assert result.returncode == 0, result.stderr
    assert not any(folder.exists() for folder in litter)
    assert keep.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.k1ll3d.tmp", "dist"]


def test_a_folder_is_swapped_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system can exchange two paths, replacing a folder is that one
    step: the two renames (old away, new in) that a kill could separate are
    never made."""
    import osce_kg.atomic as atomic

    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old\n", encoding="utf-8")
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def watching(src: object, dst: object) -> None:
        renames.append((str(src), str(dst)))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "replace", watching)
    with atomic.atomic_directory(out) as tmp:
        (tmp / "new.txt").write_text("new\n", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    if sys.platform.startswith("linux"):
        assert renames == []  # renameat2(RENAME_EXCHANGE), not two renames


def test_two_builds_into_one_folder_at_once(dist: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    shutil.copytree(dist, out)
    procs = [
        subprocess.Popen(
            [*osce_kg_exe(), "build", "--no-validate", "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(SOURCE_DATE_EPOCH=EPOCH),
        )
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert (out / "dataset" / "osce-kg.trig").is_file()


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me\n", encoding="utf-8")
    proc = run_build(mine)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"-o {mine}: refusing to replace a folder")
    assert "Traceback" not in proc.stderr
    assert [p.name for p in mine.iterdir()] == ["todo.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


# --------------------------------------------------------------------------- blank nodes


def _dataset_with_a_shared_blank_node(folder: Path) -> object:
    """A source file stating a blank node, loaded as the build loads it: the
    inferred graph adds the node's super-type, so two graphs share it."""
    from osce_kg import namespaces as ns
    from osce_kg.build.dataset import BuiltDataset
    from osce_kg.layout import RdfFile

    folder.mkdir(parents=True, exist_ok=True)
    onto, facts = folder / "ontology.ttl", folder / "facts.ttl"
    prefix = "@prefix okg: <https://w3id.org/osce-kg/ontology#> .\n"
    prefix += "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    onto.write_text(prefix + "okg:Meeting rdfs:subClassOf okg:Event .\n", encoding="utf-8")
    facts.write_text(
        prefix + '[] a okg:Meeting ; rdfs:label "a meeting" ; '
        'okg:place [ rdfs:label "somewhere" ] .\n',
        encoding="utf-8",
    )
    return BuiltDataset.load(
        [
            RdfFile(onto, ns.ONTOLOGY_GRAPH),
            RdfFile(facts, "https://w3id.org/osce-kg/graph/source/x"),
        ]
    )


def test_a_blank_node_shared_by_two_graphs_stays_one_node(tmp_path: Path) -> None:
    from osce_kg.build.dataset import BuiltDataset, write_dataset

    built = _dataset_with_a_shared_blank_node(tmp_path / "data")
    assert isinstance(built, BuiltDataset)
    write_dataset(built, tmp_path / "a")
    trig = quads(tmp_path / "a" / "osce-kg.trig")
    labelled = {s for s, _p, o, _g in trig if o == '"a meeting"'}
    assert len(labelled) == 1 and next(iter(labelled)).startswith("_:")
    (event,) = labelled
    # The node the source describes is the one the inferred graph types.
    graphs = {g for s, _p, _o, g in trig if s == event}
    assert graphs == {
        "<https://w3id.org/osce-kg/graph/source/x>",
        "<https://w3id.org/osce-kg/graph/inferred>",
    }
    assert len({t for q in trig for t in q if t.startswith("_:")}) == 2  # event, place
    # Every file holds the same graph: two blank nodes, each one node throughout.
    import rdflib
    from rdflib.compare import isomorphic

    from osce_kg.loading import parse_file

    union = parse_file(tmp_path / "a" / "osce-kg.trig")  # the quads of every graph, in one
    assert len([t for t in union if any(isinstance(x, rdflib.BNode) for x in t)]) == 5
    assert len({t for triple in union for t in triple if isinstance(t, rdflib.BNode)}) == 2
    for suffix in (".ttl", ".nt", ".jsonld"):
        assert isomorphic(parse_file(tmp_path / "a" / f"osce-kg{suffix}"), union), suffix
    # Deterministic: parsed again, the blank nodes get the same labels, and the
    # bytes are the same (the labels come from the file, not a random generator).
    again = _dataset_with_a_shared_blank_node(tmp_path / "data")
    assert isinstance(again, BuiltDataset)
    write_dataset(again, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


# --------------------------------------------------------------------------- installation


def test_a_missing_package_is_one_line(tmp_path: Path) -> None:
    import sys

    code = (
        "import sys; sys.modules['networkx'] = None\n"  # as if networkx were not installed
        "from osce_kg.cli import main\n"
        f"main(['build', '-o', {str(tmp_path / 'out')!r}, '--no-validate'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=300
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "networkx" in proc.stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ the Linked Data site


def _site_document(iri: str) -> Path:
    return Path("site") / ("id/" + iri.split("#", 1)[0].removeprefix(ID_NS))


ID_NS = "https://w3id.org/osce-kg/id/"


def test_every_id_iri_has_a_page_and_three_descriptions(dist: Path) -> None:
    iris = {
        term[1:-1]
        for q in quads(dist / "dataset" / "osce-kg.trig")
        for term in (q[0], q[2])
        if term.startswith(f"<{ID_NS}")
    }
    assert len(iris) > 200
    for iri in iris:
        doc = dist / _site_document(iri)
        for suffix in (".html", ".ttl", ".jsonld", ".nt"):
            assert doc.with_name(doc.name + suffix).is_file(), (iri, suffix)


def test_each_description_is_the_graphs_statements_about_it(dist: Path) -> None:
    """Every description, in each of the three formats read by a strict parser,
    holds exactly the stated triples whose subject is the resource or one of its
    #fragment IRIs (the inferred graph is not the graph's statement)."""
    inferred = "<https://w3id.org/osce-kg/graph/inferred>"
    expected: dict[str, set[tuple[str, str, str]]] = {}
    for s, p, o, g in quads(dist / "dataset" / "osce-kg.trig"):
        if g != inferred and s.startswith(f"<{ID_NS}"):
            expected.setdefault(s[1:-1].split("#", 1)[0], set()).add((s, p, o))
    checked = 0
    for iri, triples in expected.items():
        doc = dist / _site_document(iri)
        for suffix in (".ttl", ".jsonld", ".nt"):
            found = {(s, p, o) for s, p, o, _ in quads(doc.with_name(doc.name + suffix))}
            assert found == triples, (iri, suffix)
        checked += 1
    assert checked > 200


def _links(page: Path) -> list[str]:
    import re

    return re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8"))


def test_every_link_of_the_site_resolves(dist: Path) -> None:
    import html
    import re

    site = dist / "site"
    anchors: dict[Path, set[str]] = {}
    # The pages the site makes; site/ontology/ is pyLODE's page, whose links to
    # other vocabularies are links, not requests.
    pages = sorted(p for p in site.rglob("*.html") if "ontology" not in p.parts)
    assert len(pages) > 200
    for page in pages:
        for link in _links(page):
            link = html.unescape(link)
            assert not link.startswith(("http:", "https:", "//")), (page, link)
            path, _, fragment = link.partition("#")
            target = (page.parent / path).resolve() if path else page.resolve()
            assert target.is_file(), (page, link)
            assert target.is_relative_to(site.resolve()), (page, link)  # publishable alone
            if fragment:
                if target not in anchors:
                    text = target.read_text(encoding="utf-8")
                    anchors[target] = set(re.findall(r'\bid="([^"]+)"', text))
                assert fragment in anchors[target], (page, link)


def test_a_persons_page_shows_the_passage_that_names_him(dist: Path) -> None:
    page = (dist / "site" / "id" / "person" / "knut-dreyer.html").read_text(encoding="utf-8")
    assert "<h1>Knut Dreyer</h1>" in page
    assert (
        "<mark>the Chairperson of the meeting Knut Dreyer, the Head of Strategic Police "
        "Matters Unit at the OSCE Secretariat</mark>"
    ) in page
    assert '<a href="../post/head-osce-strategic-police-matters-unit.html">' in page
    assert 'rel="alternate" type="text/turtle" href="knut-dreyer.ttl"' in page


def test_the_w3id_rules_negotiate_each_format(dist: Path) -> None:
    rules = (dist / "site" / "w3id.htaccess").read_text(encoding="utf-8")
    for media, suffix in (
        ("text/turtle", ".ttl"),
        ("application/ld\\+json", ".jsonld"),
        ("application/n-triples", ".nt"),
    ):
        assert f"RewriteCond %{{HTTP_ACCEPT}} {media}" in rules
        assert f"id/$1{suffix} [R=303,L]" in rules
    assert rules.rstrip().endswith("id/$1.html [R=303,L]")


def test_the_report_shows_each_answer_as_a_table_and_describes_the_downloads(
    dist: Path,
) -> None:
    import csv
    import io
    import re

    page = (dist / "index.html").read_text(encoding="utf-8")
    index = json.loads((dist / "queries" / "index.json").read_text(encoding="utf-8"))
    tabled = [e for e in index if any(f.endswith(".csv") for f in e.get("files", []))]
    assert page.count('<details class="answer"') == len(tabled) > 10
    speeches = page[page.index('id="answer-speeches"') :]
    speeches = speeches[: speeches.index("</details>")]
    rows = list(csv.reader(io.StringIO((dist / "queries" / "speeches.csv").read_text())))
    assert speeches.count("<tr>") == min(len(rows), 101)  # the header and the first 100 rows
    assert '<a href="site/id/person/knut-dreyer.html">id:person/knut-dreyer</a>' in speeches
    assert '<a href="queries/speeches.csv">speeches.csv</a>' in speeches
    downloads = page[page.index('<section id="downloads">') :]
    assert "Gephi, Gephi Lite" in downloads and "a spreadsheet" in downloads
    # Every link of the report leads to a file of the build.
    for link in re.findall(r'href="([^"#]+)', page):
        if not link.startswith(("http:", "https:", "data:")):
            assert (dist / link).is_file(), link


# --------------------------------------------------------------------------- pictures


def without_build_time(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: BUILD_TIME_LINE.sub(b"", v) if k == "index.html" else v for k, v in files.items()}


def test_closing_the_helper_while_a_stage_still_waits_for_it(tmp_path: Path) -> None:
    """What an interrupted build does: it closes the helper while the stage it left
    in its thread waits for a task.  The close raises nothing, the waiting stage
    ends with osce-kg's own error, and no later request starts a new helper."""
    import threading

    import networkx as nx

    from osce_kg.build.helper import Helper
    from osce_kg.errors import DataError

    helper = Helper()
    graph = nx.Graph()
    graph.add_node("a", label="A", kind="person")
    helper.draw(graph, [tmp_path / "a.svg"], title="t")
    proc = helper._proc
    assert proc is not None
    ended: list[BaseException] = []

    def stage() -> None:
        try:
            helper.wait(5)  # a task never asked for: waits until the helper ends
        except BaseException as exc:
            ended.append(exc)

    waiting = threading.Thread(target=stage, daemon=True)
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive()
    helper.close(failed=True)
    waiting.join(30)
    assert not waiting.is_alive()
    assert proc.returncode is not None  # the helper is gone
    assert len(ended) == 1 and isinstance(ended[0], DataError), ended
    with pytest.raises(DataError, match="helper was stopped"):
        helper.draw(graph, [tmp_path / "b.svg"], title="t")
    assert helper._proc is None


def test_an_interrupted_build_says_so_in_one_line(tmp_path: Path) -> None:
    """Ctrl-C at any moment of a build: "interrupted", exit 130 (or the build had
    finished), never a trace or an internal error; the previous output stays."""
    import signal
    import time

    out = tmp_path / "dist"
    assert run_build(out).returncode == 0
    before = snapshot(out)
    for delay in (0.4, 1.0, 1.6, 2.2, 2.8):
        proc = subprocess.Popen(
            [*osce_kg_exe(), "build", "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(),
            # A shell starts background jobs with Ctrl-C ignored; this one hears it.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=300)
        assert "Traceback" not in err and "internal error" not in err, (delay, err)
        if proc.returncode == 130:
            assert err.strip().splitlines()[-1] == "interrupted", (delay, err)
        else:  # it had finished, or ended on the signal as it was exiting
            assert proc.returncode in (0, -signal.SIGINT), (delay, proc.returncode, err)
        # The previous output, or the finished build's: the same bytes but for the
        # report's build-time line; and nothing half-written beside it.
        assert without_build_time(snapshot(out)) == without_build_time(before), delay
        assert [p.name for p in tmp_path.iterdir()] == ["dist"], delay


def test_pictures_drawn_in_the_worker_are_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build draws in a second process (osce_kg.build.helper): the same bytes
    as drawing in this one; a drawing that fails is one line, of osce-kg's own error
    class where it raised one."""
    import networkx as nx

    from osce_kg.atomic import OutputError
    from osce_kg.build.helper import Helper
    from osce_kg.errors import DataError
    from osce_kg.network.draw import draw_networks

    # No memo (the cache folder is a file): both processes draw.
    (tmp_path / "no-cache").write_text("", encoding="utf-8")
    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "no-cache"))
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A", kind="person")
    graph.add_node("b", label="B", kind="event")
    graph.add_edge("a", "b", relation="spoke at")
    here = [tmp_path / "here.png", tmp_path / "here.svg"]
    there = [tmp_path / "there.png", tmp_path / "there.svg"]
    draw_networks(graph, here, title="t")
    helper = Helper()
    helper.draw(graph, there, title="t")
    helper.wait()
    for mine, theirs in zip(here, there, strict=True):
        assert mine.read_bytes() == theirs.read_bytes()

    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    broken = Helper()
    broken.draw(graph, [tmp_path / "a-file" / "x.png"], title="t")
    with pytest.raises(OutputError, match="a-file is not a folder") as failed:
        broken.wait()  # osce-kg's own error, of its own class (and exit code)
    assert "\n" not in str(failed.value)
    crashed = Helper()
    crashed.draw(None, [tmp_path / "none.png"], title="t")
    with pytest.raises(DataError, match=r"^the build's helper failed: .*Error") as failed:
        crashed.wait()  # anything else: the trace's last line
    assert "\n" not in str(failed.value)


def test_a_construct_answer_is_the_same_turtle_in_every_process() -> None:
    """The build writes a CONSTRUCT answer's Turtle (queries/event-subgraph.ttl) with
    the project's prefixes: without them rdflib names the namespaces ns1, ns2 … in
    the order the store returns triples, which differs from one process to the next."""
    code = (
        "from osce_kg import catalogue, queries; from osce_kg.build.dataset import turtle; "
        "from osce_kg.store import OxigraphStore; q = catalogue.find_query('event-subgraph'); "
        "print(turtle(OxigraphStore.open().construct(q.text, queries.bind_values(q, {}))))"
    )
    answers = set()
    for _ in range(8):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(),
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        answers.add(done.stdout)
    (answer,) = answers
    assert "@prefix okg: <https://w3id.org/osce-kg/ontology#>" in answer and "ns1:" not in answer


def test_what_a_helper_task_prints_is_not_taken_for_a_task_number(tmp_path: Path) -> None:
    """The helper's protocol (the number of each finished task, on its standard output)
    is apart from what a task prints: pyLODE prints, and a printed "7" must not
    read as task 7."""
    import pickle

    for number in (0, 1):
        job = tmp_path / f"{number}.pickle"
        job.write_bytes(pickle.dumps(("print", ("7",), {})))
    code = (
        "import osce_kg.build.helper as h; h.TASKS['print'] = 'builtins:print'; "
        "from osce_kg.commands.helper import serve; serve()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input="".join(f"{tmp_path / f'{n}.pickle'}\n" for n in (0, 1)),
        capture_output=True, text=True, env=clean_env(), timeout=120, check=True,
    )  # fmt: skip
    assert done.stdout == "0\n1\n"
    assert done.stderr == "7\n7\n"


# --------------------------------------------------------------------------- pyLODE


def _ontology() -> object:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(
        data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/o> a owl:Ontology ; rdfs:label "An ontology" .
        <https://example.org/o#Thing> a owl:Class ; rdfs:label "Thing" .
        """,
        format="turtle",
    )
    return graph


def test_pylode_s_background_ontologies_are_made_whole_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyLODE keeps its background ontologies as a pickle written in place inside
    its own package: a first run killed (Ctrl-C during a first build) left it
    truncated and every later page failed with EOFError.  osce-kg makes it in the
    cache folder, whole, ignores what a killed maker left, and makes it again if
    it is damaged; without a cache folder it works all the same."""
    import os

    from osce_kg.build.ontology_docs import _make_html

    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "cache" / "pylode"
    root.mkdir(parents=True)
    killed = root / ".made-x1"  # a maker killed half-way: a process long gone
    killed.mkdir()
    (killed / ".owner-pid").write_text(str(2**22 + 12345), encoding="ascii")
    (killed / "refs.pickle").write_bytes(b"\x80\x04")
    page = _make_html(_ontology())
    assert "An ontology" in page
    [folder] = [p for p in root.iterdir()]
    assert folder.name.startswith("pylode-") and (folder / "refs.pickle").stat().st_size > 1000
    (folder / "refs.pickle").write_bytes(b"\x80\x04")  # damaged since
    assert _make_html(_ontology()) == page
    assert (folder / "refs.pickle").stat().st_size > 1000
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "a-file"))  # no cache folder
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert _make_html(_ontology()) == page
    assert os.listdir(tmp_path / "tmp") == []  # its own folder, removed
