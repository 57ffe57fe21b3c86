"""Rows of plain values as text, the same way in every command.

:func:`render_rows` renders rows as an aligned text table, CSV, TSV, JSON (a
list of objects) or a Markdown table; the command layer writes the text
(:mod:`osce_kg.commands.options`).  SPARQL answers use the W3C result formats
instead (see :mod:`osce_kg.sparql_results`).
"""

from __future__ import annotations

import contextvars
import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import InputError

ROW_FORMATS = ("table", "csv", "tsv", "json", "markdown")
# The format an output file's suffix names (-o stats.csv writes CSV).
ROW_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "markdown"}

Value = str | int | float | bool | None

# The width a ``table`` must fit, when it goes to a terminal (the command layer
# sets it); None: no limit (a file or a pipe gets every value whole).
TABLE_WIDTH: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "TABLE_WIDTH", default=None
)
_MIN_COLUMN = 6


def fit_widths(widths: Sequence[int], room: int) -> list[int]:
    """Column widths that fit ``room`` characters (two spaces between columns):
    the widest columns are cut first, none below a few characters."""
    budget = room - 2 * (len(widths) - 1)
    if sum(widths) <= budget:
        return list(widths)
    low, high = _MIN_COLUMN, max(widths)
    while low < high:  # the largest cap whose capped widths fit
        cap = (low + high + 1) // 2
        if sum(min(w, cap) for w in widths) <= budget:
            low = cap
        else:
            high = cap - 1
    return [min(w, low) for w in widths]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
        # CSV ends lines with CRLF (RFC 4180); TSV with LF, as tab-separated files do.
        ending = "\r\n" if fmt == "csv" else "\n"
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator=ending)
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
        room = TABLE_WIDTH.get()
        if room is not None:
            widths = fit_widths(widths, room)
            columns = [_cut(c, w) for c, w in zip(columns, widths, strict=True)]
            cells = [[_cut(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]

        def line(values: Sequence[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        out = [line(columns), line(["-" * w for w in widths])]
        out += [line(row) for row in cells]
        return "\n".join(out) + "\n"
    raise InputError(f"--format: unknown format {fmt!r} (known: {', '.join(ROW_FORMATS)})")


def choose_format(
    fmt: str | None, output: Path | None, suffixes: Mapping[str, str], default: str | None
) -> str | None:
    """The format to write: ``--format``, else the one ``-o``'s suffix names, else
    ``default``; InputError when ``--format`` and the suffix disagree.  Every
    command's ``--format``/``-o`` pair goes through it."""
    named = suffixes.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return named or default
    if output is not None and named is not None and named != fmt:
        raise InputError(
            f"--format {fmt} and -o {output} disagree ({output.suffix} is {named}); "
            "give one of them, or make them agree"
        )
    return fmt
