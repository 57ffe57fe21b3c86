"""``osce-kg query``: output formats, bad input and injection payloads."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import osce
from osce_kg.catalogue import find_query
from osce_kg.queries import StoredQuery, bind_values, parse_sparql
from osce_kg.sparql_bind import bind
from osce_kg.store import RdflibStore

ID = "https://w3id.org/osce-kg/id/"
MEETING = ID + "event/2012-annual-police-experts-meeting"


def assert_usage_error(code: int, err: str, pattern: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert re.search(pattern, err), err


@pytest.fixture(scope="module")
def store() -> RdflibStore:
    return RdflibStore.default()


# --------------------------------------------------------------------------- list / show


def test_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = osce(capsys, "query", "list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by_name = {r["name"]: r for r in rows}
    assert len(rows) >= 15
    assert by_name["statements-by-person"]["parameters"] == "person:iri"
    assert by_name["event-outcomes"]["parameters"] == "event?:iri"
    assert by_name["organisation-tree"]["kind"] == "CONSTRUCT"
    code, out, _ = osce(capsys, "query", "list", "--all", "--format", "csv")
    assert any(r["name"].startswith("checks/") for r in csv.DictReader(io.StringIO(out)))
    code, out, _ = osce(capsys, "query", "show", "statements-by-person")
    assert code == 0
    assert "parameter:   person — iri, required, ?_person_iri" in out
    assert "SELECT ?statement" in out


# --------------------------------------------------------------------------- formats


def test_json_is_w3c_sparql_results(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = osce(capsys, "query", "run", "speeches", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["head"]["vars"][:3] == ["speech", "speaker", "speakerLabel"]
    rows = doc["results"]["bindings"]
    assert len(rows) == 5
    solieva = [r for r in rows if r["speaker"]["value"].endswith("zumrad-solieva")]
    assert solieva[0]["speaker"]["type"] == "uri"
    assert solieva[0]["speakerLabel"] == {
        "type": "literal",
        "value": "Zumrad Solieva",
        "xml:lang": "en",
    }
    assert "eventStart" not in solieva[0]  # unbound variables are left out of a binding
    dated = next(r for r in rows if "eventStart" in r)["eventStart"]
    assert dated == {
        "type": "literal",
        "value": "2012-09-19",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }


def test_csv_and_tsv_follow_the_w3c_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = osce(capsys, "query", "run", "agreements", "--format", "csv")
    assert code == 0
    assert out.startswith("agreement,agreementLabel,party,partyLabel,ratified,inForce\r\n")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 3
    assert rows[1][0] == ID + "agreement/tajikistan-osce-mou-police-reform"
    assert {r[4] for r in rows[1:]} == {"2012-02"}  # CSV: the lexical form only
    code, out, _ = osce(capsys, "query", "run", "agreements", "--format", "sparql-tsv")
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == "?agreement\t?agreementLabel\t?party\t?partyLabel\t?ratified\t?inForce"
    cells = lines[1].split("\t")
    assert cells[0] == f"<{ID}agreement/tajikistan-osce-mou-police-reform>"
    assert cells[1].startswith('"Memorandum of Understanding') and cells[1].endswith('"@en')
    assert cells[4] == '"2012-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'


def test_table_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = osce(capsys, "query", "run", "field-operations")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["operation", "operationLabel", "place", "placeLabel", "placeKind"]
    assert len(lines) == 2 + 16
    assert any(line.startswith("id:organization/osce-mission-in-kosovo") for line in lines)
    code, out, _ = osce(capsys, "query", "run", "field-operations", "--format", "markdown")
    lines = out.splitlines()
    assert lines[0] == "| operation | operationLabel | place | placeLabel | placeKind |"
    assert lines[1] == "|---|---|---|---|---|"
    assert len(lines) == 2 + 16


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")]
)
def test_construct_formats(
    capsys: pytest.CaptureFixture[str], store: RdflibStore, fmt: str, rdflib_format: str
) -> None:
    code, out, _ = osce(capsys, "query", "run", "organisation-tree", "--format", fmt)
    assert code == 0
    parsed = rdflib.Graph().parse(data=out, format=rdflib_format)
    assert isomorphic(parsed, store.construct(find_query("organisation-tree").text))
    assert len(parsed) > 50


def test_output_file_is_written_atomically(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out.srj"
    code, out, _ = osce(capsys, "query", "run", "agreements", "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text("utf-8"))["results"]["bindings"]) == 2
    before = target.read_bytes()
    # A failing run leaves the previous file whole and no temporary files behind.
    code, _, _ = osce(capsys, "query", "run", "provenance", "-o", str(target))
    assert code == 2
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.srj"]


def test_format_must_fit_the_query_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = osce(capsys, "query", "run", "speeches", "--format", "turtle")
    assert_usage_error(code, err, "a SELECT query gives rows; use one of table, csv")
    code, _, err = osce(capsys, "query", "run", "organisation-tree", "--format", "csv")
    assert_usage_error(code, err, "a CONSTRUCT query gives a graph; use one of turtle")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["run", "speaches"], r"unknown query 'speaches'; did you mean speeches"),
        (["show", "timelin"], r"did you mean timeline"),
        (["run", "provenance"], r"missing required parameter 'resource'"),
        (["run", "speeches", "-p", "who=x"], r"speeches: unknown parameter 'who'"),
        (["run", "provenance", "-p", "resource=http://x/a b"], r"parameter resource: .*IRI"),
        (["run", "provenance", "-p", "resource"], r"expected NAME=VALUE"),
        (["run", "speeches", "--store", "bogus"], r"--store: unknown store 'bogus'"),
        (["run", "speeches", "--endpoint", "ftp://x/"], r"not an http:// or https:// URL"),
        (
            ["run", "speeches", "--endpoint", "http://u:secret@127.0.0.1:1/q"],
            r"do not put credentials in the URL",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], pattern: str
) -> None:
    code, _, err = osce(capsys, "query", *args)
    assert_usage_error(code, err, pattern)
    assert "secret" not in err


def test_ill_typed_parameter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    q = tmp_path / "dated.rq"
    q.write_text(
        "PREFIX schema: <http://schema.org/>\n"
        "SELECT ?e WHERE { ?e schema:startDate ?_day_xsd_date }\n",
        encoding="utf-8",
    )
    code, out, _ = osce(
        capsys, "query", "sparql", str(q), "-p", "day=2012-09-19", "--format", "csv"
    )
    assert code == 0 and out.splitlines()[1:] == [MEETING]
    code, _, err = osce(capsys, "query", "sparql", str(q), "-p", "day=19 September 2012")
    assert_usage_error(code, err, r"parameter day: '19 September 2012' is not a valid xsd:date")


def test_adhoc_syntax_error_has_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    q = tmp_path / "broken.rq"
    q.write_text(
        "PREFIX okg: <https://w3id.org/osce-kg/ontology#>\n"
        "SELECT ?s WHERE {\n  ?s a okg:Person .\n  FILTER(?s = )\n}\n",
        encoding="utf-8",
    )
    code, _, err = osce(capsys, "query", "sparql", str(q))
    assert_usage_error(code, err, rf"^{re.escape(str(q))}:4:\d+: SPARQL syntax error")
    code, _, err = osce(capsys, "query", "sparql", str(tmp_path / "missing.rq"))
    assert_usage_error(code, err, r"missing.rq: no such file")


def test_adhoc_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(
            "PREFIX okg: <https://w3id.org/osce-kg/ontology#>\n"
            "SELECT (COUNT(?p) AS ?n) WHERE { ?p a okg:Person }"
        ),
    )
    code, out, _ = osce(capsys, "query", "sparql", "-", "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "4"]


# --------------------------------------------------------------------------- injection

PAYLOADS = [
    '" } ; DROP ALL ; #',
    "<x> } UNION { ?s ?p ?o",
    '"" } UNION { ?s ?p ?o } #',
    "line one\nline two\r\n} # not a comment",
    "Ünïcødé ☃ 𝄞 \u2028 «guillemets» “curly” 'single'",
    "\\u0022 } ; DROP ALL ; #",
    '""" } UNION { ?s ?p ?o } """',
    "''' } ''' trailing backslash \\",
    "tab\there",
]

ECHO = """#+ summary: echo a parameter back
SELECT ?v WHERE { BIND(?_v AS ?v) }
"""

LABELLED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s WHERE { ?s rdfs:label ?_label_en }
"""


def _shape(text: str) -> str:
    """The parse tree of a query with every literal's value blanked out."""

    def blank(node: Any) -> Any:
        if isinstance(node, rdflib.Literal):
            return rdflib.Literal("…", lang=node.language, datatype=node.datatype)
        if isinstance(node, dict):
            return {k: blank(v) for k, v in node.items()}
        if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            return [blank(v) for v in node]
        return node

    return repr(blank(parse_sparql(text, "bound")))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_cannot_change_the_query_shape(payload: str) -> None:
    q = StoredQuery.from_text(LABELLED, "labelled")
    harmless = bind(q.text, bind_values(q, {"label": "Vienna"}))
    bound = bind(q.text, bind_values(q, {"label": payload}))
    assert _shape(bound) == _shape(harmless)


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_payloads_come_back_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, backend: str
) -> None:
    echo = tmp_path / "echo.rq"
    echo.write_text(ECHO, encoding="utf-8")
    labelled = tmp_path / "labelled.rq"
    labelled.write_text(LABELLED, encoding="utf-8")
    for payload in PAYLOADS:
        code, out, err = osce(
            capsys,
            "query",
            "sparql",
            str(echo),
            "-p",
            f"v={payload}",
            "--format",
            "json",
            "--store",
            backend,
        )
        assert code == 0, err
        rows = json.loads(out)["results"]["bindings"]
        assert rows == [{"v": {"type": "literal", "value": payload}}]
        code, out, err = osce(
            capsys,
            "query",
            "sparql",
            str(labelled),
            "-p",
            f"label={payload}",
            "--format",
            "json",
            "--store",
            backend,
        )
        assert code == 0, err
        assert json.loads(out)["results"]["bindings"] == []
    # The same query finds what it should with a real label.
    code, out, _ = osce(
        capsys,
        "query",
        "sparql",
        str(labelled),
        "-p",
        "label=Knut Dreyer",
        "--format",
        "csv",
        "--store",
        backend,
    )
    assert out.splitlines()[1:] == [ID + "person/knut-dreyer"]


@pytest.mark.parametrize(
    "payload",
    ["http://x/> } UNION { ?s ?p ?o } #", "http://x/\nDROP", 'http://x/"', "javascript alert(1)"],
)
def test_iri_payloads_are_refused(capsys: pytest.CaptureFixture[str], payload: str) -> None:
    code, _, err = osce(capsys, "query", "run", "provenance", "-p", f"resource={payload}")
    assert_usage_error(code, err, r"parameter resource: ")


@pytest.mark.parametrize(
    "term",
    [
        rdflib.URIRef("https://w3id.org/osce-kg/id/person/knut-dreyer"),
        rdflib.BNode("b0"),
        rdflib.Literal("Душанбе", lang="tg"),
        rdflib.Literal("2012-09-20", datatype=rdflib.XSD.date),
        rdflib.Literal('plain "quoted"\nline'),
        rdflib.Literal("-1", datatype=rdflib.XSD.nonNegativeInteger),
    ],
    ids=["iri", "bnode", "lang", "date", "plain", "ill-typed"],
)
def test_json_terms_round_trip(term: rdflib.term.Identifier) -> None:
    from osce_kg.sparql_results import term_from_json, term_json

    back = term_from_json(json.loads(json.dumps(term_json(term))))
    assert back == term and type(back) is type(term)


def test_json_terms_read_xsd_string_plain_and_sparql_1_0_typed_literals() -> None:
    from osce_kg.sparql_results import term_from_json

    xsd_string = {"type": "literal", "value": "x", "datatype": str(rdflib.XSD.string)}
    assert term_from_json(xsd_string) == rdflib.Literal("x")
    old = {"type": "typed-literal", "value": "5", "datatype": str(rdflib.XSD.integer)}
    assert term_from_json(old) == rdflib.Literal(5)
    assert term_from_json(None) is None
    with pytest.raises(ValueError, match="not a SPARQL JSON term"):
        term_from_json({"type": "triple", "value": "x"})
    with pytest.raises(ValueError, match="not a SPARQL JSON term"):  # a damaged cache entry
        term_from_json("https://w3id.org/osce-kg/id/person/knut-dreyer")  # type: ignore[arg-type]
