"""Hostile and broken input gets the CLI's contract: a documented exit code,
exactly one line on stderr, no traceback, nothing written or changed, and an
end (every run has a test timeout; none of them may hang).

Each case is one class of defect: outputs that cannot be written (a path under
a file, ``/proc``, a device, a full disk), inputs that are not regular files
(FIFOs, link loops, folders), input that nests too deeply, options out of
range, and bytes that are not UTF-8 on the command line.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO, clean_env, osce_kg_exe

FF = "\udcff"  # how Python hands over a raw 0xff byte of the command line
_TITLED = ["--title", "T", "--published", "2020-01-01"]
_FF_TITLED = ["--title", f"T{FF}", "--published", "2020-01-01"]
_FF_RESOURCE = ["-p", f"resource=https://e.org/{FF}"]


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def line(self) -> str:
        return self.stderr.strip()


def run(
    argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> Outcome:
    """Run the CLI; fail the test unless it keeps the error contract."""
    args = [os.fsencode(a) if isinstance(a, str) else a for a in osce_kg_exe() + argv]
    result = subprocess.run(
        args, capture_output=True, cwd=cwd, env=env or clean_env(), timeout=timeout
    )
    out = Outcome(
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def assert_one_line(out: Outcome, code: int, *needles: str) -> None:
    assert out.code == code, (out.code, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (what must not change)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# ----------------------------------------------------------------- unwritable outputs

WRITERS = {
    "query run": ["query", "run", "speeches", "-o", "{out}"],
    "stats": ["stats", "--format", "json", "-o", "{out}"],
    "validate": ["validate", "--format", "json", "-o", "{out}"],
    "network export": ["network", "export", "speaker-event", "--format", "gexf", "-o", "{out}"],
    "network analyze": ["network", "analyze", "speaker-event", "-o", "{out}"],
    "network draw": ["network", "draw", "speaker-event", "-o", "{out}.svg"],
    "build": ["build", "-o", "{out}"],
}


def _argv(template: list[str], out: str) -> list[str]:
    return [a.replace("{out}", out) for a in template]


@pytest.mark.parametrize("command", WRITERS)
def test_output_under_a_regular_file(tmp_path: Path, command: str) -> None:
    (tmp_path / "afile").write_text("keep\n", encoding="utf-8")
    before = tree(tmp_path)
    out = run(_argv(WRITERS[command], "afile/x"), cwd=tmp_path)
    assert_one_line(out, 2, "afile/x", "afile is not a folder")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("command", ["query run", "stats", "network export"])
def test_output_into_proc_is_refused(tmp_path: Path, command: str) -> None:
    out = run(_argv(WRITERS[command], "/proc/osce-kg-test"), cwd=tmp_path)
    assert_one_line(out, 2, "/proc/osce-kg-test", "cannot write")


@pytest.mark.parametrize("command", ["query run", "validate", "network export"])
def test_output_onto_a_device_is_refused(tmp_path: Path, command: str) -> None:
    out = run(_argv(WRITERS[command], "/dev/null"), cwd=tmp_path)
    assert_one_line(out, 2, "/dev/null", "not a regular file")
    assert Path("/dev/null").is_char_device()


def test_output_through_a_symlink_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(target)
    out = run(["query", "run", "speeches", "--format", "csv", "-o", "link.csv"], cwd=tmp_path)
    assert out.code == 0, out.stderr
    assert (tmp_path / "link.csv").is_symlink()
    assert target.read_text(encoding="utf-8").startswith("speech")


def test_cache_folder_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("keep\n", encoding="utf-8")
    out = run(["validate", "--incremental", "--cache", "afile/cache"], cwd=tmp_path)
    assert_one_line(out, 2, "afile/cache")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "keep\n"


def test_source_add_data_folder_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("text\n", encoding="utf-8")
    argv = ["--data", "afile/data", "source", "add", "a-b", "--text", "afile"]
    out = run([*argv, "--title", "T", "--published", "2020-01-01"], cwd=tmp_path)
    assert_one_line(out, 2, "afile is not a folder")


# ---------------------------------------------------------------------- a full disk

FULL_DISK_CASES = {
    "query run": (["query", "run", "speeches", "-o", "{m}/out.csv"], "out.csv"),
    "stats": (["stats", "-o", "{m}/out.csv"], "out.csv"),
    "validate": (["validate", "--format", "text", "-o", "{m}/out.csv"], "out.csv"),
    "network export": (
        ["network", "export", "speaker-event", "--format", "gexf", "-o", "{m}/out.csv"],
        "out.csv",
    ),
    "network export csv": (
        ["network", "export", "speaker-event", "--format", "csv", "-o", "{m}/net"],
        "net/old",
    ),
    "build": (["build", "-o", "{m}/dist"], "dist/old"),
    "source add": (
        ["--data", "{m}/data", "source", "add", "new-source", "--text", "{big}", *_TITLED],
        "data/ontology/old",
    ),
}

# Inside a private mount namespace (no privileges needed where user
# namespaces are allowed): a 1 MiB tmpfs holding the old outputs, filled up,
# then the command, then what is left on the tmpfs.
_FULL_DISK_SCRIPT = r"""
set -e
m="$1"; shift
mount -t tmpfs -o size=1m tmpfs "$m"
echo old > "$m/out.csv"
mkdir -p "$m/net" "$m/dist" "$m/data/ontology" "$m/data/graph/sources"
echo old > "$m/net/old"; echo old > "$m/dist/old"; touch "$m/dist/.osce-kg-build"
echo old > "$m/data/ontology/old"
dd if=/dev/zero of="$m/fill" bs=4k 2>/dev/null || true
set +e
"$@"
code=$?
rm -f "$m/fill"
echo "exit=$code"
cd "$m" && find . | sort
"""


def _can_mount_tmpfs(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {tmp_path}"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


@pytest.mark.parametrize("command", FULL_DISK_CASES)
def test_full_disk(tmp_path: Path, command: str) -> None:
    template, kept = FULL_DISK_CASES[command]
    mount = tmp_path / "disk"
    mount.mkdir()
    big = tmp_path / "big.txt"
    big.write_text("word " * 400_000, encoding="utf-8")  # 2 MB: more than the disk holds
    argv = [a.replace("{m}", str(mount)).replace("{big}", str(big)) for a in template]
    if _can_mount_tmpfs(tmp_path / "disk"):
        script = ["unshare", "-rm", "sh", "-c", _FULL_DISK_SCRIPT, "sh", str(mount)]
        result = subprocess.run(
            script + osce_kg_exe() + argv,
            capture_output=True,
            text=True,
            env=clean_env(),
            timeout=300,
        )
        assert "Traceback" not in result.stderr, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "no space left on device" in lines[0], lines[0]
        assert "exit=2" in result.stdout, result.stdout
        listing = result.stdout.split("exit=2", 1)[1].split()
        assert f"./{kept}" in listing, listing  # the old output is still there
        assert not [p for p in listing if p.endswith(".tmp")], listing  # no temporary left
        return
    # No user namespaces here: a file-size limit makes the same write fail.
    for name in ("out.csv", "net/old", "dist/old", "dist/.osce-kg-build", "data/ontology/old"):
        (mount / name).parent.mkdir(parents=True, exist_ok=True)
        (mount / name).write_text("old\n", encoding="utf-8")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    result = subprocess.run(
        osce_kg_exe() + argv,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
        preexec_fn=limit,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (mount / kept).read_text(encoding="utf-8") == "old\n"
    assert not list(mount.rglob("*.tmp"))


# ------------------------------------------------------------- inputs that are not files


def test_fifo_as_a_query_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "q.rq")
    out = run(["query", "sparql", "q.rq"], cwd=tmp_path, timeout=60)
    assert_one_line(out, 2, "q.rq", "not a regular file")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: os.mkfifo(p), id="fifo"),
        pytest.param(lambda p: p.symlink_to(p.name), id="link-loop"),
        pytest.param(lambda p: p.symlink_to("missing.ttl"), id="dangling-link"),
    ],
)
@pytest.mark.parametrize("command", [["stats"], ["validate"], ["query", "run", "speeches"]])
def test_special_files_in_graph_are_refused(
    data_copy: Path, make: Callable[[Path], None], command: list[str]
) -> None:
    bad = data_copy / "graph" / "shared" / "odd.ttl"
    make(bad)
    out = run(command, cwd=data_copy, env=clean_env(OSCE_KG_DATA=str(data_copy)), timeout=60)
    assert_one_line(out, 2, str(bad))


SOURCE_TEXTS: dict[str, Callable[[Path], None]] = {
    "missing": lambda p: p.unlink(),
    "folder": lambda p: (p.unlink(), p.mkdir()),  # type: ignore[func-returns-value]
    "fifo": lambda p: (p.unlink(), os.mkfifo(p)),  # type: ignore[func-returns-value]
    "not-utf8": lambda p: p.write_bytes(p.read_bytes() + b"\xff\xfe"),
}


@pytest.mark.parametrize("kind", SOURCE_TEXTS)
@pytest.mark.parametrize("command", [["validate"], ["build", "-o", "dist"]])
def test_broken_source_text_fails_validate_and_build_alike(
    data_copy: Path, kind: str, command: list[str]
) -> None:
    text = next((data_copy / "graph" / "sources").glob("*/source.txt"))
    SOURCE_TEXTS[kind](text)
    out = run(command, cwd=data_copy, env=clean_env(OSCE_KG_DATA=str(data_copy)), timeout=120)
    assert_one_line(out, 2, "source.txt")
    assert not (data_copy / "dist").exists()


# ------------------------------------------------------------------ nesting too deep


def _nested_groups(n: int) -> str:
    return "SELECT * WHERE " + "{" * n + " ?s ?p ?o " + "}" * n + "\n"


def _nested_parentheses(n: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "1" + ")" * n + ") }\n"


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("make", [_nested_groups, _nested_parentheses])
def test_deeply_nested_sparql_is_refused(
    tmp_path: Path, store: str, make: Callable[[int], str]
) -> None:
    (tmp_path / "deep.rq").write_text(make(5000), encoding="utf-8")
    out = run(["query", "sparql", "deep.rq", "--store", store], cwd=tmp_path)
    assert_one_line(out, 2, "deep.rq:1:", "nests", "at most 64")


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_nesting_within_the_limit_runs(tmp_path: Path, store: str) -> None:
    (tmp_path / "ok.rq").write_text(_nested_parentheses(40), encoding="utf-8")
    result = run(["query", "sparql", "ok.rq", "--store", store, "--format", "csv"], cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("s,p,o")


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_service_to_a_closed_port(tmp_path: Path, store: str) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }}\n"
    (tmp_path / "svc.rq").write_text(query, encoding="utf-8")
    out = run(["query", "sparql", "svc.rq", "--store", store], cwd=tmp_path, timeout=60)
    assert_one_line(out, 3, "SERVICE")


# ------------------------------------------------------------------- option values


@dataclass
class OptionCase:
    argv: list[str]
    needle: str
    code: int = 2
    env: dict[str, str] = field(default_factory=dict)


OPTION_CASES = {
    "timeout-nan": OptionCase(
        ["query", "run", "speeches", "--endpoint", "http://127.0.0.1:9/q", "--timeout", "nan"],
        "--timeout",
    ),
    "timeout-inf": OptionCase(
        ["query", "run", "speeches", "--endpoint", "http://127.0.0.1:9/q", "--timeout", "inf"],
        "--timeout",
    ),
    "timeout-1e300": OptionCase(
        ["query", "run", "speeches", "--endpoint", "http://127.0.0.1:9/q", "--timeout", "1e300"],
        "--timeout",
    ),
    "load-timeout-nan": OptionCase(
        ["load", "--endpoint", "http://127.0.0.1:9/store", "--timeout", "nan"], "--timeout"
    ),
    "seed-negative-draw": OptionCase(
        ["network", "draw", "speaker-event", "--seed", "-1", "-o", "x.svg"], "--seed"
    ),
    "seed-negative-analyze": OptionCase(
        ["network", "analyze", "speaker-event", "--seed", "-1"], "--seed"
    ),
    "endpoint-space": OptionCase(["query", "run", "speeches", "--endpoint", "http://a b/q"], "' '"),
    "endpoint-ipv6": OptionCase(
        ["query", "run", "speeches", "--endpoint", "http://[::1/q"], "IPv6"
    ),
    "endpoint-port": OptionCase(
        ["query", "run", "speeches", "--endpoint", "http://h:99999/q"], "--endpoint"
    ),
    "param-ff-iri": OptionCase(
        ["query", "run", "describe", "-p", f"resource=https://w3id.org/osce-kg/id/{FF}"],
        "byte 0xff",
    ),
    "param-ff-iri-rdflib": OptionCase(
        ["query", "run", "describe", "--store", "rdflib", "-p", f"resource=https://e.org/{FF}"],
        "byte 0xff",
    ),
    "param-ff-iri-endpoint": OptionCase(
        ["query", "run", "describe", "--endpoint", "http://127.0.0.1:9/q", *_FF_RESOURCE],
        "byte 0xff",
    ),
    "title-ff": OptionCase(
        ["source", "add", "a-b", "--text", "text.txt", *_FF_TITLED],
        "--title",
    ),
    "unknown-option": OptionCase(["query", "run", "--bogus"], "--bogus"),
    "missing-format": OptionCase(["network", "export", "speaker-event", "-o", "out"], "--format"),
    "unknown-command": OptionCase(["frobnicate"], "frobnicate"),
}


@pytest.mark.parametrize("case", OPTION_CASES)
def test_bad_option_values(tmp_path: Path, case: str) -> None:
    spec = OPTION_CASES[case]
    (tmp_path / "text.txt").write_text("A text.\n", encoding="utf-8")
    before = tree(tmp_path)
    out = run(spec.argv, cwd=tmp_path, env=clean_env(**spec.env), timeout=60)
    assert_one_line(out, spec.code, spec.needle)
    assert tree(tmp_path) == before


def test_click_usage_errors_name_the_command_and_help() -> None:
    out = run(["query", "run", "--bogus"], cwd=REPO)
    assert out.line.startswith("osce-kg query run: ")
    assert out.line.endswith("(see osce-kg query run --help)")


# ------------------------------------------------- input the strict parser accepts (or not)

GRAPH_READERS = {
    "stats": ["stats"],
    "validate": ["validate"],
    "validate-pyshacl": ["validate", "--engine", "pyshacl"],
    "query run": ["query", "run", "speeches"],
    "network export": ["network", "export", "speaker-event", "--format", "gexf", "-o", "n.gexf"],
    "build": ["build", "-o", "dist"],
}

_X = "<https://w3id.org/osce-kg/id/x>"
_SEE = "<http://www.w3.org/2000/01/rdf-schema#seeAlso>"


def _deep_blank_nodes(n: int) -> str:
    return f"{_X} {_SEE} " + "[ <http://e.org/p> " * n + '"x"' + " ]" * n + " .\n"


def _deep_collections(n: int) -> str:
    return f"{_X} {_SEE} " + "( " * n + '"x"' + " )" * n + " .\n"


def _in_data(data: Path, command: list[str], timeout: float = 300) -> Outcome:
    return run(command, cwd=data, env=clean_env(OSCE_KG_DATA=str(data)), timeout=timeout)


@pytest.mark.parametrize("command", GRAPH_READERS)
def test_a_50_mb_literal_is_one_line(data_copy: Path, command: str) -> None:
    big = data_copy / "graph" / "shared" / "big.ttl"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(f'{_X} <http://www.w3.org/2000/01/rdf-schema#comment> "')
        for _ in range(50):
            fh.write("a" * 1_000_000)
        fh.write('" .\n')
    out = _in_data(data_copy, GRAPH_READERS[command])
    assert_one_line(out, 2, str(big), "16 MB")
    assert not (data_copy / "dist").exists() and not (data_copy / "n.gexf").exists()


@pytest.mark.parametrize("make", [_deep_blank_nodes, _deep_collections])
@pytest.mark.parametrize("command", GRAPH_READERS)
def test_deeply_nested_data_is_read_and_written(
    data_copy: Path, command: str, make: Callable[[int], str]
) -> None:
    (data_copy / "graph" / "shared" / "deep.ttl").write_text(make(3000), encoding="utf-8")
    out = _in_data(data_copy, GRAPH_READERS[command])
    assert out.code == 0, out.stderr
    if command == "build":
        from osce_kg.loading import parse_file

        dataset = parse_file(data_copy / "dist" / "dataset" / "osce-kg.ttl")
        assert len(dataset) > 3000  # the whole chain, written and read back


@pytest.mark.slow
def test_a_chain_of_100k_blank_nodes_builds(data_copy: Path) -> None:
    (data_copy / "graph" / "shared" / "deep.ttl").write_text(
        _deep_blank_nodes(100_000), encoding="utf-8"
    )
    out = _in_data(data_copy, ["build", "-o", "dist"], timeout=600)
    assert out.code == 0, out.stderr
    nt = (data_copy / "dist" / "dataset" / "osce-kg.nt").read_text(encoding="utf-8")
    assert nt.count("<http://e.org/p>") == 100_000


_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY lol "lol">
{levels}
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/osce-kg/id/x">
    <rdfs:comment>&lol9;</rdfs:comment>
  </rdf:Description>
</rdf:RDF>
"""


def _billion_laughs() -> str:
    levels = []
    for i in range(1, 10):
        prev = "lol" if i == 1 else f"lol{i - 1}"
        levels.append(f' <!ENTITY lol{i} "' + f"&{prev};" * 10 + '">')
    return _LAUGHS.format(levels="\n".join(levels))


_EXTERNAL = _LAUGHS.replace("&lol9;", "&ext;").format(
    levels=' <!ENTITY ext SYSTEM "file:///etc/passwd">'
)


@pytest.mark.parametrize(
    ("document", "needle"),
    [(_billion_laughs(), "entity expansion"), (_EXTERNAL, "outside the document")],
    ids=["billion-laughs", "external-entity"],
)
@pytest.mark.parametrize("command", ["stats", "validate", "validate-pyshacl", "build"])
def test_hostile_rdf_xml_entities_are_refused(
    data_copy: Path, command: str, document: str, needle: str
) -> None:
    bomb = data_copy / "graph" / "shared" / "bomb.rdf"
    bomb.write_text(document, encoding="utf-8")
    out = _in_data(data_copy, GRAPH_READERS[command], timeout=60)
    assert_one_line(out, 2, str(bomb), needle)


def test_harmless_rdf_xml_entities_are_read(data_copy: Path) -> None:
    doc = _LAUGHS.replace("&lol9;", "&xsd;date").format(
        levels=' <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">'
    )
    (data_copy / "graph" / "shared" / "ok.rdf").write_text(doc, encoding="utf-8")
    out = _in_data(data_copy, ["stats", "--format", "json"], timeout=60)
    assert out.code == 0, out.stderr


def test_a_file_name_with_escape_sequences_is_shown_not_obeyed(data_copy: Path) -> None:
    bad = data_copy / "graph" / "shared" / "x\x1b[31mred\x1b]0;title\x07.ttl"
    bad.write_text("not turtle", encoding="utf-8")
    out = _in_data(data_copy, ["stats"], timeout=60)
    assert_one_line(out, 2, "x\\x1b[31mred\\x1b]0;title\\x07.ttl")
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr


# ------------------------------------------------------------ what killed runs leave


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_killed_store_build_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    orphan, alive, unowned = cache / ".store-killed", cache / ".store-running", cache / ".store-x"
    for folder, pid in ((orphan, _dead_pid()), (alive, os.getpid()), (unowned, None)):
        (folder / "db").mkdir(parents=True)
        if pid is not None:
            (folder / ".owner-pid").write_text(str(pid), encoding="ascii")
    out = run(["query", "run", "speeches"], cwd=tmp_path, env=clean_env(OSCE_KG_CACHE=str(cache)))
    assert out.code == 0, out.stderr
    assert not orphan.exists()
    assert alive.exists() and unowned.exists()  # another run's, or not ours to judge
    assert len(list(cache.glob("store-*"))) == 1


def test_the_query_memo_folder_is_kept_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osce_kg import catalogue, memo

    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(memo, "KEEP", 5)
    for i in range(12):
        q = tmp_path / f"q{i}.rq"
        q.write_text(f"SELECT ?s WHERE {{ ?s ?p {i} }}\n", encoding="utf-8")
        catalogue.load_query(q)
    assert 1 <= len(list((tmp_path / "cache" / "memo" / "query").iterdir())) <= 5


def test_an_interrupt_waits_for_deep_work_to_end() -> None:
    """Ctrl-C while run_deep's work runs: the work ends first (nothing it writes
    outlives the clean-up the interrupt sets off), then KeyboardInterrupt."""
    import os
    import signal
    import threading
    import time

    from osce_kg.recursion import run_deep

    ended: list[bool] = []

    def work() -> int:
        time.sleep(1.0)
        ended.append(True)
        return 1

    # Python's own handler, whatever the test runner's worker process installed.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
        with pytest.raises(KeyboardInterrupt):
            run_deep(work)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert ended == [True]


def test_threads_started_inside_deep_work_get_the_usual_stack() -> None:
    """run_deep gives its own thread a 512 MB stack; the threads its work starts (a
    validation's query threads) get the usual one, not 512 MB of address space each."""
    import threading

    from osce_kg.recursion import run_deep

    before = threading.stack_size()
    assert run_deep(threading.stack_size) == before
    assert threading.stack_size() == before
