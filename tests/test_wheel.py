"""A real install: the sdist and wheel hold every data file, and the installed command works.

An editable install reads data files from the checkout, so it cannot notice one that
``setup.cfg`` forgets to ship; this test builds the sdist and from it the wheel (as
``python -m build`` does), installs the wheel into a fresh venv outside the checkout and
runs ``pressearchiv index``, ``search`` and ``serve`` from there.

Offline and fast: the build uses the test venv's setuptools (``--no-isolation``), and the
fresh venv sees the test venv's third-party packages through a ``.pth`` line. A plain path
in a ``.pth`` file adds that folder to ``sys.path`` without running the ``.pth`` files in
it, so the editable install's finder there stays inactive; the test checks that
``indexer`` comes from the fresh venv.
"""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest_web import CORPUS, REPO, free_port

pytestmark = pytest.mark.slow

# folders whose every file a package reads at run time
DATA_FOLDERS = ("indexer/data", "web/templates", "web/static")
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "var", "*.egg-info",
                                    "__pycache__", "*.pyc", ".pytest_cache", "test-artifacts")


def data_files() -> set[str]:
    """Every file under the data folders of the source tree, as paths inside the packages."""
    files = set()
    for folder in DATA_FOLDERS:
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                files.add(path.relative_to(REPO).as_posix())
    assert any(f.endswith(".txt") for f in files) and any(f.endswith(".html") for f in files)
    return files


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel built from it, from a copy of the checkout."""
    root = tmp_path_factory.mktemp("wheel-build")
    source = root / "src"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    out = root / "dist"
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(source)], check=True, capture_output=True, text=True, timeout=120)
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def test_wheel_and_sdist_hold_every_data_file(dist):
    expected = data_files()
    wheel = set(zipfile.ZipFile(dist["wheel"]).namelist())
    assert expected <= wheel, sorted(expected - wheel)
    with tarfile.open(dist["sdist"]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {name.removeprefix(top + "/") for name in sdist.getnames()}
    assert expected <= in_sdist, sorted(expected - in_sdist)


def _fresh_venv(root: Path, wheel: Path) -> Path:
    """A venv with the wheel installed, the test venv's packages visible behind it."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # pip of the test venv installs into the fresh one; nothing is installed there yet,
    # so nothing of the test venv is touched or uninstalled
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=120)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    theirs = site.getsitepackages()[0]
    (Path(purelib) / "test_venv_packages.pth").write_text(theirs + "\n")
    return venv


def test_installed_wheel_indexes_searches_and_serves(dist, tmp_path):
    venv = _fresh_venv(tmp_path, dist["wheel"])
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PRESSEARCHIV_INDEX")}
    work = tmp_path / "work"  # outside the checkout: nothing is importable from the cwd
    work.mkdir()
    corpus = shutil.copytree(CORPUS, work / "corpus")
    index = work / "index"

    def run(*args, **kwargs):
        return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True,
                              timeout=120, **kwargs)

    where = run(str(venv / "bin" / "python"), "-c",
                "import indexer, web, sysconfig; print(indexer.__file__); print(web.__file__); "
                "print(sysconfig.get_paths()['purelib'])")
    assert where.returncode == 0, where.stderr
    indexer_file, web_file, purelib = where.stdout.split()
    assert Path(indexer_file).is_relative_to(purelib), where.stdout
    assert Path(web_file).is_relative_to(purelib), where.stdout
    assert not Path(indexer_file).is_relative_to(REPO)

    command = str(venv / "bin" / "pressearchiv")
    built = run(command, "index", str(corpus), "--index", str(index), "--no-progress")
    assert built.returncode == 0, built.stderr[-2000:]
    assert "rejected 0" in built.stdout

    found = run(command, "search", "Selenskyj", "--index", str(index), "--format", "json")
    assert found.returncode == 0, found.stderr[-2000:]
    result = json.loads(found.stdout)
    assert result["total"] > 0
    persons = [v["value"] for v in result["facets"]["person"]["values"]]
    assert "Wolodymyr Selenskyj" in persons, persons  # entities need the shipped data files

    port = free_port()
    server = subprocess.Popen([command, "serve", "--index", str(index), "--port", str(port)],
                              cwd=work, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        health = _get_json(f"http://127.0.0.1:{port}/api/health", server)
        assert health["ok"] and health["articles"] == _articles_in_summary(built.stdout)
        page = _get_json(f"http://127.0.0.1:{port}/api/search?q=Ukraine&size=3", server)
        assert page["total"] > 0 and page["hits"]
        assert page["facets"]["place"]["values"], page["facets"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=Ukraine", timeout=10) as r:
            assert "Treffer" in r.read().decode()  # the template and its macros are there
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "Traceback" not in errors, errors


def _articles_in_summary(index_output: str) -> int:
    """The article count from ``pressearchiv index``'s summary (``...; 90 articles in``)."""
    return int(index_output.rsplit(" articles in", 1)[0].rsplit(" ", 1)[1])


def _get_json(url: str, server: subprocess.Popen, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.load(response)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server not answering: {server.stderr.read()}") from None
            time.sleep(0.2)
