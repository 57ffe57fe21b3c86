"""``osce-kg init``: a workspace, the folder where a user grows the graph.

A workspace holds its own ``graph/sources/``, ``graph/shared/``, ``queries/``
and ``shapes/`` and an ``osce-kg.toml`` naming its base (the data shipped with
osce-kg, by default).  The base stays read-only below it: the workspace's
sources may refer to the base's entities by IRI (``id:person/knut-dreyer``),
its queries and shapes add to the base's.  See :mod:`osce_kg.layout`.
"""

from __future__ import annotations

from pathlib import Path

from .atomic import OutputError, atomic_directory, atomic_write_text
from .errors import InputError
from .layout import SHIPPED_BASE, WORKSPACE_FILE, DataLayout, find_workspace
from .textfiles import first_non_folder

CONFIG = f"""\
# An osce-kg workspace (osce-kg init).  Commands run in this folder or below it
# use it; elsewhere, give --data {{folder}} or set OSCE_KG_DATA.
[workspace]
# What this workspace builds on: "{SHIPPED_BASE}" is the ontology, shapes,
# stored queries and seed article shipped with osce-kg (read-only); a path is
# another workspace or data folder, relative to this file.
base = "{SHIPPED_BASE}"
"""

README = """\
# osce-kg workspace

- `graph/sources/<slug>/`: one folder per source (`osce-kg source add`), with
  its verbatim text, metadata, facts and annotations (`osce-kg annotate`).
- `graph/shared/`: entities several of your sources mention.  The base's
  entities (persons, organisations, places of the seed article) are there
  already: refer to them by IRI.
- `queries/`: your stored SPARQL queries (`*.rq`), beside the base's;
  `queries/checks/*-violation.rq` adds SPARQL checks to `osce-kg validate`.
- `shapes/`: SHACL shapes (`*.ttl`) added to the base's.

`osce-kg validate`, `osce-kg build`, `osce-kg query run …` see the base and
this workspace together.
"""

GITIGNORE = ".osce-kg-cache/\ndist/\n"

FOLDERS = ("graph/sources", "graph/shared", "queries/checks", "shapes")


def _fill(folder: Path) -> None:
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(README, encoding="utf-8")
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")


def init_workspace(root: Path) -> Path:
    """Make ``root`` a workspace on the shipped data; returns its folder.

    A new folder appears whole (built beside, then renamed in); in a folder that
    exists (empty, the working directory, or holding other files), the missing
    folders are added and ``osce-kg.toml`` is written last, so a workspace is
    never half made and the folder itself is never replaced.
    InputError (exit 2) when ``root`` is, or lies under, a file, is a workspace
    already, or is the installed package's data."""
    blocker = root if root.exists() and not root.is_dir() else first_non_folder(root)
    if blocker is not None:
        raise InputError(f"DIR: {blocker} is a file, not a folder")
    if (root / WORKSPACE_FILE).exists():
        raise InputError(f"DIR: {root} is a workspace already ({root / WORKSPACE_FILE})")
    shipped = DataLayout.shipped()
    if shipped.is_installed:
        where = root.resolve()
        inside = shipped.root.resolve()
        if where == inside or inside in where.parents:
            raise InputError(f"DIR: {root} is inside the installed package; choose another folder")
    config = CONFIG.format(folder=root)
    try:
        if not root.exists():
            with atomic_directory(root) as tmp:
                _fill(tmp)
                (tmp / WORKSPACE_FILE).write_text(config, encoding="utf-8")
            return root
        for name in FOLDERS:
            (root / name).mkdir(parents=True, exist_ok=True)
        for name, text in (("README.md", README), (".gitignore", GITIGNORE)):
            if not (root / name).exists():
                atomic_write_text(root / name, text)
    except OSError as exc:
        raise OutputError(f"{root}: cannot write: {(exc.strerror or str(exc)).lower()}") from None
    atomic_write_text(root / WORKSPACE_FILE, config)
    return root


__all__ = ["find_workspace", "init_workspace"]
