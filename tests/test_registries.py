"""Each extension point has one registry; everything that lists it is generated
from it (the README, ``--help``, the CLI's choices)."""

from __future__ import annotations

from conftest import REPO


def test_readme_and_docs_are_generated_from_the_registries() -> None:
    from osce_kg.docs import BLOCKS, FILES, README, regenerate

    assert README == REPO / "README.md"
    assert set(FILES) == set(BLOCKS)
    for path in set(FILES.values()):
        names = [name for name, target in FILES.items() if target == path]
        text = path.read_text(encoding="utf-8")
        assert regenerate(text, names) == text, f"{path} is out of date: run python -m osce_kg.docs"


def test_the_generated_tables_list_every_registered_name() -> None:
    from osce_kg.docs import answer_formats_markdown, exporters_markdown, networks_markdown
    from osce_kg.network import NETWORKS, SECTIONS
    from osce_kg.network.exports import EXPORTERS
    from osce_kg.sparql_results import GRAPH_WRITERS, SELECT_WRITERS

    for names, table in (
        ([*NETWORKS, *SECTIONS], networks_markdown()),
        (list(EXPORTERS), exporters_markdown()),
        ([*SELECT_WRITERS, *GRAPH_WRITERS], answer_formats_markdown()),
    ):
        for name in names:
            assert f"`{name}`" in table, name


def test_exit_codes_are_one_table() -> None:
    from osce_kg import errors
    from osce_kg.cli import EPILOG

    codes = [e.code for e in errors.EXIT_CODES]
    assert len(set(codes)) == len(codes) and len({e.name for e in errors.EXIT_CODES}) == len(codes)
    for exc in (errors.OsceKgError, errors.ValidationFailed, errors.EndpointError):
        assert exc.exit_code in codes
    for e in errors.EXIT_CODES:
        assert f"\n  {e.code} " in EPILOG
        assert f"| {e.code} | {e.name} | {e.meaning} |" in errors.exit_codes_markdown()


def test_an_epilog_lists_the_codes_it_is_given() -> None:
    from osce_kg.errors import EXIT_NONCONFORMANT, EXIT_OK, exit_codes_epilog

    epilog = exit_codes_epilog([EXIT_OK, EXIT_NONCONFORMANT])
    assert epilog.startswith("\b\nExit codes:\n  0  success")
    assert "\n  1  " in epilog and "\n  2 " not in epilog and "130" not in epilog
    assert all(len(line) <= 76 for line in epilog.splitlines())


def test_query_formats_come_from_the_result_writers() -> None:
    import click

    from osce_kg.commands.query import query
    from osce_kg.sparql_results import GRAPH_WRITERS, SELECT_WRITERS, formats_help

    for name in ("run", "sparql"):
        param = next(p for p in query.commands[name].params if p.name == "fmt")
        assert isinstance(param.type, click.Choice)
        assert list(param.type.choices) == [*SELECT_WRITERS, *GRAPH_WRITERS]
        assert param.help == formats_help()
    assert all(name in formats_help() for name in [*SELECT_WRITERS, *GRAPH_WRITERS])
