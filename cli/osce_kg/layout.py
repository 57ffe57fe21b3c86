"""Where everything is: one :class:`DataLayout` answers every "where is …" question.

A data folder holds ``ontology/``, ``shapes/``, ``queries/`` (with ``checks/`` and
``network/``) and ``graph/`` (``shared/``, ``reference/``, ``sources/<slug>/``).
The project's own data folder is found where osce-kg is installed:

* a source checkout or an editable install: the package lives in
  ``<repo>/cli/osce_kg`` and the folders are at ``<repo>/``;
* a built wheel: the folders are copied into the package as ``osce_kg/_data``.

A **workspace** (``osce-kg init DIR``) is a folder with an ``osce-kg.toml`` that
names its base, the shipped data by default.  The base is a read-only layer
below the workspace: every list of files (ontology, shapes, queries, checks,
graphs, sources) is the base's followed by the workspace's own, and osce-kg
writes only into the workspace.  Commands use, in this order, ``--data DIR``
or ``$OSCE_KG_DATA``, the workspace that holds the working directory (found
the way git finds a repository), and the shipped data.

No other module joins folder names: they ask the layout.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import namespaces as ns
from .errors import DataError, InputError, ParseError
from .textfiles import first_non_folder, read_regular, read_text

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


WORKSPACE_FILE = "osce-kg.toml"

# The base a workspace names to build on the data shipped with osce-kg.
SHIPPED_BASE = "osce-kg"


def _shipped_root() -> Path:
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "ontology").is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise InputError(
        f"osce-kg data folders not found (looked in {bundled} and {checkout}); "
        "reinstall osce-kg, or give --data DIR"
    )


def find_workspace(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds an ``osce-kg.toml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder
    return None


def read_config(root: Path) -> dict[str, str]:
    """The ``[workspace]`` table of ``root/osce-kg.toml``: ParseError
    ``FILE:LINE:COL`` when it is not TOML, InputError for an unknown key."""
    import tomllib

    path = root / WORKSPACE_FILE
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m[1]), int(m[2])) if m else (1, 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ParseError(str(path), line, col, message) from None
    unknown = sorted(set(data) - {"workspace"})
    table = data.get("workspace", {})
    if unknown or not isinstance(table, dict):
        raise InputError(
            f"{path}: unknown table {(unknown or ['workspace'])[0]!r} (see osce-kg init)"
        )
    config: dict[str, str] = {"base": SHIPPED_BASE}
    for key, value in table.items():
        if key not in config:
            raise InputError(f"{path}: unknown key workspace.{key} (known: base)")
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{path}: workspace.{key} must be a non-empty string")
        config[key] = value
    return config


@dataclass(frozen=True)
class DataLayout:
    """The folders and files of one data folder (``root``), above its ``base`` if it
    is a workspace."""

    root: Path
    base: DataLayout | None = None

    @classmethod
    def shipped(cls) -> DataLayout:
        """The data shipped with osce-kg (read-only once installed)."""
        return cls(_shipped_root())

    @classmethod
    def open(cls, root: Path, param: str = "--data", *, _seen: tuple[Path, ...] = ()) -> DataLayout:
        """The workspace or data folder at ``root``: InputError (exit 2) naming
        ``param`` when it is missing, a file, or neither (no ``osce-kg.toml``, no
        ``ontology/``), so an empty folder is never read as an empty graph."""
        if not root.exists():
            blocker = first_non_folder(root)
            if blocker is not None:
                raise InputError(f"{param}: {root}: {blocker} is not a folder")
            raise InputError(
                f"{param}: {root}: no such folder (make a workspace with osce-kg init)"
            )
        if not root.is_dir():
            raise InputError(f"{param}: {root} is a file, not an osce-kg workspace")
        if (root / WORKSPACE_FILE).is_file():
            base_name = read_config(root)["base"]
            if base_name == SHIPPED_BASE:
                base = cls.shipped()
            else:
                where = (root / base_name).resolve()
                if where in _seen or where == root.resolve():
                    raise InputError(
                        f"{root / WORKSPACE_FILE}: workspace.base leads back to {where}"
                    )
                base = cls.open(
                    where,
                    f"{root / WORKSPACE_FILE}: workspace.base",
                    _seen=(*_seen, root.resolve()),
                )
            return cls(root, base)
        if (root / "ontology").is_dir():
            return cls(root)
        raise InputError(
            f"{param}: {root} is not an osce-kg workspace (no {WORKSPACE_FILE}); "
            "make one with osce-kg init DIR"
        )

    @classmethod
    def default(cls) -> DataLayout:
        """``$OSCE_KG_DATA`` (``--data`` sets it), else the workspace that holds the
        working directory, else the data shipped with osce-kg."""
        override = os.environ.get("OSCE_KG_DATA")
        if override:
            return cls.open(Path(override), "OSCE_KG_DATA")
        found = find_workspace(Path.cwd())
        if found is not None:
            return cls.open(found, str(found / WORKSPACE_FILE))
        return cls.shipped()

    @property
    def layers(self) -> tuple[DataLayout, ...]:
        """The base's layers (bottom first), then this folder's own (without base)."""
        own = DataLayout(self.root)
        return (*self.base.layers, own) if self.base is not None else (own,)

    @property
    def is_workspace(self) -> bool:
        return (self.root / WORKSPACE_FILE).is_file()

    @property
    def is_installed(self) -> bool:
        """Whether this is the data shipped inside the installed package (read-only:
        an upgrade replaces it)."""
        return self.root.resolve() == (_PACKAGE_DIR / "_data").resolve()

    def writable(self, target: Path, what: str) -> Path:
        """``target``, if osce-kg may write it: InputError naming ``osce-kg init``
        when it lies in the installed package or in a workspace's base layer."""
        where = target.resolve()
        for layer in self.layers:
            inside = where == layer.root.resolve() or layer.root.resolve() in where.parents
            if inside and (layer.is_installed or layer.root != self.root):
                kind = "the installed package" if layer.is_installed else "the workspace's base"
                raise InputError(
                    f"{what}: {target} is in {kind}, which osce-kg never changes; "
                    "make a workspace with osce-kg init DIR and work there"
                )
        return target

    def relative(self, path: Path) -> str:
        """``path`` relative to the layer it belongs to (POSIX), else as given."""
        where = path.resolve()
        for layer in reversed(self.layers):
            try:
                return where.relative_to(layer.root.resolve()).as_posix()
            except ValueError:
                continue
        return str(path)

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

    @property
    def shapes_dirs(self) -> list[Path]:
        """Every layer's ``shapes/``, base first."""
        return [layer.shapes_dir for layer in self.layers]

    @property
    def queries_dirs(self) -> list[Path]:
        return [layer.queries_dir for layer in self.layers]

    @property
    def checks_dirs(self) -> list[Path]:
        return [layer.checks_dir for layer in self.layers]

    @property
    def network_queries_dirs(self) -> list[Path]:
        return [layer.network_queries_dir for layer in self.layers]

    def source_dir(self, slug: str) -> Path:
        """The folder of source ``slug``: the layer's that holds it, else where
        this folder would hold a new one."""
        for layer in reversed(self.layers):
            folder = layer.sources_dir / slug
            if folder.is_dir():
                return folder
        return self.sources_dir / slug

    def source_text(self, slug: str) -> Path:
        """Where a source's verbatim text is kept."""
        return self.source_dir(slug) / "source.txt"

    # -- files ------------------------------------------------------------------------

    def source_slugs(self) -> list[str]:
        """Slugs of the sources of every layer, sorted; DataError if two layers
        hold a source of the same slug (one named graph each)."""
        seen: dict[str, Path] = {}
        for layer in self.layers:
            if not layer.sources_dir.is_dir():
                continue
            for p in layer.sources_dir.iterdir():
                if not p.is_dir():
                    continue
                if p.name in seen:
                    raise DataError(f"{p}: source {p.name!r} is in {seen[p.name].parent} too")
                seen[p.name] = p
        return sorted(seen)

    def require_source(self, slug: str) -> Path:
        """The folder of source ``slug``; InputError naming the command that lists
        the sources if there is none."""
        if slug not in self.source_slugs():
            raise InputError(
                f"SLUG: no source {slug!r} in {self.sources_dir} (osce-kg source list)"
            )
        return self.source_dir(slug)

    def ontology_files(self) -> list[RdfFile]:
        return [
            RdfFile(p, ns.ONTOLOGY_GRAPH)
            for layer in self.layers
            for p in rdf_files(layer.ontology_dir)
        ]

    def graph_files(self) -> list[RdfFile]:
        """Every RDF file under each layer's ``graph/`` with the named graph it belongs to."""
        files = [
            RdfFile(p, ns.SHARED_GRAPH)
            for layer in self.layers
            for p in rdf_files(layer.shared_dir)
        ]
        files += [
            RdfFile(p, ns.REFERENCE_GRAPH)
            for layer in self.layers
            for p in rdf_files(layer.reference_dir)
        ]
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
    """SHA-256 over ``salt``, osce-kg's version and code (:func:`.version.code_version`),
    pyoxigraph's version, and each (name, file bytes).

    The key of every cache built from files: it changes when a file, a name or
    the program that built the cache changes.
    """
    import pyoxigraph  # its version, as Oxigraph's stores and parsers may change with it

    from .version import code_version

    h = hashlib.sha256(
        f"{salt}\nosce-kg {code_version()}\npyoxigraph {pyoxigraph.__version__}\n".encode()
    )
    for name, path in items:
        h.update(f"{name}\n".encode())
        h.update(hashlib.sha256(read_regular(path)).digest())
    return h.hexdigest()
