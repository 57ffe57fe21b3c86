"""Workspaces: ``osce-kg init``, the shipped data as a read-only base layer,
discovery the way git finds a repository, and a second source beside the seed.

The second source is the fictional press release of ``tests/data/workspace/``
(test data, never part of ``graph/``).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, SLUG, clean_env, osce_kg_exe

TEST_DATA = REPO / "tests" / "data" / "workspace"
NEW = "2013-10-03-fictional-workshop"
DRAFT_TYPE = ", <https://w3id.org/osce-kg/ontology#Draft>"


def run(*argv: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*osce_kg_exe(), *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(**env),
        timeout=300,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".osce-kg-cache" not in p.parts and "__pycache__" not in p.parts
    }


def add_fictional_source(ws: Path) -> None:
    added = run(
        "source", "add", NEW, "--text", str(TEST_DATA / "fictional-release.txt"),
        "--title", "Fictional workshop", "--published", "2013-10-03",
        "--publisher", "id:organization/osce", "--url", "https://example.org/release",
        cwd=ws,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    made = run("init", str(ws), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return ws


def test_init_makes_the_folders_and_the_config(workspace: Path) -> None:
    for folder in ("graph/sources", "graph/shared", "queries/checks", "shapes"):
        assert (workspace / folder).is_dir(), folder
    assert 'base = "osce-kg"' in (workspace / "osce-kg.toml").read_text(encoding="utf-8")
    assert not list(workspace.parent.glob(".ws.*"))  # no temporary folder left


def test_a_workspace_sees_the_base_and_adds_its_source(workspace: Path) -> None:
    add_fictional_source(workspace)
    folder = workspace / "graph" / "sources" / NEW
    assert (folder / "source.txt").read_bytes() == (
        TEST_DATA / "fictional-release.txt"
    ).read_bytes()
    article = (folder / "article.ttl").read_text(encoding="utf-8")
    assert "dcterms:publisher <https://w3id.org/osce-kg/id/organization/osce>" in article
    assert '"https://example.org/release"^^xsd:anyURI' in article
    assert "@prefix oa:" in (folder / "annotations.ttl").read_text(encoding="utf-8")
    # Found from a sub-folder, as git finds a repository.
    listed = run("source", "list", "--format", "csv", cwd=folder)
    assert listed.returncode == 0, listed.stderr
    slugs = [line.split(",")[0] for line in listed.stdout.splitlines()[1:]]
    assert slugs == [SLUG, NEW]
    checked = run("validate", cwd=folder)
    assert checked.returncode == 0, checked.stderr


def test_data_option_and_environment_name_the_workspace(workspace: Path, tmp_path: Path) -> None:
    add_fictional_source(workspace)
    for argv, env in (
        (["--data", str(workspace), "source", "list", "--format", "csv"], {}),
        (["source", "list", "--format", "csv"], {"OSCE_KG_DATA": str(workspace)}),
    ):
        listed = run(*argv, cwd=tmp_path, **env)
        assert listed.returncode == 0, listed.stderr
        assert NEW in listed.stdout
    # Outside any workspace, the shipped data alone.
    plain = run("source", "list", "--format", "csv", cwd=tmp_path)
    assert NEW not in plain.stdout and SLUG in plain.stdout


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: None, "no such folder"),
        (lambda p: p.write_text("x", encoding="utf-8"), "is a file"),
        (lambda p: p.mkdir(), "not an osce-kg workspace"),
    ],
    ids=["missing", "a-file", "empty"],
)
def test_a_folder_that_is_not_a_workspace_is_exit_2(tmp_path: Path, make, needle: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "data"
    make(target)
    for argv, env in (
        (["--data", str(target), "stats"], {}),
        (["stats"], {"OSCE_KG_DATA": str(target)}),
    ):
        out = run(*argv, cwd=tmp_path, **env)
        one_line(out, 2, needle, "osce-kg init" if needle != "is a file" else "")
        assert out.stdout == ""


def test_init_refuses_a_file_a_path_under_a_file_and_a_workspace(workspace: Path) -> None:
    afile = workspace.parent / "afile"
    afile.write_text("keep\n", encoding="utf-8")
    one_line(run("init", str(afile), cwd=workspace.parent), 2, "afile is a file")
    one_line(run("init", str(afile / "sub"), cwd=workspace.parent), 2, "afile is a file")
    one_line(run("init", str(workspace), cwd=workspace.parent), 2, "a workspace already")
    assert afile.read_text(encoding="utf-8") == "keep\n"


def test_init_in_a_folder_with_files_keeps_them(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("my readme\n", encoding="utf-8")
    assert run("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "my readme\n"
    assert (tmp_path / "osce-kg.toml").is_file() and (tmp_path / "graph" / "sources").is_dir()


def test_init_in_the_empty_working_directory(tmp_path: Path) -> None:
    """``osce-kg init`` in an empty folder one has just made and entered (the first
    thing a new user may try): the folder is filled, not replaced (renaming a
    folder over the working directory fails, and would strand the user's shell)."""
    here = tmp_path / "corpus"
    here.mkdir()
    inode = here.stat().st_ino
    made = run("init", cwd=here)
    assert made.returncode == 0, made.stderr
    assert str(here) in made.stdout
    assert (here / "osce-kg.toml").is_file() and (here / "graph" / "sources").is_dir()
    assert here.stat().st_ino == inode


def test_the_base_layer_is_never_written(workspace: Path) -> None:
    before = tree_digest(REPO / "graph")
    quote = ["annotate", SLUG, "Knut Dreyer", "--resource", "id:person/knut-dreyer", "--append"]
    one_line(run(*quote, cwd=workspace), 2, "base", "osce-kg init")
    one_line(run("source", "mentions", SLUG, "--draft", cwd=workspace), 2, "osce-kg init")
    assert tree_digest(REPO / "graph") == before


@pytest.mark.parametrize(
    ("slug", "text", "needle"),
    [
        (NEW, b"caf\xe9\n", "not UTF-8"),
        (NEW, b"\x00\x01\x02binary", "binary"),
        (SLUG, b"A text.\n", "exists already"),
        ("a/b", b"A text.\n", "SLUG"),
        ("..", b"A text.\n", "SLUG"),
    ],
    ids=["latin-1", "binary", "existing-slug", "slash", "dot-dot"],
)
def test_source_add_refuses_bad_input(workspace: Path, slug: str, text: bytes, needle: str) -> None:
    (workspace / "text.txt").write_bytes(text)
    before = tree_digest(workspace)
    argv = [
        "source",
        "add",
        slug,
        "--text",
        "text.txt",
        "--title",
        "T",
        "--published",
        "2013-10-03",
    ]
    one_line(run(*argv, cwd=workspace), 2, needle)
    assert tree_digest(workspace) == before


@pytest.mark.parametrize(
    ("option", "value"),
    [("--language", "not a tag"), ("--publisher", "OSCE press office"), ("--url", "ftp://x")],
)
def test_source_add_checks_its_metadata(workspace: Path, option: str, value: str) -> None:
    argv = [
        "source", "add", NEW, "--text", str(TEST_DATA / "fictional-release.txt"),
        "--title", "T", "--published", "2013-10-03", option, value,
    ]  # fmt: skip
    one_line(run(*argv, cwd=workspace), 2, option)
    assert not (workspace / "graph" / "sources" / NEW).exists()


def test_mentions_draft_is_reported_until_reviewed(workspace: Path) -> None:
    add_fictional_source(workspace)
    found = run("source", "mentions", NEW, "--draft", "--format", "csv", cwd=workspace)
    assert found.returncode == 0, found.stderr
    for iri in ("id:person/knut-dreyer", "id:person/zumrad-solieva", "id:country/tajikistan"):
        assert iri in found.stdout, iri
    assert f"id:source/{NEW}" not in found.stdout  # its own title is no mention
    draft = workspace / "graph" / "sources" / NEW / "draft.ttl"
    text = draft.read_text(encoding="utf-8")
    assert DRAFT_TYPE in text
    checked = run("validate", "--format", "json", cwd=workspace)
    assert checked.returncode == 0, checked.stderr  # warnings: it conforms
    drafts = [
        r
        for r in json.loads(checked.stdout)["results"]
        if r["source"] == "check:draft-not-reviewed"
    ]
    assert len(drafts) == text.count(DRAFT_TYPE) > 5
    # A second --draft would overwrite a review under way: refused.
    one_line(run("source", "mentions", NEW, "--draft", cwd=workspace), 2, "draft.ttl exists")
    draft.write_text(text.replace(DRAFT_TYPE, ""), encoding="utf-8")  # reviewed
    checked = run("validate", "--format", "json", cwd=workspace)
    assert json.loads(checked.stdout)["counts"]["warning"] == 0


def test_workspace_queries_and_shapes_add_to_the_base(workspace: Path) -> None:
    add_fictional_source(workspace)
    (workspace / "queries" / "articles.rq").write_text(
        "#+ summary: The articles\n"
        "PREFIX okg: <https://w3id.org/osce-kg/ontology#>\n"
        "SELECT ?article WHERE { ?article a okg:Article } ORDER BY ?article\n",
        encoding="utf-8",
    )
    rows = run("query", "run", "articles", "--format", "csv", cwd=workspace)
    assert rows.returncode == 0, rows.stderr
    assert rows.stdout.splitlines()[1:] == [
        f"https://w3id.org/osce-kg/id/source/{slug}" for slug in (SLUG, NEW)
    ]
    assert run("query", "run", "speeches", cwd=workspace).returncode == 0  # the base's
    (workspace / "shapes" / "url.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix okg: <https://w3id.org/osce-kg/ontology#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "<urn:x:ArticleUrl> a sh:NodeShape ; sh:targetClass okg:Article ;\n"
        "  sh:property [ sh:path schema:url ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    checked = run("validate", "--format", "json", cwd=workspace)
    assert checked.returncode == 1, checked.stderr  # the seed article has no URL
    focus = [r["focus"] for r in json.loads(checked.stdout)["results"]]
    assert focus == [f"https://w3id.org/osce-kg/id/source/{SLUG}"]


def test_a_query_name_of_the_base_is_refused(workspace: Path) -> None:
    (workspace / "queries" / "speeches.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n")
    one_line(run("query", "run", "speeches", cwd=workspace), 2, "speeches", "rename it")


def test_a_slug_of_the_base_in_the_workspace_is_refused(workspace: Path) -> None:
    (workspace / "graph" / "sources" / SLUG).mkdir()
    one_line(run("validate", cwd=workspace), 2, SLUG)


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("[workspace\n", "osce-kg.toml:1:"),
        ('[workspace]\nbsae = "osce-kg"\n', "workspace.bsae"),
        ('[workspace]\nbase = "no-such-folder"\n', "no such folder"),
        ('[workspace]\nbase = "."\n', "leads back"),
    ],
    ids=["not-toml", "unknown-key", "missing-base", "cycle"],
)
def test_a_broken_config_is_one_line(workspace: Path, config: str, needle: str) -> None:
    (workspace / "osce-kg.toml").write_text(config, encoding="utf-8")
    one_line(run("stats", cwd=workspace), 2, needle)
