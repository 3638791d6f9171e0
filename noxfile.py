"""Development sessions. ``nox -s tests`` is what CI runs (``.ci/run``).

    nox -s tests      all packages' tests, the downstream example, README/docstring doctests
    nox -s demo       the main job: examples/differentiate_numpy.py
    nox -s lint       ruff
    nox -s types      mypy on mygrad-core
    nox -s wheels     build the three wheels, check their contents, install them fresh
    nox -s certify    certify every registered op and print the table
    nox -s bench      per-op overhead against a NumPy floor and upstream mygrad 2.5.0
    nox -s docs       build the documentation site (warnings are errors), check it in Chromium
    nox -s tests-matrix   the tests on Python 3.10-3.13 x the oldest and newest NumPy

Arguments after ``--`` go to the session's main command (``nox -s tests -- -k where``).
Every install is pinned by constraints.txt.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "types", "tests"]

ROOT = Path(__file__).resolve().parent
CONSTRAINTS = str(ROOT / "constraints.txt")
DISTRIBUTIONS = ("mygrad-core", "mygrad-nnet", "mygrad-testing")
PACKAGES = {name: ROOT / "packages" / name for name in DISTRIBUTIONS}
DOWNSTREAM = ROOT / "examples" / "downstream"
# graphviz: the graph-visualisation tests render for real (with Debian's `dot`, see .ci/run)
TEST_TOOLS = ("pytest", "pytest-xdist", "hypothesis", "graphviz")
# two workers (the machine's cores); worksteal evens out items of very different cost
PYTEST_PARALLEL = ("-n", "2", "--dist", "worksteal")
UPSTREAM_MYGRAD = "mygrad==2.5.0"


def install_editable(session: nox.Session, *extra: str) -> None:
    """All three packages editable, in ONE pip command so mygrad-core resolves locally."""
    editables = [arg for path in PACKAGES.values() for arg in ("-e", str(path))]
    session.install("-c", CONSTRAINTS, *editables, *extra)


@nox.session
def tests(session: nox.Session) -> None:
    """pytest over every testpath in pyproject.toml, on two workers."""
    downstream = ["-e", str(DOWNSTREAM)] if (DOWNSTREAM / "pyproject.toml").is_file() else []
    install_editable(session, *TEST_TOOLS, *downstream)
    # MYGRAD_PROFILE and CI pass through from the caller; conftest.py picks the profile
    args = (*PYTEST_PARALLEL, "--durations=25", *session.posargs)
    session.run("pytest", *args, env={"PYTHONHASHSEED": "0"})


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, configured in pyproject.toml."""
    session.install("-c", CONSTRAINTS, "ruff")
    session.run("ruff", "check", *(session.posargs or ["."]))


@nox.session
def types(session: nox.Session) -> None:
    """mypy on mygrad-core; the search path in pyproject.toml covers all three src trees."""
    session.install("-c", CONSTRAINTS, "mypy", "numpy")
    session.run("mypy", *(session.posargs or ["-p", "mygrad"]))


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: train a small conv net on the 8x8 digits bundled with scikit-learn."""
    editables = [arg for path in PACKAGES.values() for arg in ("-e", str(path))]
    nnet = editables.index(str(PACKAGES["mygrad-nnet"]))
    editables[nnet] += "[demo]"
    session.install("-c", CONSTRAINTS, *editables)
    demo_script = ROOT / "examples" / "nnet_demo" / "train_digits.py"
    session.run("python", str(demo_script), *session.posargs)


# --- wheels -------------------------------------------------------------------------------

MODULE_OF = {
    "mygrad-core": "mygrad",
    "mygrad-nnet": "mygrad.nnet",
    "mygrad-testing": "mygrad.testing",
}

# each distribution installed as a wheel or editable; every mix must import
INSTALL_MIXES = {
    "wheels": ("wheel", "wheel", "wheel"),
    "core-wheel": ("wheel", "editable", "editable"),
    "core-editable": ("editable", "wheel", "wheel"),
}

# argv: module=directory pairs; each module must be imported from under its directory
IMPORTS_FROM = """
import importlib, sys
for pair in sys.argv[1:]:
    name, where = pair.split("=", 1)
    module = importlib.import_module(name)
    print(f"  {name:15} from {module.__file__}")
    assert module.__file__.startswith(where), f"{name} is not imported from {where}"
"""

NNET_MISSING = """
import mygrad, mygrad.testing
try:
    import mygrad.nnet
except ModuleNotFoundError as error:
    assert "mygrad-nnet" in str(error), f"the error does not name the distribution: {error}"
    print(f"  import mygrad.nnet -> ModuleNotFoundError: {error}")
else:
    raise AssertionError("mygrad.nnet still imports after uninstalling mygrad-nnet")
"""


def check_wheel_contents(wheels: dict[str, Path]) -> None:
    """Only core ships mygrad/__init__.py; nnet and testing ship only their subpackage."""
    for dist, wheel in wheels.items():
        names = zipfile.ZipFile(wheel).namelist()
        own = MODULE_OF[dist].replace(".", "/") + "/"
        payload = [n for n in names if ".dist-info/" not in n]
        stray = [n for n in payload if not n.startswith(own)]
        if stray or not payload:
            raise AssertionError(f"{wheel.name}: files outside {own}: {stray or 'none inside'}")
        ships_init = "mygrad/__init__.py" in names
        if ships_init != (dist == "mygrad-core"):
            raise AssertionError(f"{wheel.name}: ships mygrad/__init__.py = {ships_init}")


def fresh_venv(session: nox.Session, path: Path, *install: str) -> Path:
    """A new venv at ``path`` with ``install`` installed in one pip command; its python."""
    shutil.rmtree(path, ignore_errors=True)
    session.run("python", "-m", "venv", str(path))
    python = path / "bin" / "python"
    pip_install = (str(python), "-m", "pip", "install", "-q", "-c", CONSTRAINTS)
    session.run(*pip_install, *install, external=True)
    return python


@nox.session
def wheels(session: nox.Session) -> None:
    """Build the three wheels, check their files, and import them in every install mix."""
    tmp = Path(session.create_tmp()).resolve()
    dist = tmp / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    sources = [str(path) for path in PACKAGES.values()]
    session.run("python", "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), *sources)
    built = {name: next(dist.glob(f"{name.replace('-', '_')}-*.whl")) for name in PACKAGES}
    check_wheel_contents(built)
    session.log("wheel contents ok: only mygrad-core ships mygrad/__init__.py")

    with session.chdir(tmp):  # keep the checkout off sys.path
        for mix, kinds in INSTALL_MIXES.items():
            venv = tmp / f"venv-{mix}"
            install: list[str] = []
            expected: list[str] = []
            for (name, path), kind in zip(PACKAGES.items(), kinds):
                install += [str(built[name])] if kind == "wheel" else ["-e", str(path)]
                where = venv if kind == "wheel" else path / "src"
                expected.append(f"{MODULE_OF[name]}={where}")
            described = ", ".join(f"{n} {k}" for n, k in zip(PACKAGES, kinds))
            session.log(f"install mix {mix}: {described}")
            python = fresh_venv(session, venv, *install)
            session.run(str(python), "-c", IMPORTS_FROM, *expected, external=True)

        python = str(tmp / "venv-wheels" / "bin" / "python")
        # the packaging tests again, now reading the installed wheels' metadata
        test_file = ROOT / "packages" / "mygrad-core" / "tests" / "test_packaging.py"
        pytest_args = ("-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), str(test_file))
        session.run(python, "-m", "pytest", *pytest_args, external=True)
        session.run(python, "-m", "pip", "uninstall", "-q", "-y", "mygrad-nnet", external=True)
        session.run(python, "-c", NNET_MISSING, external=True)


# --- certify, bench -----------------------------------------------------------------------

# where the harness's command line may live, most likely first
CERTIFY_CLI_MODULES = (
    "mygrad.testing.certify",
    "mygrad.testing.certify.cli",
    "mygrad.testing.certify.table",
    "mygrad.testing.certify.report",
)

FIND_RUNNABLE = """
import importlib.util, sys
def runnable(name):
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        return False
    if spec is None:
        return False
    if spec.submodule_search_locations is None:
        return True
    try:
        return importlib.util.find_spec(name + ".__main__") is not None
    except ImportError:
        return False
print(next((name for name in sys.argv[1:] if runnable(name)), ""))
"""


@nox.session
def certify(session: nox.Session) -> None:
    """Certify every registered op with mygrad.testing and print the table."""
    install_editable(session, *TEST_TOOLS)
    env = {"PYTHONHASHSEED": "0"}
    found = session.run("python", "-c", FIND_RUNNABLE, *CERTIFY_CLI_MODULES, silent=True)
    module = (found or "").strip()
    if module:
        usage = session.run("python", "-m", module, "--help", silent=True) or ""
        table = ["--table"] if "--table" in usage else []
        session.run("python", "-m", module, *table, *session.posargs, env=env)
        return
    # no command line yet: the certification tests still certify every op, without a table
    suites = sorted(
        str(p.relative_to(ROOT)) for p in ROOT.glob("packages/*/tests/test_certify*.py")
    )
    if not suites:
        session.error(
            f"nothing certifies: none of {CERTIFY_CLI_MODULES} runs with `python -m`, "
            "and there is no packages/*/tests/test_certify*.py"
        )
    session.warn(f"no certification command among {CERTIFY_CLI_MODULES}; running {suites}")
    session.run("pytest", *PYTEST_PARALLEL, *suites, *session.posargs, env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks W1-W7 and their budgets (``nox -s bench -- W1 W5`` selects workloads).

    Upstream mygrad 2.5.0 lives in its own venv next to this session's, with numba and scipy
    when they install (upstream's gru needs them) and torch when a torch 2.13.0 wheel is
    available locally (``-- --with-torch`` installs it from the index instead); absent
    libraries are reported and skipped. pyinstrument here serves ``python -m
    benchmarks.profile``. benchmarks/ sets single-threaded BLAS in its workers and says so.
    """
    import subprocess

    install_editable(session, "pyinstrument")
    upstream = Path(session.virtualenv.location).parent / "bench-upstream-mygrad"
    python = str(upstream / "bin" / "python")
    if not Path(python).exists():
        session.run("python", "-m", "venv", str(upstream))
    pip_install = (python, "-m", "pip", "install", "-q", "-c", CONSTRAINTS)
    session.run(*pip_install, UPSTREAM_MYGRAD, "numpy", external=True)

    def succeeds(*command: str) -> bool:
        return subprocess.run(command, capture_output=True).returncode == 0

    if not succeeds(*pip_install, "numba", "scipy"):
        session.warn("numba/scipy did not install: upstream's gru (W7) will be unavailable")
    args = list(session.posargs)
    with_torch = "--with-torch" in args
    args = [a for a in args if a != "--with-torch"]
    torch_pin = "torch==2.13.0"
    has_torch = succeeds(python, "-c", "import torch")
    local_wheel = succeeds(
        python, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-index", "-q", torch_pin
    )
    if not has_torch and (with_torch or local_wheel):
        session.log(f"installing {torch_pin} into {upstream}")
        has_torch = succeeds(*pip_install, torch_pin)
    if not has_torch:
        session.warn("torch is not installed in the upstream venv: its column is skipped")
    session.run(
        "python",
        "-m",
        "benchmarks",
        "--upstream-python",
        python,
        "--torch-python",
        python,
        *args,
    )


# --- docs, tests-matrix -------------------------------------------------------------------

DOCS_TOOLS = ("sphinx", "pydata-sphinx-theme", "numpydoc", "myst-parser", "graphviz")
SITE_CHECK = ROOT / "packages" / "mygrad-core" / "tests" / "docs" / "site_check.py"


@nox.session
def docs(session: nox.Session) -> None:
    """Build docs/ into docs/_build/html and check the site in headless Chromium.

    The check (``site_check.py``) runs ``sphinx-build -W --keep-going``, fails on any build
    warning, serves the site on 127.0.0.1, loads pages in Chromium (Debian's ``chromium``)
    and saves a screenshot to ``docs/_build/screenshots/``.
    """
    install_editable(session, *DOCS_TOOLS, *TEST_TOOLS)
    args = ("-p", "no:cacheprovider", "-v", str(SITE_CHECK), *session.posargs)
    session.run("pytest", *args, env={"PYTHONHASHSEED": "0"})


# the oldest NumPy release each Python can install (core needs numpy>=2.0; 2.1 is the first
# with wheels for 3.13); "newest" is whatever pip resolves without the constraints' pin
OLDEST_NUMPY = {"3.10": "2.0.0", "3.11": "2.0.0", "3.12": "2.0.0", "3.13": "2.1.0"}


def expose_pyenv_pythons(versions: list[str]) -> None:
    """Put pyenv's interpreters on PATH as ``pythonX.Y`` (only those names) for nox to find."""
    links = ROOT / ".nox" / "_pythons"
    for version in versions:
        found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
        link = links / f"python{version}"
        if found and not link.exists():
            links.mkdir(parents=True, exist_ok=True)
            link.symlink_to(found[-1])
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"


MATRIX_PYTHONS = list(OLDEST_NUMPY)
expose_pyenv_pythons(MATRIX_PYTHONS)


def constraints_without_numpy(session: nox.Session) -> str:
    """constraints.txt less its numpy pins, so a session may choose the NumPy version."""
    lines = Path(CONSTRAINTS).read_text().splitlines()
    path = Path(session.create_tmp()) / "constraints-no-numpy.txt"
    path.write_text("".join(f"{line}\n" for line in lines if not line.startswith("numpy")))
    return str(path)


@nox.session(name="tests-matrix", python=MATRIX_PYTHONS)
@nox.parametrize("numpy", ["oldest", "newest"])
def tests_matrix(session: nox.Session, numpy: str) -> None:
    """The test suite on one Python x one NumPy (the oldest supported, or the newest).

    ``nox -s tests-matrix -- packages/mygrad-core/tests/engine`` runs a subset.
    """
    pin = f"numpy=={OLDEST_NUMPY[str(session.python)]}" if numpy == "oldest" else "numpy"
    editables = [arg for path in PACKAGES.values() for arg in ("-e", str(path))]
    downstream = ["-e", str(DOWNSTREAM)] if (DOWNSTREAM / "pyproject.toml").is_file() else []
    constraints = constraints_without_numpy(session)
    tools = (*TEST_TOOLS, "graphviz")  # the graph-drawing tests and docs pages use it
    session.install("-c", constraints, "--upgrade", pin, *editables, *downstream, *tools)
    session.run("python", "-c", "import sys, numpy; print(sys.version, numpy.__version__)")
    session.run("pytest", *PYTEST_PARALLEL, *session.posargs, env={"PYTHONHASHSEED": "0"})
