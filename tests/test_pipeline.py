"""Builds: byte-identical rebuilds, and the same bytes whether books are built in parallel or not."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from compiler.cli import main
from compiler.pipeline import build
from tests.conftest import CLEAN, SEED

FORMATS = ["json", "docx", "epub", "pdf"]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_rebuilds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(SEED, FORMATS, tmp_path / "first")
    time.sleep(1.1)  # a clock-stamped archive entry would now differ
    build(SEED, FORMATS, tmp_path / "second")
    assert digests(tmp_path / "first") == digests(tmp_path / "second")
    assert len(digests(tmp_path / "first")) == len(FORMATS)


def test_parallel_builds_give_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = [str(SEED), *map(str, CLEAN)]
    assert main(["build", *sources, "--to", "json,epub", "-o", str(tmp_path / "one"), "--jobs", "1", "-q"]) == 0
    assert main(["build", *sources, "--to", "json,epub", "-o", str(tmp_path / "two"), "--jobs", "2", "-q"]) == 0
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert len(digests(tmp_path / "one")) == 2 * len(sources)


def test_one_bad_input_fails_the_batch_but_not_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    status = main(["build", str(bad), str(SEED), "--to", "json", "-o", str(tmp_path / "out"), "--jobs", "2", "-q"])
    assert status == 1
    assert "empty.txt: the input is empty" in capsys.readouterr().err
    assert (tmp_path / "out" / f"{SEED.stem}.json").exists()
