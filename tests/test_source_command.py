"""``osce-kg source add`` scaffolds a source that validates at once; ``source list`` lists it."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import SLUG, clean_env, osce_kg_exe
from osce_kg.loading import parse_file


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(OSCE_KG_DATA=str(data))
    return subprocess.run(
        [*osce_kg_exe(), *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture
def release(tmp_path: Path) -> Path:
    text = tmp_path / "release.txt"
    # Curly quotes, a tab, a backslash and no final newline: kept byte for byte.
    text.write_bytes('OSCE “release”\twith a \\ backslash and "quotes"'.encode())
    return text


def test_added_source_is_verbatim_and_validates(data_copy: Path, release: Path) -> None:
    added = run(
        data_copy,
        "source",
        "add",
        "2012-10-01-osce-release",
        "--text",
        str(release),
        "--title",
        'A "quoted" title',
        "--published",
        "2012-10-01",
    )
    assert added.returncode == 0, added.stderr
    folder = data_copy / "graph" / "sources" / "2012-10-01-osce-release"
    assert (folder / "source.txt").read_bytes() == release.read_bytes()
    article = (folder / "article.ttl").read_text(encoding="utf-8")
    assert hashlib.sha256(release.read_bytes()).hexdigest() in article
    g = parse_file(folder / "article.ttl")
    texts = [str(o) for o in g.objects(None, URIRef("http://schema.org/text"))]
    assert texts == [release.read_bytes().decode("utf-8")]
    checked = run(data_copy, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    listed = run(data_copy, "source", "list", "--format", "csv")
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(listed.stdout))}
    assert set(rows) == {SLUG, "2012-10-01-osce-release"}
    assert rows["2012-10-01-osce-release"]["title"] == 'A "quoted" title'
    assert rows["2012-10-01-osce-release"]["published"] == "2012-10-01"
    assert int(rows["2012-10-01-osce-release"]["triples"]) == 10
    assert rows[SLUG]["status"] == "ok"


def test_list_notices_a_changed_text(data_copy: Path) -> None:
    text = data_copy / "graph" / "sources" / SLUG / "source.txt"
    text.chmod(0o644)
    text.write_bytes(text.read_bytes() + b" ")
    listed = run(data_copy, "source", "list", "--format", "csv")
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(listed.stdout))}
    assert rows[SLUG]["status"] == "text changed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad_Slug", "--published", "2012-10-01"], "SLUG"),
        (["good-slug", "--published", "2012-13-01"], "--published"),
        (["good-slug", "--published", "1 Oct 2012"], "--published"),
        ([SLUG, "--published", "2012-10-01"], "exists already"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    data_copy: Path, release: Path, args: list[str], message: str
) -> None:
    before = sorted(p.name for p in (data_copy / "graph" / "sources").iterdir())
    result = run(
        data_copy, "source", "add", args[0], "--text", str(release), "--title", "T", *args[1:]
    )
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in (data_copy / "graph" / "sources").iterdir()) == before


def test_text_must_be_utf8(data_copy: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    result = run(
        data_copy,
        "source",
        "add",
        "latin-text",
        "--text",
        str(latin),
        "--title",
        "T",
        "--published",
        "2012-10-01",
    )
    assert result.returncode == 2 and "UTF-8" in result.stderr
    assert not (data_copy / "graph" / "sources" / "latin-text").exists()
