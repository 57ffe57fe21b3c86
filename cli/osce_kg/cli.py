"""The ``osce-kg`` command line: one click group, a flat list of small commands.

Each command lives in :mod:`osce_kg.commands` and is imported only when it runs,
so ``osce-kg --help`` loads neither rdflib nor networkx.  Library errors
(:mod:`osce_kg.errors`) become one line on stderr and a documented exit code.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    OsceKgError,
    exit_codes_epilog,
    one_line,
    os_error_line,
)
from .version import __version__

# name -> "module:attribute" under osce_kg.commands; a command whose module is
# absent (a trimmed install) is simply not listed.
COMMANDS: dict[str, str] = {
    "annotate": "annotate:annotate",
    "build": "build:build",
    "init": "init:init",
    "load": "endpoint:load",
    "network": "network:network",
    "query": "query:query",
    "search": "search:search",
    "serve": "endpoint:serve",
    "show": "show:show",
    "source": "source:source",
    "stats": "stats:stats",
    "validate": "validate:validate",
}

EPILOG = exit_codes_epilog()


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, target in COMMANDS.items() if _module_exists(target))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _module_exists(target):
            return None
        module_name, attr = target.split(":")
        module = importlib.import_module(f"osce_kg.commands.{module_name}")
        command: click.Command = getattr(module, attr)
        return command


def _module_exists(target: str) -> bool:
    module_name = target.split(":")[0]
    return importlib.util.find_spec(f"osce_kg.commands.{module_name}") is not None


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="osce-kg")
@click.option(
    "--data",
    metavar="DIR",
    type=click.Path(path_type=Path),
    default=None,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: use_data(ctx, value),
    help="The workspace (osce-kg init) or data folder to use; default: $OSCE_KG_DATA, "
    "else the workspace around the working directory, else the shipped data.",
)
def cli() -> None:
    """Build, validate, query, analyse and export the osce-kg knowledge graph.

    The graph is read from a workspace (osce-kg init DIR), which adds its own
    sources, queries and shapes to the data shipped with osce-kg, into an
    embedded store; commands that read it accept --endpoint URL to use a
    SPARQL 1.1 server instead.
    """


def use_data(ctx: click.Context, value: Path | None) -> None:
    """``--data DIR``: checked at once (exit 2 if it is not a workspace or data
    folder), then used as ``$OSCE_KG_DATA`` for this command and the processes
    it starts."""
    if value is None:
        return
    from .layout import DataLayout

    DataLayout.open(value, "--data")
    previous = os.environ.get("OSCE_KG_DATA")
    os.environ["OSCE_KG_DATA"] = str(value.absolute())

    def restore() -> None:
        if previous is None:
            os.environ.pop("OSCE_KG_DATA", None)
        else:
            os.environ["OSCE_KG_DATA"] = previous

    ctx.call_on_close(restore)


def click_error_line(exc: click.ClickException) -> str:
    """click's usage error (usage, hint, error: three lines) as one line:
    ``osce-kg network export: Missing option '--format' ... (see --help)``."""
    message = one_line(exc.format_message(), 400)
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        return f"{ctx.command_path}: {message} (see {ctx.command_path} --help)"
    return f"osce-kg: {message}"


class _WarningLine(logging.Handler):
    """The library's warnings (``osce_kg.*`` loggers) as ``warning: ...`` lines
    on the standard error of the moment."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"warning: {one_line(record.getMessage(), 400)}", err=True)


def _show_warnings() -> None:
    logger = logging.getLogger("osce_kg")
    if not any(isinstance(h, _WarningLine) for h in logger.handlers):
        logger.addHandler(_WarningLine(logging.WARNING))
        logger.propagate = False


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, mapping errors to one line and an exit code."""
    _show_warnings()
    try:
        rv = cli.main(args=argv, prog_name="osce-kg", standalone_mode=False)
    except OsceKgError as exc:
        # One line, whatever a file name or a server put into the message.
        click.echo(one_line(str(exc), 2000), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        click.echo(click_error_line(exc), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): end quietly.
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:
        # A file the command had to read or write, outside the paths that
        # report their own errors (a cache folder under a file, a full disk).
        click.echo(os_error_line(exc), err=True)
        sys.exit(EXIT_USAGE)
    except RecursionError:
        click.echo("the input nests too deeply to be processed", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        # A bug: one line, the internal exit code; the trace on request.
        if os.environ.get("OSCE_KG_DEBUG"):
            raise
        name = type(exc).__name__
        click.echo(
            f"internal error: {name}: {one_line(str(exc))} "
            "(please report it; OSCE_KG_DEBUG=1 shows the trace)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    if isinstance(rv, int) and rv != 0:
        sys.exit(rv)
    return None


if __name__ == "__main__":  # pragma: no cover
    main()
