"""Outputs follow the conventions their readers expect: the suffix of ``-o``
chooses the format, TSV is a plain table for spreadsheets and pandas, tables fit
the terminal, ``query sparql`` knows the project's prefixes, ``stats`` says what
it counts."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, clean_env, osce_kg_exe


def run(*argv: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*osce_kg_exe(), *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(),
        timeout=300,
    )
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize(
    ("argv", "name", "check"),
    [
        (["query", "run", "speeches"], "rows.csv", "csv"),
        (["query", "run", "speeches"], "rows.json", "sparql-json"),
        (["query", "run", "speeches"], "rows.srj", "sparql-json"),
        (["query", "run", "speeches"], "rows.md", "markdown"),
        (["query", "run", "organisation-tree"], "tree.ttl", "turtle"),
        (["query", "run", "organisation-tree"], "tree.nt", "nt"),
        (["query", "run", "organisation-tree"], "tree.jsonld", "jsonld"),
        (["stats"], "stats.csv", "csv"),
        (["stats"], "stats.json", "json"),
        (["network", "analyze", "speaker-event", "--section", "nodes"], "nodes.csv", "csv"),
        (["validate"], "report.sarif", "sarif"),
        (["validate"], "report.json", "json"),
        (["network", "export", "speaker-event"], "net.gexf", "gexf"),
        (["network", "export", "speaker-event"], "net.graphml", "graphml"),
    ],
)
def test_the_suffix_chooses_the_format(
    tmp_path: Path, argv: list[str], name: str, check: str
) -> None:
    out = tmp_path / name
    result = run(*argv, "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    if check == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) > 1 and len({len(r) for r in rows}) == 1
        assert not text.startswith("section  ")  # not the fixed-width table
    elif check == "sparql-json":
        assert "bindings" in json.loads(text)["results"]
    elif check == "json":
        json.loads(text)
    elif check == "markdown":
        assert text.startswith("| speech |")
    elif check == "sarif":
        assert json.loads(text)["version"] == "2.1.0"
    elif check in ("turtle", "nt", "jsonld"):
        from osce_kg.loading import parse_file

        assert len(parse_file(out)) > 10
    elif check == "gexf":
        assert "<gexf" in text
    elif check == "graphml":
        assert "<graphml" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "run", "speeches", "--format", "table", "-o", "x.csv"],
        ["stats", "--format", "table", "-o", "x.json"],
        ["validate", "--format", "text", "-o", "x.sarif"],
        ["network", "export", "speaker-event", "--format", "graphml", "-o", "x.gexf"],
    ],
)
def test_a_format_the_suffix_contradicts_is_refused(tmp_path: Path, argv: list[str]) -> None:
    result = run(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "disagree" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_select_into_a_graph_file_is_refused(tmp_path: Path) -> None:
    result = run("query", "run", "speeches", "-o", "x.ttl", cwd=tmp_path)
    assert result.returncode == 2 and "gives rows" in result.stderr


def test_a_folder_export_needs_its_format(tmp_path: Path) -> None:
    result = run("network", "export", "speaker-event", "-o", "folder", cwd=tmp_path)
    assert result.returncode == 2 and "give --format" in result.stderr
    result = run(
        "network", "export", "speaker-event", "--format", "csv", "-o", "folder", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "folder" / "nodes.csv").is_file()


def test_tsv_is_a_plain_table_pandas_reads() -> None:
    result = run("query", "run", "speeches", "--format", "tsv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert "speech" in rows[0] and "?speech" not in rows[0]
    labels = {r["speakerLabel"] for r in rows}
    assert "Zumrad Solieva" in labels  # not "Zumrad Solieva"@en
    assert all(r["speech"].startswith("https://") for r in rows)  # not <https://…>
    sparql = run("query", "run", "speeches", "--format", "sparql-tsv")
    assert sparql.stdout.startswith("?speech\t")
    assert "<https://w3id.org/osce-kg/id/" in sparql.stdout


def _in_terminal(argv: list[str], columns: int) -> str:
    """What ``argv`` prints to a terminal ``columns`` wide (a pseudo-terminal)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, its standard output the terminal
        env = clean_env(COLUMNS=str(columns), LINES="50")
        os.execve(osce_kg_exe()[0], [*osce_kg_exe(), *argv], env)
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(len(osce_kg_exe()) != 1, reason="needs the osce-kg script")
def test_a_table_fits_the_terminal_and_a_pipe_gets_it_whole() -> None:
    shown = _in_terminal(["query", "run", "speeches"], 80)
    lines = [line for line in shown.splitlines() if line.strip()]
    assert len(lines) > 3
    assert max(len(line) for line in lines) <= 80
    assert "…" in shown
    assert "id:" in shown and "https://" not in shown  # IRIs in prefixed form
    piped = run("query", "run", "speeches").stdout
    assert max(len(line) for line in piped.splitlines()) > 80
    assert "id:person/zumrad-solieva" in piped


def test_query_sparql_inline_with_the_project_prefixes() -> None:
    result = run(
        "query",
        "sparql",
        "-e",
        "SELECT ?p WHERE { ?p a okg:Person } ORDER BY ?p",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    assert "https://w3id.org/osce-kg/id/person/knut-dreyer" in result.stdout.splitlines()


def test_a_prefix_of_your_own_wins(tmp_path: Path) -> None:
    query = "PREFIX okg: <http://example.org/>\nSELECT (COUNT(*) AS ?n) WHERE { ?p a okg:Person }\n"
    result = run("query", "sparql", "-e", query, "--format", "csv")
    assert result.stdout.splitlines() == ["n", "0"]


def test_errors_point_into_the_query_as_typed(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text(
        "# a comment\nSELECT ?p WHERE {\n  ?p a okg:Person\n  FILTER( }\n", encoding="utf-8"
    )
    result = run("query", "sparql", "bad.rq", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("bad.rq:4:")


@pytest.mark.parametrize("argv", [[], ["x.rq", "-e", "ASK {}"]])
def test_query_sparql_takes_one_query(tmp_path: Path, argv: list[str]) -> None:
    result = run("query", "sparql", *argv, cwd=tmp_path)
    assert result.returncode == 2 and "one of them" in result.stderr


def test_stats_says_what_is_stated_and_what_is_inferred() -> None:
    from osce_kg.assembly import triple_count
    from osce_kg.layout import DataLayout
    from osce_kg.store import dataset_store

    result = run("stats", "--format", "json")
    rows = {(r["section"], r["name"]): r["count"] for r in json.loads(result.stdout)}
    stated = rows[("total", "triples stated")]
    inferred = rows[("total", "triples inferred")]
    assert inferred > 0
    assert rows[("total", "triples in all (what queries see)")] == stated + inferred
    assert stated + inferred == triple_count(dataset_store(DataLayout.default()))
    assert all(section != "class" for section, _ in rows)  # every class count says "stated"
    assert ("class (stated)", "okg:Person") in rows
