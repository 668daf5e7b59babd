"""Builds: byte-identical rebuilds, and the same bytes whether books are built in parallel or not."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from compiler.cli import main
from compiler.model import from_json
from compiler.pipeline import build
from tests.conftest import CLEAN, SEED

FORMATS = ["json", "docx", "epub", "pdf"]


def digests(folder: Path) -> dict[str, str]:
    """The outputs' hashes (the build cache's folder aside)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


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


def test_unchanged_builds_are_skipped_until_something_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "page.txt"
    source.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    arguments = ["build", str(source), "--to", "json,epub", "-o", str(out)]
    assert main(arguments) == 0
    assert "repair(s)" in capsys.readouterr().err
    assert main(arguments) == 0
    assert "up to date" in capsys.readouterr().err
    assert main([*arguments, "--style", "a5"]) == 0  # another style: another key
    assert "repair(s)" in capsys.readouterr().err
    (out / "page.epub").unlink()  # an output gone: rebuild
    assert main([*arguments, "--style", "a5"]) == 0
    assert "repair(s)" in capsys.readouterr().err
    source.write_bytes(SEED.read_bytes() + "\n补一段。\n".encode())
    assert main([*arguments, "--style", "a5"]) == 0
    assert "repair(s)" in capsys.readouterr().err
    assert main([*arguments, "--style", "a5", "--force"]) == 0
    assert "repair(s)" in capsys.readouterr().err


def test_build_applies_the_editors_corrections(tmp_path: Path) -> None:
    corrections = tmp_path / "fix.yaml"
    corrections.write_text("corrections:\n  - {find: ' and ', replace: 和}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(SEED), "--to", "json", "-o", str(out), "--corrections", str(corrections), "-q"]) == 0
    doc = from_json((out / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    assert " and " not in "".join(doc.texts())
    assert [c.found for c in doc.corrections] == [" and "] * 3


def test_a_job_that_fails_unexpectedly_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a pool or a cluster, a bug in one build is that source's error; the batch goes on."""
    import compiler.pipeline
    from compiler.jobs import make_job, run_job
    from compiler.styles import load_style

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(compiler.pipeline, "build", broken)
    job = make_job(SEED, ["json"], load_style("default"), encoding=None, repair=True, corrections=None, review=None)
    result = run_job(job)
    assert result.exit_code == 1 and result.outputs == ()
    assert result.error == f"{SEED.name}: internal error (RuntimeError: boom); please report it"
