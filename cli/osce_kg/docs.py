"""Regenerate the parts of the README and the docs that come from the package's
registries: exit codes, networks and analysis sections, export formats, query
answer formats.

Each part sits between two markers, ``<!-- NAME:start -->`` and
``<!-- NAME:end -->``, and is replaced whole by what :data:`BLOCKS` generates
for NAME, in the file :data:`FILES` names.  Run from a source checkout::

    python -m osce_kg.docs          # rewrite the files
    python -m osce_kg.docs --check  # exit 1 if one is out of date

A test runs the check, so the documentation cannot drift from the registries.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import atomic_write_text
from .errors import exit_codes_markdown

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def networks_markdown() -> str:
    from .network import NETWORKS, SECTIONS

    lines = ["| network | what it shows |", "| --- | --- |"]
    lines += [f"| `{name}` | {what} |" for name, what in NETWORKS.items()]
    lines += ["", "| `--section` | what its table holds |", "| --- | --- |"]
    lines += [f"| `{name}` | {what} |" for name, what in SECTIONS.items()]
    return "\n".join(lines) + "\n"


def exporters_markdown() -> str:
    from .network.exports import EXPORTERS

    lines = ["| `--format` | writes | read by |", "| --- | --- | --- |"]
    lines += [
        f"| `{e.name}` | {'a folder' if e.folder else f'a `{e.suffix}` file'} | {e.description} |"
        for e in EXPORTERS.values()
    ]
    return "\n".join(lines) + "\n"


def answer_formats_markdown() -> str:
    from .sparql_results import GRAPH_WRITERS, SELECT_WRITERS

    lines = ["| answer | `--format` | what | `-o` suffixes |", "| --- | --- | --- | --- |"]
    kinds: list[tuple[str, list[Any]]] = [
        ("SELECT", list(SELECT_WRITERS.values())),
        ("CONSTRUCT / DESCRIBE", list(GRAPH_WRITERS.values())),
    ]
    for kind, writers in kinds:
        for i, w in enumerate(writers):
            suffixes = ", ".join(f"`{x}`" for x in w.suffixes) or "—"
            default = " (default)" if i == 0 else ""
            lines.append(f"| {kind} | `{w.name}`{default} | {w.description} | {suffixes} |")
    return "\n".join(lines) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {
    "exit-codes": exit_codes_markdown,
    "networks": networks_markdown,
    "export-formats": exporters_markdown,
    "answer-formats": answer_formats_markdown,
}
FILES: dict[str, Path] = {
    "exit-codes": README,
    "networks": ROOT / "docs" / "network.md",
    "export-formats": ROOT / "docs" / "network.md",
    "answer-formats": ROOT / "docs" / "queries.md",
}


def regenerate(text: str, names: list[str] | None = None) -> str:
    """``text`` with every marked block (of ``names``, default all) replaced by
    its generated content."""
    for name in names if names is not None else list(BLOCKS):
        generate = BLOCKS[name]
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        pattern = re.compile(re.escape(start) + r"\n.*?" + re.escape(end), re.DOTALL)
        found = list(pattern.finditer(text))
        if len(found) != 1:
            raise ValueError(f"expected one {start} … {end} block")
        block = found[0]
        text = text[: block.start()] + f"{start}\n{generate()}{end}" + text[block.end() :]
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check``, compare) the files; SystemExit if one was out of date."""
    args = sys.argv[1:] if argv is None else argv
    for path in sorted(set(FILES.values())):
        names = [name for name, target in FILES.items() if target == path]
        current = path.read_text(encoding="utf-8")
        wanted = regenerate(current, names)
        if wanted == current:
            continue
        if "--check" in args:
            raise SystemExit(f"{path}: out of date; run python -m osce_kg.docs")
        atomic_write_text(path, wanted)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
