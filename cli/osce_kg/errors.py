"""The exception tree of osce-kg and the exit codes the CLI maps it to.

Library code raises these; only the CLI turns them into a one-line message
and an exit code.  :data:`EXIT_CODES` is the one table of exit codes: the
epilogs of ``osce-kg --help`` and of the commands, and the README's table
(``python -m osce_kg.docs``), are generated from it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

# click indents an epilog by two columns and, under the no-rewrap marker,
# leaves its lines as they are: wrapped here to fit an 80-column terminal.
_EPILOG_WIDTH = 76


@dataclass(frozen=True)
class ExitCode:
    """One exit code: its number, a short name, and what it means (Markdown:
    backticks mark option and command names)."""

    code: int
    name: str
    meaning: str

    @property
    def plain(self) -> str:
        """The meaning as plain text, for ``--help``."""
        return self.meaning.replace("`", "")


EXIT_CODES: tuple[ExitCode, ...] = (
    ExitCode(0, "ok", "success (`validate`: the data conforms)"),
    ExitCode(
        1,
        "nonconformant",
        "validation results at or above `--fail-on` (`validate`, and `build` unless "
        "`--no-validate`)",
    ),
    ExitCode(
        2,
        "usage",
        "cannot run: a missing or malformed file (`FILE:LINE:COL: message`), a bad option "
        "or parameter",
    ),
    ExitCode(
        3,
        "remote",
        "a remote SPARQL endpoint failed: it is down, timed out, refused the credentials, "
        "or answered 5xx after retries",
    ),
    ExitCode(
        70,
        "internal",
        "a bug in osce-kg (one line says what; `OSCE_KG_DEBUG=1` shows the trace): please "
        "report it",
    ),
    ExitCode(130, "interrupted", "interrupted"),
)

_BY_NAME = {e.name: e.code for e in EXIT_CODES}
EXIT_OK = _BY_NAME["ok"]
EXIT_NONCONFORMANT = _BY_NAME["nonconformant"]
EXIT_USAGE = _BY_NAME["usage"]
EXIT_REMOTE = _BY_NAME["remote"]
EXIT_INTERNAL = _BY_NAME["internal"]
EXIT_INTERRUPTED = _BY_NAME["interrupted"]

# C0 and C1 control characters (ANSI escape sequences start with ESC, 0x1b) and
# the bidirectional overrides: text from outside (a server's error page, a
# file name) must not drive the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str, limit: int = 200) -> str:
    """``text`` made safe to print on one line: control characters (escape
    sequences included) shown as ``\\xNN`` escapes, so nothing reaches the
    terminal as a command and a file name stays recognisable; white space
    folded; cut to ``limit`` characters."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def os_error_line(exc: OSError) -> str:
    """An ``OSError`` as one line: the file it is about, and why."""
    reason = (exc.strerror or str(exc) or type(exc).__name__).lower()
    where = exc.filename if exc.filename is not None else None
    return one_line(f"{where}: {reason}" if where is not None else reason, 400)


def exit_codes_epilog(codes: Iterable[int] | None = None) -> str:
    """A ``--help`` epilog listing ``codes`` (default: all) with their meanings.

    Starts with click's no-rewrap marker, so the columns stay as written.
    """
    wanted = None if codes is None else set(codes)
    rows = [e for e in EXIT_CODES if wanted is None or e.code in wanted]
    width = max(len(str(e.code)) for e in rows) + 2
    lines = [
        textwrap.fill(
            e.plain,
            _EPILOG_WIDTH,
            initial_indent=f"  {str(e.code).ljust(width)}",
            subsequent_indent=" " * (2 + width),
            break_long_words=False,
            break_on_hyphens=False,  # keep options such as --fail-on whole
        )
        for e in rows
    ]
    return "\b\nExit codes:\n" + "\n".join(lines) + "\n"


def exit_codes_markdown() -> str:
    """The exit codes as a Markdown table (the README's)."""
    lines = ["| code | name | meaning |", "| --- | --- | --- |"]
    lines += [f"| {e.code} | {e.name} | {e.meaning} |" for e in EXIT_CODES]
    return "\n".join(lines) + "\n"


class OsceKgError(Exception):
    """Base class: every error osce-kg reports to a user."""

    exit_code = EXIT_USAGE


class InputError(OsceKgError):
    """A file, option or parameter given by the user cannot be used."""


class ParseError(InputError):
    """A data file is not well-formed.  ``str()`` is ``FILE:LINE:COL: message``."""

    def __init__(self, path: str, line: int | None, column: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class DataError(OsceKgError):
    """The project's own data (ontology, shapes, queries) is unusable."""


class ValidationFailed(OsceKgError):
    """Validation found results at or above the failing severity."""

    exit_code = EXIT_NONCONFORMANT


class EndpointError(OsceKgError):
    """A remote SPARQL endpoint could not answer."""

    exit_code = EXIT_REMOTE
