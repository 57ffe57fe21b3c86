"""The Python API: docs/python-api.md's examples run as doctests, and importing
the package stays light."""

from __future__ import annotations

import doctest
import subprocess
import sys

from conftest import REPO, clean_env


def test_the_documented_examples_run() -> None:
    failures, tried = doctest.testfile(
        str(REPO / "docs" / "python-api.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried > 10
    assert failures == 0


def test_the_module_example_runs() -> None:
    import osce_kg.api

    failures, tried = doctest.testmod(osce_kg.api)
    assert tried >= 3 and failures == 0


def test_importing_the_package_loads_no_rdf_library() -> None:
    code = "import sys, osce_kg; print('rdflib' in sys.modules, 'networkx' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_an_unknown_name_is_an_attribute_error() -> None:
    import osce_kg

    try:
        osce_kg.nothing  # noqa: B018
    except AttributeError as exc:
        assert "nothing" in str(exc)
    else:
        raise AssertionError("no AttributeError")


def test_no_submodule_shadows_an_api_name() -> None:
    """``import osce_kg.x`` sets the attribute ``x`` on the package, which would hide
    an API function of that name once anything imported the submodule."""
    import importlib.util

    import osce_kg

    for name in osce_kg._API:
        assert importlib.util.find_spec(f"osce_kg.{name}") is None, name
        assert callable(getattr(osce_kg, name)), name
