"""The offline launcher serves the site on loopback with the types Pyodide needs."""

import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "offline"))

import launch  # noqa: E402
from processes import readline_within  # noqa: E402


def test_rebase_sitemap_moves_every_page_under_the_new_base():
    text = (
        "<urlset><url><loc>https://x.github.io/course/</loc></url>"
        "<url><loc>https://x.github.io/course/lessons/batch.html</loc></url></urlset>"
    )
    out = launch.rebase_sitemap(text, "http://127.0.0.1:9/")
    assert "<loc>http://127.0.0.1:9/</loc>" in out
    assert "<loc>http://127.0.0.1:9/lessons/batch.html</loc>" in out
    assert "x.github.io" not in out


def test_rebase_sitemap_leaves_text_without_locations_alone():
    assert launch.rebase_sitemap("<urlset/>", "http://h/") == "<urlset/>"


@pytest.fixture
def copy(tmp_path):
    site = ROOT / "site"
    if not (site / "index.html").is_file():
        pytest.fail("site/ is not built: run `make build` first")
    shutil.copy(ROOT / "offline" / "launch.py", tmp_path / "launch.py")
    shutil.copytree(site, tmp_path / "site")
    return tmp_path


def start(folder: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "launch.py", "--no-browser"],
        cwd=folder,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = readline_within(proc)
    url = line.split()[4]
    return proc, url.rsplit("/", 1)[0] + "/"


def get(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["Content-Type"], response.read()


def test_launcher_serves_pages_modules_wasm_and_a_rebased_sitemap(copy):
    proc, base = start(copy)
    try:
        assert base.startswith("http://127.0.0.1:")
        kind, body = get(base + "index.html")
        assert kind.startswith("text/html") and b"code-preview" in body
        pyodide = "assets/javascripts/vendor/pyodide/"
        assert get(base + pyodide + "pyodide.mjs")[0] == "text/javascript"
        assert get(base + pyodide + "pyodide.asm.wasm")[0] == "application/wasm"
        sitemap = get(base + "sitemap.xml")[1].decode()
        assert f"<loc>{base}lessons/batch.html</loc>" in sitemap
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_launcher_refuses_a_folder_without_the_site(tmp_path):
    shutil.copy(ROOT / "offline" / "launch.py", tmp_path / "launch.py")
    proc = subprocess.run(
        [sys.executable, "launch.py", "--no-browser"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 1
    assert "No site found" in proc.stderr
