"""Where everything is: one :class:`DataLayout` answers every "where is …" question.

A data folder holds ``ontology/``, ``shapes/``, ``queries/`` (with ``checks/`` and
``network/``) and ``graph/`` (``shared/``, ``reference/``, ``sources/<slug>/``).
:meth:`DataLayout.default` finds the project's own:

* a source checkout or an editable install: the package lives in
  ``<repo>/cli/osce_kg`` and the folders are at ``<repo>/``;
* a built wheel: the folders are copied into the package as ``osce_kg/_data``;
* ``OSCE_KG_DATA`` overrides both, for a user's own copy of the data.

No other module joins folder names: they ask the layout.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns
from .errors import InputError, ParseError

_PACKAGE_DIR = Path(__file__).resolve().parent

# The RDF files osce-kg reads, by suffix (any case), and their rdflib format names.
RDF_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


@dataclass(frozen=True)
class RdfFile:
    """A file of the dataset and the named graph it belongs to."""

    path: Path
    graph: str


def rdf_files(folder: Path) -> list[Path]:
    """The RDF files directly in ``folder`` (by suffix, any case), sorted.

    Every entry with an RDF suffix that is not a folder is listed, so that a
    FIFO, a dangling link or a link loop named ``*.ttl`` is reported when it is
    read (:func:`read_regular`) instead of silently left out."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob("*") if p.suffix.lower() in RDF_SUFFIXES and not p.is_dir()
    )


def _open_regular(path: Path) -> int:
    """A read descriptor of ``path`` (blocking); InputError unless it is a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without waiting
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise InputError(f"{path}: cannot read: {reason}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a folder, not a file")
        raise InputError(f"{path}: not a regular file (a FIFO, device or socket)")
    os.set_blocking(fd, True)
    return fd


def check_regular(path: Path) -> None:
    """InputError (one line naming ``path``) unless ``path`` is a regular file that
    can be read: a missing file, a folder, a link loop, a FIFO, device or socket
    is refused before anything blocks on it.  For parsers that open the file
    themselves."""
    os.close(_open_regular(path))


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; InputError as :func:`check_regular` says."""
    with os.fdopen(_open_regular(path), "rb") as fh:
        try:
            return fh.read()
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise InputError(f"{path}: cannot read: {reason}") from None


def decode_utf8(path: Path, data: bytes) -> str:
    """``data`` (read from ``path``) as text; ParseError ``FILE:LINE:COL`` if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(str(path), line, col, "not valid UTF-8") from None


def read_text(path: Path) -> str:
    """A text file's contents: InputError if it cannot be read (see
    :func:`read_regular`), ParseError ``FILE:LINE:COL`` if it is not UTF-8."""
    return decode_utf8(path, read_regular(path))


@dataclass(frozen=True)
class DataLayout:
    """The folders and files of one data folder (``root``)."""

    root: Path

    @classmethod
    def default(cls) -> DataLayout:
        """``$OSCE_KG_DATA``, else the data shipped with osce-kg."""
        override = os.environ.get("OSCE_KG_DATA")
        if override:
            root = Path(override)
            if not (root / "ontology").is_dir():
                raise InputError(
                    f"OSCE_KG_DATA: {root} is not an osce-kg data folder (no ontology/ in it)"
                )
            return cls(root)
        bundled = _PACKAGE_DIR / "_data"
        if (bundled / "ontology").is_dir():
            return cls(bundled)
        checkout = _PACKAGE_DIR.parent.parent
        if (checkout / "ontology").is_dir():
            return cls(checkout)
        raise InputError(
            f"osce-kg data folders not found (looked in {bundled} and {checkout}); "
            "set OSCE_KG_DATA to the folder that holds ontology/ and graph/"
        )

    @property
    def is_installed(self) -> bool:
        """Whether this is the data shipped inside the installed package (read-only:
        an upgrade replaces it)."""
        return self.root.resolve() == (_PACKAGE_DIR / "_data").resolve()

    # -- folders ----------------------------------------------------------------------

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        return self.queries_dir / "checks"

    @property
    def network_queries_dir(self) -> Path:
        return self.queries_dir / "network"

    @property
    def graph_dir(self) -> Path:
        return self.root / "graph"

    @property
    def shared_dir(self) -> Path:
        return self.graph_dir / "shared"

    @property
    def reference_dir(self) -> Path:
        return self.graph_dir / "reference"

    @property
    def sources_dir(self) -> Path:
        return self.graph_dir / "sources"

    def source_dir(self, slug: str) -> Path:
        return self.sources_dir / slug

    def source_text(self, slug: str) -> Path:
        """Where a source's verbatim text is kept."""
        return self.source_dir(slug) / "source.txt"

    # -- files ------------------------------------------------------------------------

    def source_slugs(self) -> list[str]:
        """Slugs of the sources, sorted."""
        if not self.sources_dir.is_dir():
            return []
        return sorted(p.name for p in self.sources_dir.iterdir() if p.is_dir())

    def require_source(self, slug: str) -> Path:
        """The folder of source ``slug``; InputError naming the command that lists
        the sources if there is none."""
        if slug not in self.source_slugs():
            raise InputError(
                f"SLUG: no source {slug!r} in {self.sources_dir} (osce-kg source list)"
            )
        return self.source_dir(slug)

    def ontology_files(self) -> list[RdfFile]:
        return [RdfFile(p, ns.ONTOLOGY_GRAPH) for p in rdf_files(self.ontology_dir)]

    def graph_files(self) -> list[RdfFile]:
        """Every RDF file under ``graph/`` with the named graph it belongs to."""
        files = [RdfFile(p, ns.SHARED_GRAPH) for p in rdf_files(self.shared_dir)]
        files += [RdfFile(p, ns.REFERENCE_GRAPH) for p in rdf_files(self.reference_dir)]
        for slug in self.source_slugs():
            graph = ns.source_graph(slug)
            files += [RdfFile(p, graph) for p in rdf_files(self.source_dir(slug))]
        return files

    def dataset_files(self, *, ontology: bool = True, graph: bool = True) -> list[RdfFile]:
        """The files of the dataset, in a stable order: ontology, shared, reference, sources."""
        return (self.ontology_files() if ontology else []) + (self.graph_files() if graph else [])

    def fingerprint(self) -> str:
        """A digest of the dataset's files (graphs, names and bytes, source texts
        included) and of the programs that read them: the key of every store and
        cache built from this data."""
        items = [(f"{f.graph}\n{f.path.name}", f.path) for f in self.dataset_files()]
        items += [
            (f"source.txt {slug}", text)
            for slug in self.source_slugs()
            if (text := self.source_text(slug)).is_file()
        ]
        return files_digest("dataset", items)


def cache_root() -> Path:
    """Where osce-kg keeps what it can rebuild: ``$OSCE_KG_CACHE``, else
    ``$XDG_CACHE_HOME/osce-kg``, else ``~/.cache/osce-kg``."""
    explicit = os.environ.get("OSCE_KG_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "osce-kg"


def files_digest(salt: str, items: Iterable[tuple[str, Path]]) -> str:
    """SHA-256 over ``salt``, osce-kg's and pyoxigraph's versions, and each (name, file bytes).

    The key of every cache built from files: it changes when a file, a name or
    the program that built the cache changes.
    """
    import pyoxigraph  # its version, as Oxigraph's stores and parsers may change with it

    from .version import __version__

    h = hashlib.sha256(
        f"{salt}\nosce-kg {__version__}\npyoxigraph {pyoxigraph.__version__}\n".encode()
    )
    for name, path in items:
        h.update(f"{name}\n".encode())
        h.update(hashlib.sha256(read_regular(path)).digest())
    return h.hexdigest()
