"""``osce-kg build``: everything a user takes away, in one folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import DataError, InputError
from .options import endpoint_graph_option, endpoint_options

if TYPE_CHECKING:
    from ..build.pipeline import Progress


@contextmanager
def terminal_progress(enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when ``enabled`` (stderr is a terminal), else nothing."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as ProgressBar

    with ProgressBar(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("Building", total=None)

        def update(label: str, done: int, total: int) -> None:
            # refresh=True: show every stage, however quickly it ends.
            bar.update(task, description=label, completed=done, total=total, refresh=True)

        yield update


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="The folder to build into; it is replaced whole, only if the build succeeds "
    "(a non-empty folder that osce-kg did not build is refused).",
)
@click.option(
    "--no-validate",
    is_flag=True,
    help="Build even if the data does not conform (the report says it was not validated).",
)
@click.option(
    "--site-url",
    metavar="URL",
    default=None,
    help="Where site/ will be published (http or https), for its w3id.org redirect rules.",
)
@endpoint_graph_option
@endpoint_options(
    envvar=None,
    help="Make only the query results and networks, from this SPARQL 1.1 endpoint "
    "(a corpus loaded there with `osce-kg load`)",
)
def build(
    output: Path,
    no_validate: bool,
    site_url: str | None,
    endpoint: str | None,
    timeout: float,
    retries: int,
    endpoint_graph: tuple[str, ...],
) -> None:
    """Build the dataset, validation report, query results, networks, ontology
    documentation and the HTML report into one folder.

    The build runs in a temporary folder that replaces the output folder only
    when every step has succeeded: a failed or interrupted build leaves the
    previous output as it was.  Two builds of the same data give identical
    files, apart from the build-time line of index.html (set
    SOURCE_DATE_EPOCH to fix that too).  A validation violation fails the
    build (exit 1) unless --no-validate is given.

    With --endpoint, only the outputs that read the graph through queries
    (queries/ and networks/) are made, from the server; the dataset,
    validation report, ontology documentation and HTML report come from the
    local files, so they are not made.

    \b
    Example:
        osce-kg build
        osce-kg build -o public/ --no-validate
        python -m http.server -d dist   # then open http://127.0.0.1:8000/
        osce-kg build -o exports/ --endpoint http://127.0.0.1:7878/query
    """
    if endpoint is not None and no_validate:
        raise InputError("--no-validate: a build from --endpoint validates nothing")
    try:
        from ..build.pipeline import BuildOptions
        from ..build.pipeline import build as run_build
        from ..specs import StoreSpec

        source = (
            None
            if endpoint is None
            else StoreSpec(None, endpoint, timeout, retries, endpoint_graph)
        )
        if site_url is not None:
            from ..endpoint import check_url

            check_url(site_url, "--site-url")
        options = BuildOptions(output, not no_validate, source=source, site_url=site_url)
        with terminal_progress(sys.stderr.isatty()) as progress:
            result = run_build(options, progress)
    except ModuleNotFoundError as exc:
        # Every part of the build is a dependency of osce-kg; one that is
        # missing is a broken installation: say which, in one line (exit 2).
        raise DataError(
            f"cannot build: the Python package {exc.name or exc} is missing from this "
            "installation (reinstall osce-kg with its dependencies)"
        ) from None
    if result.triples is None:
        click.echo(
            f"built {result.output}/ ({len(result.files)} files: the stored queries' answers "
            f"and the networks, from {endpoint})"
        )
        return
    status = result.validation
    checked = (
        "not validated"
        if not status.ran
        else ("conforms" if status.conforms else "does not conform")
    )
    click.echo(
        f"built {result.output}/ ({len(result.files)} files, {result.triples} triples, {checked}); "
        f"open {result.output / 'index.html'}"
    )
