"""Print rows of plain values the same way in every command.

``output_options`` is the one decorator that gives a command ``--format`` and
``-o/--output``; :func:`write_rows` renders rows as an aligned text table, CSV,
TSV, JSON (a list of objects) or a Markdown table.  Commands that print SPARQL
results use the W3C result formats instead (see :mod:`osce_kg.sparql_results`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from .atomic import atomic_write_text

ROW_FORMATS = ("table", "csv", "tsv", "json", "markdown")

F = TypeVar("F", bound=Callable[..., Any])

Value = str | int | float | bool | None


def output_options(
    formats: Sequence[str] = ROW_FORMATS,
    default: str | None = "table",
    help: str = "Output format.",
) -> Callable[[F], F]:
    """Add ``--format`` and ``-o/--output`` to a command."""

    def decorate(func: F) -> F:
        func = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Write to this file (atomically) instead of standard output.",
        )(func)
        func = click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default=default,
            show_default=default is not None,
            help=help,
        )(func)
        return func

    return decorate


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def render_rows(columns: Sequence[str], rows: Sequence[Sequence[Value]], fmt: str) -> str:
    """Rows as text in one of :data:`ROW_FORMATS`."""
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(v) for v in row])
        return buf.getvalue()
    if fmt == "json":
        objs = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps(objs, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":

        def cell(v: Value) -> str:
            return _text(v).replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        cells = [[_text(v).replace("\n", " ") for v in row] for row in rows]
        widths = [len(c) for c in columns]
        for row in cells:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

        def line(values: Sequence[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        out = [line(columns), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        return "\n".join(out) + "\n"
    raise click.BadParameter(f"unknown format {fmt!r}", param_hint="--format")


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(output, text)


def write_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Value]], fmt: str, output: Path | None
) -> None:
    emit(render_rows(columns, rows, fmt), output)
