"""A malformed file under graph/ stops every graph-reading command with one line
``FILE:LINE:COL: message`` and exit code 2 — no traceback, nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import clean_env, osce_kg_exe

# Each command that reads the graph, with the arguments it needs.
COMMANDS = [
    ["stats"],
    ["validate"],
    ["query", "run", "speeches"],
    ["network", "analyze", "speaker-event"],
    ["network", "export", "speaker-event", "--format", "gexf", "-o", "{tmp}/out.gexf"],
    ["build", "-o", "{tmp}/dist"],
]


@pytest.fixture
def broken_data(data_copy: Path) -> Path:
    facts = next((data_copy / "graph" / "sources").glob("*/facts.ttl"))
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    # An IRI with a space: rdflib would accept it, the Turtle grammar does not.
    lines.insert(
        10, "<https://w3id.org/osce-kg/id/person/bad name> a <http://xmlns.com/foaf/0.1/Person> .\n"
    )
    facts.write_text("".join(lines), encoding="utf-8")
    return facts


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_reports_file_line_and_exits_2(
    broken_data: Path, tmp_path: Path, args: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.replace("{tmp}", str(out)) for a in args]
    env = clean_env(OSCE_KG_DATA=str(broken_data.parents[3]))
    result = subprocess.run(
        osce_kg_exe() + argv, capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{broken_data}:11:"), lines[0]
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_parse_error_names_line_and_column(tmp_path: Path) -> None:
    from osce_kg.errors import ParseError
    from osce_kg.loading import parse_file

    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix : <http://e/> .\n:a :b "unterminated .\n', encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_file(bad)
    assert str(info.value).startswith(f"{bad}:2:")
    assert info.value.line == 2
    # The position is said once, in FILE:LINE:COL, not again in the message.
    assert "line" not in info.value.message
