"""``osce-kg query`` on the dataset store: the answers of the rdflib reference,
without importing rdflib for a query that binds no parameter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clean_env, osce_kg_exe

PARAMS = {
    "event-participants": ["-p", "event=id:event/2012-annual-police-experts-meeting"],
    "provenance": ["-p", "resource=id:person/zumrad-solieva"],
    "statements-by-person": ["-p", "person=id:person/dzhurakhon-zoirov"],
    "statements-on-topic": ["-p", "topic=id:topic/cyber-crime"],
    "person-posts": ["-p", "person=id:person/knut-dreyer"],
}


def _select_queries() -> list[str]:
    from osce_kg.catalogue import catalogue

    return [q.name for q in catalogue() if q.kind == "SELECT"]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*osce_kg_exe(), *args], capture_output=True, text=True, env=env or clean_env(), timeout=300
    )


@pytest.mark.parametrize("name", _select_queries())
@pytest.mark.parametrize("fmt", ["table", "json", "tsv"])
def test_the_dataset_store_prints_what_the_rdflib_store_prints(name: str, fmt: str) -> None:
    args = ["query", "run", name, *PARAMS.get(name, []), "--format", fmt]
    default = _cli(*args)
    full = _cli(*args, "--store", "rdflib")
    assert default.returncode == 0 == full.returncode, default.stderr + full.stderr
    assert default.stdout == full.stdout
    assert default.stdout.strip()


def _imports(argv: list[str], env: dict[str, str]) -> set[str]:
    code = (
        "import sys\n"
        "from osce_kg.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('rdflib', 'networkx', 'pyshacl')\n"
        "print('MODULES', *[m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    line = [x for x in result.stderr.splitlines() if x.startswith("MODULES")][-1]
    return set(line.split()[1:])


def test_query_run_imports_no_rdflib_once_the_store_is_built() -> None:
    env = clean_env()
    _cli("query", "run", "speeches", env=env)  # builds the cache if needed
    assert _imports(["query", "run", "speeches"], env) == set()
    # Nor with parameters: they are bound as Oxigraph terms.
    person = ["-p", "person=id:person/dzhurakhon-zoirov"]
    _cli("query", "run", "statements-by-person", *person, env=env)  # its memo, if needed
    assert _imports(["query", "run", "statements-by-person", *person], env) == set()
    # An explicit --store rdflib is the rdflib reference.
    assert "rdflib" in _imports(["query", "run", "speeches", "--store", "rdflib"], env)


def test_help_imports_neither_rdflib_nor_networkx() -> None:
    assert _imports(["--help"], clean_env()) == set()


def test_cache_follows_the_data(data_copy: Path, tmp_path: Path) -> None:
    env = clean_env(OSCE_KG_DATA=str(data_copy), OSCE_KG_CACHE=str(tmp_path / "cache"))
    before = _cli("query", "run", "speeches", "--format", "csv", env=env)
    assert "Knut Dreyer" in before.stdout
    persons = data_copy / "graph" / "shared" / "persons.ttl"
    persons.write_text(
        persons.read_text(encoding="utf-8").replace('"Knut Dreyer"', '"Knut R. Dreyer"'),
        encoding="utf-8",
    )
    after = _cli("query", "run", "speeches", "--format", "csv", env=env)
    assert after.returncode == 0, after.stderr
    assert "Knut R. Dreyer" in after.stdout and "Knut Dreyer," not in after.stdout
    assert len(list((tmp_path / "cache").glob("store-*"))) == 1  # the old copy is pruned


def test_bad_queries_and_parameters_are_one_line_errors() -> None:
    unknown = _cli("query", "run", "speechs")
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr
    missing = _cli("query", "run", "provenance")
    assert missing.returncode == 2 and "resource" in missing.stderr
    bad_iri = _cli("query", "run", "provenance", "-p", "resource=not an iri")
    assert bad_iri.returncode == 2 and "Traceback" not in bad_iri.stderr


def test_sub_folder_queries_run_on_the_dataset_store_too() -> None:
    env = clean_env()
    warm = _cli("query", "run", "network/speeches", "--format", "csv", env=env)
    assert warm.returncode == 0, warm.stderr
    assert _imports(["query", "run", "network/speeches"], env) == set()
    full = _cli("query", "run", "network/speeches", "--format", "csv", "--store", "rdflib")
    assert warm.stdout == full.stdout


def test_an_unusable_cache_folder_gives_an_in_memory_store(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    env = clean_env(OSCE_KG_CACHE=str(blocker / "cache"))
    result = _cli("query", "run", "speeches", "--format", "csv", env=env)
    assert result.returncode == 0, result.stderr
    assert "Zumrad Solieva" in result.stdout


def test_query_list_and_show_read_the_catalogue_without_rdflib() -> None:
    import json

    from osce_kg.catalogue import catalogue, find_query

    env = clean_env()
    listed = _cli("query", "list", "--all", "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    expected = [
        {
            "name": q.name,
            "kind": q.kind,
            "parameters": " ".join(p.describe() for p in q.params),
            "summary": q.summary,
        }
        for q in catalogue(all_folders=True)
    ]
    assert json.loads(listed.stdout) == expected
    top = json.loads(_cli("query", "list", "--format", "json", env=env).stdout)
    assert [r["name"] for r in top] == [q.name for q in catalogue()]
    assert _imports(["query", "list"], env) == set()
    assert _imports(["query", "show", "provenance"], env) == set()
    shown = _cli("query", "show", "provenance", env=env).stdout
    q = find_query("provenance")
    assert f"file:        {q.path}\n" in shown and f"summary:     {q.summary}\n" in shown
    (param,) = q.params
    assert f"parameter:   {param.name} — {param.type_label}, required, ?{param.variable}" in shown
    assert shown.rstrip("\n").endswith(q.text.rstrip("\n"))


def test_a_broken_query_file_is_still_named_by_query_list(data_copy: Path, tmp_path: Path) -> None:
    env = clean_env(OSCE_KG_DATA=str(data_copy), OSCE_KG_CACHE=str(tmp_path / "cache"))
    assert _cli("query", "list", env=env).returncode == 0  # the catalogue is cached
    broken = data_copy / "queries" / "zz-broken.rq"
    broken.write_text("SELECT ?x WHERE { ?x ?p \n", encoding="utf-8")
    listed = _cli("query", "list", env=env)
    assert listed.returncode != 0 and "Traceback" not in listed.stderr
    assert listed.stderr.startswith(f"{broken}:1:") and listed.stderr.count("\n") == 1
    # The other queries still show; the broken one is named.
    assert _cli("query", "show", "speeches", env=env).returncode == 0
    shown = _cli("query", "show", "zz-broken", env=env)
    assert shown.returncode == listed.returncode and str(broken) in shown.stderr
