"""The exception tree of osce-kg and the exit codes the CLI maps it to.

Library code raises these; only the CLI turns them into a one-line message
and an exit code.  Exit codes (documented in ``osce-kg --help`` and README):

* 0 — success (for ``validate``: the data conforms)
* 1 — the data does not conform (validation results at or above ``--fail-on``)
* 2 — cannot run: a missing or malformed file, a bad option or parameter
* 3 — a remote SPARQL endpoint failed (down, timed out, refused, 5xx)
* 130 — interrupted (Ctrl-C)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_USAGE = 2
EXIT_REMOTE = 3
EXIT_INTERRUPTED = 130


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
