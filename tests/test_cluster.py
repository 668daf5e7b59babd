"""Batches on a Dask distributed cluster: a scheduler and two worker processes on 127.0.0.1, the
same sources built there and here, the outputs compared byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import compiler.jobs
from compiler.cli import main
from tests.conftest import CLEAN, SEED

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow
FORMATS = "json,docx,epub,pdf"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = [folder / "seed.txt", folder / "clean.txt", folder / "seed-again.txt"]
    for path, original in zip(paths, (SEED, CLEAN[0], SEED), strict=True):
        shutil.copy(original, path)
    return paths


def build(sources: list[Path], outdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    command = [
        sys.executable,
        "-m",
        "compiler",
        "build",
        *map(str, sources),
        "--to",
        FORMATS,
        "-o",
        str(outdir),
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, env=environment)


def test_a_cluster_build_is_byte_identical_to_a_local_one(scheduler: str, sources: list[Path], tmp_path: Path) -> None:
    on_cluster = build(sources, tmp_path / "cluster", "--cluster", scheduler)
    assert on_cluster.returncode == 0, on_cluster.stderr
    local = build(sources, tmp_path / "local")
    assert local.returncode == 0, local.stderr
    pool = build(sources, tmp_path / "pool", "--jobs", "2")
    assert pool.returncode == 0, pool.stderr
    names = sorted(p.name for p in (tmp_path / "local").iterdir() if not p.name.startswith("."))
    assert len(names) == 3 * 4
    for name in names:
        expected = (tmp_path / "local" / name).read_bytes()
        assert (tmp_path / "cluster" / name).read_bytes() == expected, name
        assert (tmp_path / "pool" / name).read_bytes() == expected, name


def test_the_cluster_reports_bad_sources_and_builds_the_rest(
    scheduler: str, sources: list[Path], tmp_path: Path
) -> None:
    missing = sources[0].parent / "missing.txt"
    result = build([sources[0], missing], tmp_path / "out", "--cluster", scheduler)
    assert result.returncode == 1
    assert f"{missing}: no such file" in result.stderr
    assert (tmp_path / "out" / "seed.pdf").stat().st_size > 10_000


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiler.jobs, "CONNECT_SECONDS", 1)
    status = main(["build", str(SEED), str(CLEAN[0]), "-o", str(tmp_path), "--cluster", "tcp://127.0.0.1:9"])
    assert status == 2
    assert "cannot reach a Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
