"""Regenerate the parts of the README that come from the package's registries.

Each part sits between two markers, ``<!-- NAME:start -->`` and
``<!-- NAME:end -->``, and is replaced whole by what :data:`BLOCKS` generates
for NAME.  Run from a source checkout::

    python -m osce_kg.docs          # rewrite README.md
    python -m osce_kg.docs --check  # exit 1 if README.md is out of date

A test runs the check, so the README cannot drift from the registries.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from .atomic import atomic_write_text
from .errors import exit_codes_markdown

README = Path(__file__).resolve().parents[2] / "README.md"

BLOCKS: dict[str, Callable[[], str]] = {
    "exit-codes": exit_codes_markdown,
}


def regenerate(text: str) -> str:
    """``text`` with every marked block replaced by its generated content."""
    for name, generate in BLOCKS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        pattern = re.compile(re.escape(start) + r"\n.*?" + re.escape(end), re.DOTALL)
        found = list(pattern.finditer(text))
        if len(found) != 1:
            raise ValueError(f"expected one {start} … {end} block")
        block = found[0]
        text = text[: block.start()] + f"{start}\n{generate()}{end}" + text[block.end() :]
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check``, compare) the README; 1 if it was out of date."""
    args = sys.argv[1:] if argv is None else argv
    current = README.read_text(encoding="utf-8")
    wanted = regenerate(current)
    if wanted == current:
        return 0
    if "--check" in args:
        raise SystemExit(f"{README}: out of date; run python -m osce_kg.docs")
    atomic_write_text(README, wanted)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
