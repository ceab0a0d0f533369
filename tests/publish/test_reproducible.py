"""Two builds of the same commit give byte-identical sites and offline archives."""

import base64
import filecmp
import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "offline"))

import bundle  # noqa: E402


def build(dest: Path, epoch: int) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return dest


def differing(a: Path, b: Path) -> list[str]:
    names_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    names_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert names_a == names_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, names_a, shallow=False)
    return mismatch + errors


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("repro")
    epoch = 1_700_000_000
    return build(base / "one", epoch), build(base / "two", epoch), base, epoch


def test_two_builds_are_identical(two_builds):
    one, two, _, _ = two_builds
    assert differing(one, two) == []


def test_two_archives_are_identical(two_builds):
    one, two, base, epoch = two_builds
    zip_one = bundle.bundle(one, base / "one.zip", epoch=epoch)
    zip_two = bundle.bundle(two, base / "two.zip", epoch=epoch)
    assert zip_one.read_bytes() == zip_two.read_bytes()


def test_archive_holds_launcher_readme_and_site_with_fixed_metadata(two_builds):
    one, _, base, epoch = two_builds
    path = bundle.bundle(one, base / "check.zip", epoch=epoch)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
    prefix = bundle.NAME + "/"
    assert names[:2] == [prefix + "README.txt", prefix + "launch.py"]
    assert prefix + "site/index.html" in names
    assert names[2:] == sorted(names[2:])
    assert {i.date_time for i in infos} == {bundle.zip_time(epoch)}
    launcher = next(i for i in infos if i.filename.endswith("launch.py"))
    assert (launcher.external_attr >> 16) & 0o777 == 0o755


def test_sitemap_date_follows_source_date_epoch(two_builds):
    one, _, _, _ = two_builds
    sitemap = (one / "sitemap.xml").read_text()
    assert "2023-11-14" in sitemap  # 1_700_000_000 is 2023-11-14 UTC


def test_zip_time_is_clamped_to_what_zip_can_store():
    assert bundle.zip_time(0) == (1980, 1, 1, 0, 0, 0)


def test_archive_holds_the_packed_runtime_the_site_leaves_out(two_builds):
    """The offline copy carries runtime.pack.js, made of the site's own files; the site does not."""
    one, _, base, epoch = two_builds
    assert not (one / bundle.PACK).exists()
    path = bundle.bundle(one, base / "pack.zip", epoch=epoch)
    with zipfile.ZipFile(path) as archive:
        text = archive.read(f"{bundle.NAME}/site/{bundle.PACK}").decode("ascii")
    prefix = f"window.{bundle.PACK_GLOBAL}="
    assert text.startswith(prefix) and text.endswith(";\n")
    value = json.loads(text[len(prefix) : -2])
    assert value["worker"] == (one / "assets/javascripts/runner/worker-file.js").read_text()
    names = [name for name, _ in value["files"]]
    assert names == ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                     "pyodide-lock.json", "simulations.zip"]  # fmt: skip
    unpacked = gzip.decompress(base64.b64decode(value["gzip"]))
    offset = 0
    for name, size in value["files"]:
        found = {p for p in one.rglob(name) if p.is_file()}
        assert len(found) == 1, name
        assert unpacked[offset : offset + size] == found.pop().read_bytes(), name
        offset += size
    assert offset == len(unpacked)
