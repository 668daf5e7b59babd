"""The package as a new user gets it: built into a wheel and an sdist, checked by twine, installed
into a fresh environment, and run from another folder (styles and fonts must travel in the wheel)."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
    return out


def test_the_wheel_carries_styles_fonts_and_models(dist: Path) -> None:
    wheel = next(dist.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for style in (ROOT / "styles").glob("*.yaml"):
        assert f"compiler/bundled_styles/{style.name}" in names
    for font in (ROOT / "fonts").glob("*.ttf"):
        assert f"compiler/bundled_fonts/{font.name}" in names
    assert "compiler/bundled_fonts/OFL.txt" in names
    for model in ("structure.json", "repair.json", "bigrams.json", "charlm.bin", "surnames.txt", "titles.txt"):
        assert f"compiler/data/{model}" in names


def test_twine_accepts_both_distributions(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert len(files) == 2
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_wheel_builds_the_seed_from_another_folder(dist: Path, tmp_path: Path) -> None:
    """A fresh environment with the wheel installed and nothing of the project on its path.

    The dependencies come from this environment's site-packages through a .pth line (no network);
    the project's own source is not there (it is installed in editable mode, by a finder this
    environment's .pth files start, which a plain path line does not run)."""
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(fresh_site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    wheel = next(dist.glob("*.whl"))
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import compiler; print(compiler.__file__)"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(env))
    result = subprocess.run(
        [str(env / "bin" / "compiler"), "build", str(SEED), "--to", "pdf,epub,docx", "-o", "out"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for suffix in (".pdf", ".epub", ".docx"):
        built = elsewhere / "out" / (SEED.stem + suffix)
        assert built.stat().st_size > 10_000, built
