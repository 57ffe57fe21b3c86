"""Property tests: random bytes, random mutations of the shipped Turtle and random
option values, fed to ``stats``, ``validate``, ``query run`` and ``network
export``.  Whatever comes in, the contract holds: a documented exit code (never
70, the code of a bug), at most one line on standard error, no traceback, and no
output file unless the command succeeded.

The commands run in this process (``osce_kg.cli.main``), each on a copy of the
data with the generated file in ``graph/shared/``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, SLUG, osce

COMMANDS = {
    "stats": ["stats"],
    "validate": ["validate"],
    "query run": ["query", "run", "speeches"],
    "network export": ["network", "export", "speaker-event", "--format", "gexf", "-o", "{out}"],
}
DOCUMENTED = {0, 1, 2, 3}
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("hostile-data")
    for name in ("ontology", "shapes", "graph", "queries"):
        shutil.copytree(REPO / name, root / name)
    previous = os.environ.get("OSCE_KG_DATA")
    os.environ["OSCE_KG_DATA"] = str(root)
    yield root
    if previous is None:
        os.environ.pop("OSCE_KG_DATA", None)
    else:
        os.environ["OSCE_KG_DATA"] = previous


def check_contract(
    capsys: pytest.CaptureFixture[str], data: Path, command: str, planted: Path, content: bytes
) -> None:
    out = data / "out.gexf"
    out.unlink(missing_ok=True)
    planted.write_bytes(content)
    try:
        argv = [a.replace("{out}", str(out)) for a in COMMANDS[command]]
        code, _stdout, err = osce(capsys, *argv)
    finally:
        planted.unlink()
    assert "Traceback" not in err
    assert code in DOCUMENTED, (code, err)
    assert len(err.strip().splitlines()) <= 1, err
    if code != 0 and command == "network export":
        assert not out.exists()


_TURTLE = (REPO / "graph" / "sources" / SLUG / "facts.ttl").read_text(encoding="utf-8")
_SYNTAX = [*"<>\"'{}[]().;,@^#\\:_ \n\t", "\\u", '"""', "^^", "_:b", "@prefix", "a", "\x00"]


@st.composite
def turtle_mutations(draw: st.DrawFn) -> bytes:
    """The shipped facts with a few random cuts, insertions and repeats."""
    text = _TURTLE
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["cut", "insert", "repeat"]))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            piece = draw(st.lists(st.sampled_from(_SYNTAX) | st.characters(), max_size=6))
            text = text[:at] + "".join(piece) + text[at:]
        else:
            text = text[:at] + text[at : at + draw(st.integers(1, 200))] * 2 + text[at:]
    return text.encode("utf-8", "surrogatepass")


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
@SETTINGS
@given(content=st.binary(max_size=2000))
def test_random_bytes(
    capsys: pytest.CaptureFixture[str], data: Path, command: str, content: bytes
) -> None:
    check_contract(capsys, data, command, data / "graph" / "shared" / "random.ttl", content)


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
@SETTINGS
@given(content=turtle_mutations())
def test_turtle_mutations(
    capsys: pytest.CaptureFixture[str], data: Path, command: str, content: bytes
) -> None:
    check_contract(capsys, data, command, data / "graph" / "shared" / "mutated.ttl", content)


OPTION_VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["nan", "inf", "-inf", "1e300", "-1", "0", "", " ", "\x00", "\udcff"]),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def option_sets(draw: st.DrawFn) -> list[str]:
    base = draw(
        st.sampled_from(
            [
                ["query", "run", "speeches"],
                ["query", "run", "describe"],
                ["network", "analyze", "speaker-event"],
                ["network", "export", "speaker-event", "--format", "json"],
                ["stats"],
                ["validate"],
            ]
        )
    )
    option = draw(
        st.sampled_from(
            [
                "--timeout",
                "--retries",
                "--seed",
                "-p",
                "--format",
                "--store",
                "--endpoint",
                "--section",
                "--fail-on",
                "--engine",
                "--jobs",
            ]
        )
    )
    value = draw(OPTION_VALUES)
    if option == "-p":
        value = draw(st.sampled_from(["resource", "x", ""])) + "=" + value
    return [*base, option, value]


@pytest.mark.slow
@SETTINGS
@given(argv=option_sets())
def test_random_option_values(
    capsys: pytest.CaptureFixture[str], data: Path, argv: list[str], tmp_path: Path
) -> None:
    if argv[:2] == ["network", "export"]:
        argv = [*argv, "-o", str(tmp_path / "net.json")]
    code, _out, err = osce(capsys, *argv)
    assert "Traceback" not in err
    assert code in DOCUMENTED, (code, err)
    assert len(err.strip().splitlines()) <= 1, err
