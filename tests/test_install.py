"""execdoc as anyone would install it: a fresh virtual environment, the
distribution built from tools/execdoc and installed with its `mkdocs` extra,
and nothing of the course (no torch, numpy or keras). In it, the example site
(tools/execdoc/examples/statistics) builds from its committed records, and a
site made by `execdoc new` builds on the first try.

One environment per session (it takes a network install); its figures (wall
seconds, packages, size, wheel size) are printed and written to
build/fresh-venv.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tools" / "execdoc"
EXAMPLE = PACKAGE / "examples" / "statistics"
FIGURES = ROOT / "build" / "fresh-venv.json"
IGNORE = shutil.ignore_patterns("build", "site", ".cache", "*.egg-info", "__pycache__", "examples")


@dataclass
class Venv:
    path: Path
    figures: dict

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "EXECDOC_EXECUTE")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["NO_MKDOCS_2_WARNING"] = "1"
        return env

    def run(self, tool: str, *args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / tool), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                              env=self.env(), timeout=timeout)


def _size_mb(folder: Path) -> float:
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 2**20, 1)


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory) -> Venv:
    base = tmp_path_factory.mktemp("fresh")
    source = base / "execdoc"
    shutil.copytree(PACKAGE, source, ignore=IGNORE)  # nothing built here leaks into the working tree
    venv = Venv(base / "venv", {})
    start = time.monotonic()
    # The venv module makes it from the base interpreter: none of the suite's packages are visible.
    subprocess.run([sys.executable, "-m", "venv", str(venv.path)], check=True, timeout=300)
    before = venv.run("python", "-m", "pip", "list", "--format", "json", cwd=base)
    # The wheel a user would get, built from the folder, then installed with its extra.
    wheel = venv.run("python", "-m", "pip", "wheel", "--no-deps", "--quiet", source, "-w", base / "wheels",
                     cwd=base, timeout=900)
    assert wheel.returncode == 0, wheel.stdout + wheel.stderr
    (built,) = (base / "wheels").glob("execdoc-*.whl")
    install = venv.run("python", "-m", "pip", "install", "--quiet", f"{built}[mkdocs]", cwd=base, timeout=1800)
    assert install.returncode == 0, install.stdout + install.stderr[-4000:]
    seconds = time.monotonic() - start
    after = venv.run("python", "-m", "pip", "list", "--format", "json", cwd=base)
    packages = json.loads(after.stdout)
    names = {p["name"].lower() for p in packages}
    with zipfile.ZipFile(built) as archive:
        members = archive.namelist()
    venv.figures = {
        "python": venv.run("python", "-c", "import platform; print(platform.python_version())", cwd=base).stdout.strip(),
        "install_seconds": round(seconds, 1),
        "packages": len(packages),
        "packages_added": len(packages) - len(json.loads(before.stdout)),
        "venv_mb": _size_mb(venv.path),
        "wheel": built.name,
        "wheel_kb": round(built.stat().st_size / 1024, 1),
        "wheel_files": len(members),
        "has_mkdocs": "mkdocs" in names,
    }
    venv.figures["members"] = members
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps({k: v for k, v in venv.figures.items() if k != "members"}, indent=1) + "\n")
    return venv


def recorded_values(site: Path, name: str) -> dict:
    record = json.loads((site / "docs" / "notebooks" / f"{name}.ipynb").read_text("utf-8"))
    return record["metadata"]["execdoc"]["values"]


def test_fresh_venv_install(fresh_venv, tmp_path, capsys):
    # Scenario: someone who never saw the course installs execdoc[mkdocs] into a new
    # environment and builds the example site from a clean copy.
    figures = fresh_venv.figures
    with capsys.disabled():
        shown = {k: v for k, v in figures.items() if k != "members"}
        print(f"\nfresh venv: {json.dumps(shown)} (also in {FIGURES.relative_to(ROOT)})")
    assert figures["has_mkdocs"]
    # The wheel carries the scaffold's template and the assets, and no example or test.
    members = figures["members"]
    for needed in ("execdoc/scaffold/template/mkdocs.yml", "execdoc/scaffold/template/dot-gitignore",
                   "execdoc/scaffold/template/snippets/hello.py", "execdoc/assets/quiz.js",
                   "execdoc/i18n/en.json"):
        assert needed in members
    assert not any("examples/" in m or m.startswith("tests/") for m in members)

    # None of the course's heavy packages came along.
    probe = fresh_venv.run("python", "-c", """
missing = []
for name in ("torch", "numpy", "keras"):
    try:
        __import__(name)
    except ImportError:
        missing.append(name)
print(",".join(missing))
""", cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "torch,numpy,keras"

    site = tmp_path / "statistics"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("site", "build", ".cache"))
    records = {p.name: p.read_bytes() for p in (site / "docs" / "notebooks").glob("*.ipynb")}
    assert sorted(records) == ["bootstrap.ipynb", "descent.ipynb", "montecarlo.ipynb"]

    build = fresh_venv.run("execdoc", "build", cwd=site)
    assert build.returncode == 0, build.stderr
    # The committed records match this Python (3.11) and execdoc: nothing executes.
    # If this fails after a change to the record key: cd tools/execdoc/examples/statistics && execdoc build
    assert "execdoc: 0 executed, 3 reused, 0 failed" in build.stderr, build.stderr
    mkdocs = fresh_venv.run("mkdocs", "build", "--strict", cwd=site)
    assert mkdocs.returncode == 0, mkdocs.stderr
    assert "execdoc: 0 executed, 3 reused, 0 failed" in mkdocs.stderr
    assert {p.name: p.read_bytes() for p in (site / "docs" / "notebooks").glob("*.ipynb")} == records

    values = recorded_values(site, "montecarlo")
    estimation = (site / "site" / "estimation" / "index.html").read_text("utf-8")
    assert f"the estimate is\n{values['pi_estimate']:.4f}, off by {values['error']:.5f}" in estimation
    assert '<math display="block">' in estimation and "MathML" not in estimation  # no xmlns: HTML5 implies it
    quiz = (site / "site" / "quiz" / "index.html").read_text("utf-8")
    steps = recorded_values(site, "descent")["steps"]
    assert 'class="execdoc-quiz' in quiz and f"quotes the run, {steps} steps" in quiz


def test_new_site_builds(fresh_venv, tmp_path):
    # Scenario: the quick start, word for word, in the fresh environment:
    # `execdoc new mysite`, then `mkdocs build --strict` in it.
    new = fresh_venv.run("execdoc", "new", "mysite", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    site = tmp_path / "mysite"
    build = fresh_venv.run("mkdocs", "build", "--strict", cwd=site)
    assert build.returncode == 0, build.stderr
    assert "execdoc: 1 executed, 0 reused, 0 failed" in build.stderr

    values = recorded_values(site, "hello")
    page = (site / "site" / "index.html").read_text("utf-8")
    assert f"<strong>{values['slope']:.3f}</strong>" in page
    assert f"as {values['intercept']:.3f}:" in page
    assert "<math><mrow>" in page  # inline: no xmlns, no display (HTML5's defaults)
    assert '<div class="execdoc-cell" data-snippet="hello.py" data-cell="fit">' in page
    quiz = (site / "site" / "quiz" / "index.html").read_text("utf-8")
    assert 'class="execdoc-quiz' in quiz and "What slope did the fit find?" in quiz
    assert '<script src="../execdoc/quiz.js" defer></script>' in quiz
    # A second build executes nothing.
    again = fresh_venv.run("mkdocs", "build", "--strict", cwd=site)
    assert again.returncode == 0 and "execdoc: 0 executed, 1 reused, 0 failed" in again.stderr
