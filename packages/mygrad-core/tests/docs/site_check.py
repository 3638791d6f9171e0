"""The documentation site builds without a warning and renders in a browser.

Run by ``nox -s docs`` (its file name keeps it out of the default test run: it builds the
whole site and starts Chromium, which takes minutes). It needs Sphinx and the docs
extensions (the session installs them), Graphviz's ``dot``, and Debian's ``chromium``
(``apt-get install -y chromium``). It builds ``docs/`` into ``docs/_build/html``, serves it
on 127.0.0.1, loads the front page and API pages in headless Chromium, follows every
toctree link, and leaves screenshots in ``docs/_build/screenshots/``.
"""

from __future__ import annotations

import functools
import importlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

import pytest

REPO = Path(__file__).resolve().parents[4]
DOCS = REPO / "docs"
BUILD = DOCS / "_build"
HTML = BUILD / "html"
SCREENSHOTS = BUILD / "screenshots"
# the spec's checklist of public names; the shared folder sits beside the checkout
NAMES = Path(os.environ.get("MYGRAD_NAMES_TXT", REPO.parent / "shared" / "spec" / "names.txt"))

# the user guide's toctree, in order (docs/index.md)
GUIDE = [
    "install", "intro", "tensor", "views", "performance", "operation", "tensor_creation",
    "tensor_manipulation", "linalg", "math", "indexing", "nnet", "io", "graph_viz", "testing",
    "typing", "differences", "changes",
]  # fmt: skip
API_PAGE = "api/generated/mygrad.Tensor.html"

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",  # let the theme's scripts run before the DOM is taken
)


# --- the build ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build() -> subprocess.CompletedProcess[str]:
    shutil.rmtree(BUILD, ignore_errors=True)
    BUILD.mkdir(parents=True)
    warnings = BUILD / "warnings.txt"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html"]
    command += ["-w", str(warnings), str(DOCS), str(HTML)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    result.stderr = warnings.read_text() if warnings.exists() else result.stderr
    return result


@pytest.fixture(scope="module")
def site(build: subprocess.CompletedProcess[str]) -> Path:
    if build.returncode != 0:
        pytest.fail(f"sphinx-build failed ({build.returncode}):\n{build.stderr}\n{build.stdout}")
    return HTML


def test_the_build_has_no_warnings(build: subprocess.CompletedProcess[str]) -> None:
    assert build.returncode == 0 and build.stderr.strip() == "", build.stderr


# --- a local server that remembers every answer -------------------------------------------


class Server:
    def __init__(self, root: Path) -> None:
        self.answers: list[tuple[str, int]] = []
        answers = self.answers

        class Handler(SimpleHTTPRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                answers.append((self.path, int(code) if str(code).isdigit() else 0))

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def failures(self) -> list[tuple[str, int]]:
        return [(path, code) for path, code in self.answers if code >= 400]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[Server]:
    running = Server(site)
    yield running
    running.close()


# --- Chromium -----------------------------------------------------------------------------


def chromium_executable() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium: install Debian's package with `apt-get install -y chromium`")


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium with a fresh profile; its stdout."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [chromium_executable(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stderr[-3000:]}"
    return result.stdout


class Links(HTMLParser):
    """The hrefs of <a> elements inside elements of class ``within``, and the <h1> texts."""

    def __init__(self, within: str) -> None:
        super().__init__()
        self.within = within
        self.depth = 0  # >0 while inside a ``within`` element
        self.hrefs: list[str] = []
        self.headings: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or self.within in classes:
            self.depth += 1
        if tag == "a" and self.depth and dict(attrs).get("href"):
            self.hrefs.append(str(dict(attrs)["href"]))
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1 and data.strip():
            self.headings.append(data.strip())


def parse(dom: str, within: str = "toctree-wrapper") -> Links:
    links = Links(within)
    links.feed(dom)
    return links


def test_front_page_renders_with_its_toctree(server: Server, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", server.url + "index.html")
    links = parse(dom)
    assert links.headings[:1] == ["mygrad"], links.headings
    pages = [href.split("#")[0].removesuffix(".html") for href in links.hrefs]
    guide = [p for p in pages if p in GUIDE]
    assert guide == GUIDE, f"the user guide's toctree links {guide}, expected {GUIDE}"
    assert "api/index" in pages and "design/engine" in pages, pages
    assert 'class="highlight' in dom and "backward" in dom, "the examples are not rendered"
    assert server.failures() == [], f"requests that failed: {server.failures()}"


def test_every_toctree_link_resolves_to_a_rendered_page(server: Server) -> None:
    with urlopen(server.url + "index.html") as response:
        index = response.read().decode()
    hrefs = sorted({href.split("#")[0] for href in parse(index).hrefs})
    assert len(hrefs) >= len(GUIDE) + 2
    for href in hrefs:
        with urlopen(server.url + href) as response:
            assert response.status == 200, href
            page = parse(response.read().decode())
        assert page.headings, f"{href} has no <h1>: it did not render"
    assert server.failures() == [], f"requests that failed: {server.failures()}"


def test_an_api_page_renders(server: Server, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", server.url + API_PAGE)
    assert parse(dom).headings[:1] == ["mygrad.Tensor"]
    assert 'id="mygrad.Tensor"' in dom, "the class signature is missing"
    assert "backward" in dom
    assert server.failures() == [], f"requests that failed: {server.failures()}"


def test_the_graph_page_shows_the_drawn_graph(site: Path) -> None:
    pictures = sorted((site / "_images").glob("graphviz-*.svg"))
    assert pictures, "no graphviz picture was rendered"
    svg = pictures[0].read_text()
    for label in ("multiply", "tanh", "square", "sum", ">x<", ">w<"):
        assert label in svg, f"{label!r} is not in the drawn graph {pictures[0].name}"
    assert pictures[0].name in (site / "graph_viz.html").read_text()


@pytest.mark.parametrize("page", ["index.html", API_PAGE, "graph_viz.html"])
def test_screenshot(server: Server, tmp_path: Path, page: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    picture = SCREENSHOTS / (page.replace("/", "_").removesuffix(".html") + ".png")
    picture.unlink(missing_ok=True)
    chromium(tmp_path, f"--screenshot={picture}", "--window-size=1280,1000", server.url + page)
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000, f"{picture}: not a real picture"
    assert server.failures() == [], f"requests that failed: {server.failures()}"


# --- every public name has a page ---------------------------------------------------------


def resolve(dotted: str) -> object:
    """The object a dotted name denotes: by attribute access from the top package (so
    ``mygrad.nnet.layers.batchnorm`` is the function that shadows its module), else through
    the longest importable module (``mygrad.nnet.layers.batchnorm.batchnorm``)."""
    parts = dotted.split(".")
    try:
        obj: object = importlib.import_module(parts[0])
        for i, attr in enumerate(parts[1:], start=1):
            if not hasattr(obj, attr):
                importlib.import_module(".".join(parts[: i + 1]))
            obj = getattr(obj, attr)
        return obj
    except (ImportError, AttributeError):
        pass
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(f"cannot resolve {dotted}")


def test_every_public_name_is_documented(site: Path) -> None:
    from sphinx.util.inventory import InventoryFile

    if not NAMES.is_file():
        pytest.fail(f"no checklist of public names at {NAMES} (set MYGRAD_NAMES_TXT)")
    lines = (line.strip() for line in NAMES.read_text().splitlines())
    wanted = [line for line in lines if line and not line.startswith("#")]
    with open(site / "objects.inv", "rb") as inventory:
        documented = {
            name
            for domain, entries in InventoryFile.load(inventory, "", os.path.join).items()
            if domain.startswith("py:")
            for name in entries
        }
    # an alias (mygrad.nnet.relu, mygrad.abs) counts when its object is documented
    documented_ids = {id(resolve(n)) for n in documented if _resolvable(n)}
    missing = [n for n in wanted if n not in documented and id(resolve(n)) not in documented_ids]
    assert missing == [], f"{len(missing)} public names have no API entry: {missing}"


def _resolvable(name: str) -> bool:
    try:
        resolve(name)
    except (ImportError, AttributeError):
        return False
    return True
