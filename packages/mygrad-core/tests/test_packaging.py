"""Packaging: one version for three distributions, one ``mygrad`` namespace, layered imports.

These read the *installed* metadata, so they hold for editable installs (``nox -s tests``)
and for wheels (``nox -s wheels`` runs this file in a venv holding only the built wheels).
"""

from __future__ import annotations

import ast
import importlib.util
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import mygrad

PACKAGES_DIR = Path(__file__).resolve().parents[2]
REPO = PACKAGES_DIR.parent
SUBPACKAGE = {"mygrad-core": None, "mygrad-nnet": "nnet", "mygrad-testing": "testing"}
DISTRIBUTIONS = tuple(SUBPACKAGE)
VERSION_FILE = PACKAGES_DIR / "mygrad-core" / "src" / "mygrad" / "_version.py"
# what nnet and testing may import from core: its public API (architecture.md, principle 4)
PUBLIC_CORE_MODULES = {"mygrad", "mygrad.extend", "mygrad.errors", "mygrad.typing"}


def source_version() -> str:
    """The ``__version__`` assigned in core's _version.py, read without importing it."""
    for node in ast.parse(VERSION_FILE.read_text()).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "__version__"
        ]:
            assert isinstance(node.value, ast.Constant)
            return str(node.value.value)
    raise AssertionError(f"no `__version__ = ...` in {VERSION_FILE}")


def requirements(dist: str) -> dict[str, Requirement]:
    reqs = (Requirement(r) for r in metadata.requires(dist) or [])
    return {r.name: r for r in reqs if r.marker is None}


# --- one version --------------------------------------------------------------------------


def test_installed_versions_all_come_from_core_version_file() -> None:
    version = source_version()
    assert mygrad.__version__ == version
    installed = {dist: metadata.version(dist) for dist in DISTRIBUTIONS}
    assert installed == dict.fromkeys(DISTRIBUTIONS, version), (
        f"installed versions {installed} differ from {VERSION_FILE.name}'s {version}; "
        "reinstall the three packages"
    )


@pytest.mark.parametrize("dist", ["mygrad-nnet", "mygrad-testing"])
def test_satellites_pin_core_to_their_own_version(dist: str) -> None:
    core = requirements(dist).get("mygrad-core")
    assert core is not None, f"{dist} does not require mygrad-core: {metadata.requires(dist)}"
    assert str(core.specifier) == f"=={metadata.version(dist)}"


@pytest.mark.parametrize("dist", DISTRIBUTIONS)
def test_python_and_numpy_ranges_are_declared(dist: str) -> None:
    assert metadata.metadata(dist)["Requires-Python"] == ">=3.10"
    numpy = requirements(dist).get("numpy")
    assert numpy is not None, f"{dist} does not require numpy"
    assert {s.operator for s in numpy.specifier} == {">=", "<"}, numpy


@pytest.mark.parametrize(
    ("dist", "extra", "brings"),
    [
        ("mygrad-core", "graphviz", {"graphviz"}),
        ("mygrad-nnet", "demo", {"tqdm", "matplotlib", "scikit-learn"}),
    ],
)
def test_optional_extras_are_declared(dist: str, extra: str, brings: set[str]) -> None:
    assert extra in (metadata.metadata(dist).get_all("Provides-Extra") or [])
    reqs = (Requirement(r) for r in metadata.requires(dist) or [])
    in_extra = {
        r.name for r in reqs if r.marker is not None and r.marker.evaluate({"extra": extra})
    }
    assert in_extra == brings


# --- one namespace ------------------------------------------------------------------------


def test_only_core_ships_mygrad_init() -> None:
    for dist, sub in SUBPACKAGE.items():
        src_mygrad = PACKAGES_DIR / dist / "src" / "mygrad"
        assert (src_mygrad / "__init__.py").is_file() == (sub is None), dist
        if sub is not None:
            entries = sorted(p.name for p in src_mygrad.iterdir() if p.name != "__pycache__")
            assert entries == [sub], f"{dist}: src/mygrad may hold only {sub}/, found {entries}"


def test_subpackages_are_found_through_the_extended_path() -> None:
    # core's __init__ extends mygrad.__path__, so each subpackage's parent is on it
    for sub in ("nnet", "testing"):
        spec = importlib.util.find_spec(f"mygrad.{sub}")
        assert spec is not None and spec.origin is not None
        parent = Path(spec.origin).resolve().parent.parent
        assert parent in {Path(p).resolve() for p in mygrad.__path__}, (sub, mygrad.__path__)


def test_license_copies_match_the_repository_license() -> None:
    license_text = (REPO / "LICENSE").read_text()
    for dist in DISTRIBUTIONS:
        assert (PACKAGES_DIR / dist / "LICENSE").read_text() == license_text, dist


# --- layered imports ----------------------------------------------------------------------


def imports(path: Path, module: str) -> list[tuple[int, str, str | None]]:
    """(line, absolute module, imported name or None) for every import in a file.

    Relative imports are resolved against ``module``, the file's own dotted name.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            relative = "." * node.level + (node.module or "")
            base = importlib.util.resolve_name(relative, package).rstrip(".")
            found += [(node.lineno, base, alias.name) for alias in node.names]
    return found


def crosses_boundary(sub: str | None, module: str, name: str | None) -> bool:
    """Whether importing ``name`` from ``module`` breaks the layering for package ``sub``.

    Core (``sub`` None) may not import nnet or testing. nnet and testing may import their
    own modules, and public names of core's public modules, nothing private (``mygrad._*``).
    """
    full = module if name is None else f"{module}.{name}"
    if not (full == "mygrad" or full.startswith("mygrad.")):
        return False
    if sub is None:
        return full.startswith(("mygrad.nnet", "mygrad.testing"))
    if module == f"mygrad.{sub}" or module.startswith(f"mygrad.{sub}."):
        return False
    if full == f"mygrad.{sub}" or full.startswith(f"mygrad.{sub}."):
        return False
    if name is None:
        return module not in PUBLIC_CORE_MODULES
    return module not in PUBLIC_CORE_MODULES or name.startswith("_")


def source_files(dist: str) -> list[tuple[Path, str]]:
    """Each .py file of a distribution's src tree with its dotted module name."""
    src = PACKAGES_DIR / dist / "src"
    return [
        (f, ".".join(f.relative_to(src).with_suffix("").parts).removesuffix(".__init__"))
        for f in sorted(src.rglob("*.py"))
    ]


def boundary_violations(dist: str) -> list[str]:
    return [
        f"{path.relative_to(REPO)}:{line}: imports {module}" + (f" {name}" if name else "")
        for path, dotted in source_files(dist)
        for line, module, name in imports(path, dotted)
        if crosses_boundary(SUBPACKAGE[dist], module, name)
    ]


@pytest.mark.parametrize("dist", ["mygrad-nnet", "mygrad-testing"])
def test_satellites_use_only_the_public_core_api(dist: str) -> None:
    violations = boundary_violations(dist)
    assert not violations, "import only mygrad / mygrad.extend, never mygrad._*:\n" + "\n".join(
        violations
    )


def test_core_never_imports_nnet_or_testing() -> None:
    violations = boundary_violations("mygrad-core")
    assert not violations, "core must not depend on nnet or testing:\n" + "\n".join(violations)


def test_the_boundary_scan_catches_each_way_into_core_internals(tmp_path: Path) -> None:
    layer = tmp_path / "layer.py"
    layer.write_text(
        "import mygrad._op\n"
        "from mygrad import _graph, tensor\n"
        "from ... import _tensor\n"
        "from ...ops.math import arithmetic\n"
        "import mygrad.testing\n"
        "from mygrad.extend import defop\n"
        "from ..activations import relu\n"
        "import numpy as np\n"
    )
    found = imports(layer, "mygrad.nnet.layers.layer")
    flagged = [(m, n) for _, m, n in found if crosses_boundary("nnet", m, n)]
    assert flagged == [
        ("mygrad._op", None),
        ("mygrad", "_graph"),
        ("mygrad", "_tensor"),
        ("mygrad.ops.math", "arithmetic"),
        ("mygrad.testing", None),
    ]
    assert [(m, n) for _, m, n in found if crosses_boundary(None, m, n)] == [
        ("mygrad.testing", None),
        ("mygrad.nnet.activations", "relu"),
    ]
