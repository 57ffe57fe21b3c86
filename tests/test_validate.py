"""``osce-kg validate`` end to end: exit codes, inputs, and where a report points.

The CLI is run in-process through :func:`osce_kg.cli.main` (as the console
script runs it), so exit codes and stderr are the user's.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from osce_kg.cli import main
from osce_kg.layout import DataLayout

SLUG = "2012-09-22-osce-annual-police-experts-meeting"
ID = "https://w3id.org/osce-kg/id/"
MEETING = f"{ID}event/2012-annual-police-experts-meeting"
# The article's first sentence about the meeting (read from the source text).
# The first passage (by offset) that names the meeting: the article's title.
MEETING_PASSAGE = "Annual Police Experts meeting of the OSCE member countries"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ontology/ shapes/ graph/ queries/, used through OSCE_KG_DATA."""
    root = tmp_path / "data"
    for name in ("ontology", "shapes", "graph", "queries"):
        shutil.copytree(DataLayout.default().root / name, root / name)
    monkeypatch.setenv("OSCE_KG_DATA", str(root))
    return root


def line_starting(path: Path, prefix: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"no line of {path} starts with {prefix}")


def test_shipped_graph_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate"], capsys)
    assert code == 0, out + err
    assert "conforms: 0 violations" in out


def test_injected_violation_names_file_line_and_passage(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = data_copy / "graph" / "sources" / SLUG / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    good = 'schema:endDate "2012-09-21"^^xsd:date'
    assert text.count(good) == 1
    facts.write_text(text.replace(good, 'schema:endDate "2012-09-18"^^xsd:date'), encoding="utf-8")
    line = line_starting(facts, f"<{MEETING}> a ")

    code, out, err = run(["validate"], capsys)
    assert code == 1
    assert "validation failed" in err
    block = next(b for b in out.split("\n\n") if "check:event-end-before-start" in b)
    assert block.startswith(f"{facts}:{line}: Violation: The event ends (2012-09-18)")
    assert "id:event/2012-annual-police-experts-meeting" in block
    assert "schema:endDate" in block
    flat = " ".join(block.split())
    assert f"“{MEETING_PASSAGE}”" in flat


def test_injected_shape_violation_in_json(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    persons = data_copy / "graph" / "shared" / "persons.ttl"
    person = f"{ID}person/knut-dreyer"
    text = persons.read_text(encoding="utf-8")
    persons.write_text(
        text + f"\n<{person}> okg:rank <{ID}topic/cyber-crime> .\n", encoding="utf-8"
    )
    code, out, _ = run(["validate", "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
    assert report["conforms"] is False
    [result] = report["results"]
    assert result["source"] == "okgsh:PersonShape"
    assert result["path"] == "https://w3id.org/osce-kg/ontology#rank"
    assert result["value"] == f"{ID}topic/cyber-crime"
    assert result["file"] == str(persons)
    assert result["line"] == line_starting(persons, f"<{person}> a ")
    # Knut Dreyer is first named as the chairperson of the meeting.
    assert "Knut Dreyer" in result["passage"]


def test_undocumented_ontology_term(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ontology = data_copy / "ontology" / "osce-kg.ttl"
    text = ontology.read_text(encoding="utf-8")
    definition = '    skos:definition "A city or town."@en .'
    assert definition in text
    ontology.write_text(text.replace(definition, "    ."), encoding="utf-8")
    code, out, _ = run(["validate", "--format", "json"], capsys)
    assert code == 1
    results = json.loads(out)["results"]
    assert [(r["source"], r["focus"]) for r in results] == [
        ("check:ontology-term-definition", "https://w3id.org/osce-kg/ontology#City")
    ]
    assert results[0]["file"] == str(ontology)
    assert results[0]["line"] == line_starting(ontology, "okg:City a owl:Class")


def test_user_file_may_refer_to_shipped_entities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    addition = tmp_path / "addition.ttl"
    addition.write_text(
        f"""@prefix okg: <https://w3id.org/osce-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}person/jane-doe> a okg:Person ;
    rdfs:label "Jane Doe"@en .
<{MEETING}> okg:participant <{ID}person/jane-doe> .
""",
        encoding="utf-8",
    )
    code, out, err = run(["validate", str(addition)], capsys)
    assert code == 0, out + err
    # Without the shipped graph the meeting is unknown, so the participant link is not checked
    # against it, but the file alone is still valid.
    code, out, err = run(["validate", "--no-graph", str(addition)], capsys)
    assert code == 0, out + err


def test_user_file_violation_points_into_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    addition = tmp_path / "addition.ttl"
    addition.write_text(
        f"""@prefix okg: <https://w3id.org/osce-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{ID}speech/jane-doe-2012> a okg:Speech ;
    rdfs:label "Speech of Jane Doe"@en ;
    okg:deliveredAt <{MEETING}> .
""",
        encoding="utf-8",
    )
    code, out, _ = run(["validate", "--format", "json", str(addition)], capsys)
    assert code == 1
    results = json.loads(out)["results"]
    reasons = {(r["source"], r["path"], r["file"], r["line"]) for r in results}
    assert (
        "okgsh:SpeechShape",
        "https://w3id.org/osce-kg/ontology#speaker",
        str(addition),
        4,
    ) in reasons
    assert (
        "okgsh:ProvenanceShape",
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        str(addition),
        4,
    ) in reasons


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "addition.nt",
            f"<{ID}person/jane-doe> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            f"<https://w3id.org/osce-kg/ontology#Person> .\n",
        ),
        (
            "addition.jsonld",
            json.dumps(
                {"@id": f"{ID}person/jane-doe", "@type": "https://w3id.org/osce-kg/ontology#Person"}
            ),
        ),
        (
            "addition.trig",
            f"<urn:example:g> {{ <{ID}person/jane-doe> a "
            "<https://w3id.org/osce-kg/ontology#Person> . }\n",
        ),
    ],
)
def test_other_rdf_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    # A person without a label, in each format: the label shape must see it (so the triples
    # were read, named graphs included) and point at the file.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(["validate", "--no-graph", "--format", "json", str(path)], capsys)
    assert code == 1
    results = json.loads(out)["results"]
    assert {(r["source"], r["path"]) for r in results} == {
        ("okgsh:LabelShape", "http://www.w3.org/2000/01/rdf-schema#label")
    }
    assert {(r["file"], r["line"]) for r in results} == {(str(path), 1)}


def test_folder_argument_reads_the_rdf_files_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not RDF", encoding="utf-8")
    (tmp_path / "a.ttl").write_text(
        f"<{ID}person/jane-doe> a <https://w3id.org/osce-kg/ontology#Person> .\n", encoding="utf-8"
    )
    code, out, _ = run(["validate", "--no-graph", "--format", "json", str(tmp_path)], capsys)
    assert code == 1
    assert {r["file"] for r in json.loads(out)["results"]} == {str(tmp_path / "a.ttl")}


def test_fail_on_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = tmp_path / "unit.ttl"
    unit.write_text(
        f"""@prefix okg: <https://w3id.org/osce-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}organization/example-unit> a okg:OrganizationalUnit ; rdfs:label "Unit"@en .
""",
        encoding="utf-8",
    )
    code, out, _ = run(["validate", "--no-graph", str(unit)], capsys)
    assert code == 0
    assert "Warning: An organisational unit should name" in out
    code, _, err = run(["validate", "--no-graph", "--fail-on", "warning", str(unit)], capsys)
    assert code == 1
    assert "at or above warning" in err


def test_malformed_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\nex:e ex:f\n",
        encoding="utf-8",
    )
    code, out, err = run(["validate", str(bad)], capsys)
    assert code == 2
    assert out == ""
    assert re.fullmatch(rf"{re.escape(str(bad))}:\d+:\d+: .+\n", err)
    assert "Traceback" not in err


def test_rdflib_lenient_syntax_is_still_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An IRI with a space: rdflib accepts it, the Turtle grammar does not.
    bad = tmp_path / "space.ttl"
    bad.write_text("<http://example.org/a b> <http://example.org/p> 1 .\n", encoding="utf-8")
    code, _, err = run(["validate", str(bad)], capsys)
    assert code == 2
    assert err.startswith(f"{bad}:1:")


def test_missing_file_and_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.ttl"
    code, _, err = run(["validate", str(missing)], capsys)
    assert (code, err) == (2, f"{missing}: no such file\n")
    code, _, err = run(["validate", "--format", "xml"], capsys)
    assert code == 2 and "'xml' is not one of" in err
    code, _, err = run(["validate", "--fail-on", "sometimes"], capsys)
    assert code == 2 and "--fail-on" in err
    unknown = tmp_path / "data.csv"
    unknown.write_text("a,b\n", encoding="utf-8")
    code, _, err = run(["validate", str(unknown)], capsys)
    assert code == 2 and err.startswith(f"{unknown}: unknown RDF file type")


def test_output_file_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report" / "osce-kg.json"
    code, out, _ = run(["validate", "--format", "json", "-o", str(target)], capsys)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["conforms"] is True


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", "--help"], capsys)
    assert code == 0
    for line in ("0  the data conforms", "1  results at or above --fail-on", "2  cannot run"):
        assert line in out
    assert "Example:" in out


def test_pre_commit_hook_and_workflow_run_validate() -> None:
    import yaml

    root = Path(__file__).resolve().parents[1]
    [hook] = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "osce-kg-validate"
    assert hook["entry"] == "osce-kg validate"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert all(pattern.search(n) for n in ("a.ttl", "dir/b.nt", "c.jsonld", "d.trig"))
    assert not pattern.search("notes.md")
    workflow = yaml.safe_load(
        (root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    )
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "osce-kg validate --format github" in steps
    assert any("pytest" in s or "make test" in s for s in steps)


CHECK_SELECT = (
    "SELECT ?focus ?path ?value ?message WHERE { ?focus ?path ?value BIND('' AS ?message) }"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"#+ summary: [unclosed\n{CHECK_SELECT}\n",
            r"-violation\.rq:\d+: not a usable check: bad",
        ),
        (f"#+ - a list\n{CHECK_SELECT}\n", r"-violation\.rq:1: not a usable check: .*mapping"),
        (f"#+ severity: fatal\n{CHECK_SELECT}\n", r"-violation\.rq: not a usable check: unknown"),
        ("SELECT ?focus WHERE { ?focus ?p }\n", r"-violation\.rq: not a usable check: "),
        ("SELECT ?focus ?path ?value WHERE { ?focus ?path ?value }\n", r"missing \?message"),
        ("ASK { ?s ?p ?o }\n", r"missing \?focus"),
        (f"#+ per-term: term\n{CHECK_SELECT}\n", r"per-term must name one of its variables"),
        (f"#+ per-term: [value]\n{CHECK_SELECT}\n", r"per-term must name one of its variables"),
    ],
)
def test_an_unusable_check_is_named(tmp_path: Path, text: str, expected: str) -> None:
    from osce_kg.errors import DataError
    from osce_kg.validation.checks import load_check

    path = tmp_path / "broken-violation.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=expected) as info:
        load_check(path)
    assert str(info.value).startswith(str(path))


def test_a_check_is_read_without_rdflib_until_the_incremental_run_needs_it(
    tmp_path: Path,
) -> None:
    import pyoxigraph

    from osce_kg.validation import Severity
    from osce_kg.validation.checks import check_predicates, load_check
    from osce_kg.validation.run import run_checks

    path = tmp_path / "any-triple-violation.rq"
    path.write_text(
        f"#+ summary: Any triple\n#+ severity: warning\n#+ description: >\n#+   Every\n#+   one.\n"
        f"{CHECK_SELECT}\n",
        encoding="utf-8",
    )
    check = load_check(path)
    assert (check.name, check.rule.id, check.rule.title) == (
        "any-triple",
        "check:any-triple",
        "Any triple",
    )
    assert (check.rule.severity, check.rule.description) == (Severity.WARNING, "Every one.")
    assert "query" not in vars(check)  # rdflib has not parsed it
    store = pyoxigraph.Store()
    s, p = pyoxigraph.NamedNode("urn:x:s"), pyoxigraph.NamedNode("urn:x:p")
    store.add(pyoxigraph.Quad(s, p, pyoxigraph.Literal("o"), pyoxigraph.NamedNode("urn:x:g")))
    [result] = run_checks(store, [check])
    assert "query" not in vars(check)  # running it needs no rdflib either
    assert check_predicates(check) is None  # ?path is a variable: any triple may matter
    assert (str(result.focus), result.rule, result.severity) == (
        "urn:x:s",
        "check:any-triple",
        Severity.WARNING,
    )
    assert check.query is check.query  # parsed once


def test_report_paths_are_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the working directory as written or through a symbolic link: relative;
    elsewhere: as given."""
    from osce_kg.validation.locate import display_path, display_paths

    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    (work / "graph").mkdir(parents=True)
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(work / "graph", target_is_directory=True)
    monkeypatch.chdir(work)
    paths = [
        work / "graph" / "a.ttl",
        Path("graph/b.ttl"),
        tmp_path / "link" / "c.ttl",
        elsewhere / "d.ttl",
    ]
    (elsewhere / "sub").mkdir()
    (work / "out").symlink_to(elsewhere / "sub", target_is_directory=True)
    paths += [
        work / "graph" / ".." / ".." / "elsewhere" / "e.ttl",  # outside, written from inside
        work / "out" / ".." / "f.ttl",  # out/.. is elsewhere/, not work/
        Path("graph/../graph/g.ttl"),
    ]
    assert display_paths(paths) == [
        "graph/a.ttl",
        "graph/b.ttl",
        "graph/c.ttl",
        str(elsewhere / "d.ttl"),
        str(work / "graph" / ".." / ".." / "elsewhere" / "e.ttl"),
        str(work / "out" / ".." / "f.ttl"),
        "graph/g.ttl",
    ]
    assert [display_path(p) for p in paths] == display_paths(paths)
