"""Shared checks for the network tests: GEXF schemas and graphology-gexf in node.

* XSD: the official ``gexf.xsd`` 1.3, unmodified, applied to the document
  without its ``viz:`` elements — the XSD's ``viz.xsd`` has no target
  namespace (see ../shared/gexf-xsd/SOURCE.md), so it rejects every correct
  ``viz:*`` element;
* RELAX NG: the official ``.rnc`` sources (correct for ``viz:``), converted
  to ``.rng`` by ``trang`` (Debian package, installed by .ci/run), read by
  lxml — the whole document, ``viz:`` included;
* graphology-gexf: ``tests/js/parse_gexf.mjs`` in node, many files per run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GEXF_SPEC = SHARED / "gexf-xsd" / "1.3"
JS_DIR = REPO / "tests" / "js"
VIZ_NS = "http://gexf.net/1.3/viz"


class GexfSchemas:
    """The official GEXF 1.3 schemas as lxml validators."""

    def __init__(self, work: Path) -> None:
        if not GEXF_SPEC.is_dir():
            pytest.skip("../shared/ not present (GEXF schemas)")
        self.xsd = etree.XMLSchema(etree.parse(str(GEXF_SPEC / "gexf.xsd")))
        trang = shutil.which("trang")
        if trang is None:
            message = "trang not installed (Debian package trang; .ci/run installs it)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        for name in ("gexf", "dynamics", "viz"):
            shutil.copy(GEXF_SPEC / f"{name}.rnc", work / f"{name}.rnc")
        subprocess.run(
            [trang, "-I", "rnc", "-O", "rng", str(work / "gexf.rnc"), str(work / "gexf.rng")],
            check=True,
            capture_output=True,
        )
        self.rng = etree.RelaxNG(etree.parse(str(work / "gexf.rng")))

    def errors(self, path: Path) -> list[str]:
        """Every schema error of the GEXF file at ``path`` (empty = valid)."""
        problems: list[str] = []
        doc = etree.parse(str(path))
        if not self.rng.validate(doc):
            problems += [f"RNG {e.line}: {e.message}" for e in self.rng.error_log]
        stripped = etree.parse(str(path))
        for el in list(stripped.iter()):
            if isinstance(el.tag, str) and el.tag.startswith(f"{{{VIZ_NS}}}"):
                parent = el.getparent()
                assert parent is not None
                parent.remove(el)
        if not self.xsd.validate(stripped):
            problems += [f"XSD {e.line}: {e.message}" for e in self.xsd.error_log]
        return problems


def graphology_parse(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Parse GEXF files with graphology-gexf (one node run); results by file path."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (an optional platform; .ci/run installs it)")
    if not (JS_DIR / "node_modules" / "graphology-gexf").is_dir():
        pytest.fail("graphology-gexf missing: run `npm install` in tests/js (.ci/run does)")
    if not paths:
        return {}
    done = subprocess.run(
        [node, str(JS_DIR / "parse_gexf.mjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    )
    # split on "\n" only: str.splitlines() would also split inside U+2028 or U+0085.
    results = [json.loads(line) for line in done.stdout.split("\n") if line.strip()]
    return {r["file"]: r for r in results}
