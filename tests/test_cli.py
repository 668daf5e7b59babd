"""Command line: outputs, exit codes, one-line errors and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.cli import main
from compiler.model import Compilation, RepairKind
from tests.conftest import SEED


def test_parse_prints_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    data = json.loads(capsys.readouterr().out)
    golden = json.loads((Path(__file__).parent / "data" / "seed.model.json").read_text(encoding="utf-8"))
    assert len(data["speeches"]) == 8 and data["repairs"] == golden["repairs"]


def test_parse_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "seed.json"
    assert main(["parse", str(SEED), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "围绕推进中国式现代化履职尽责担当作为"


def test_no_repair_keeps_the_damage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--no-repair"]) == 0
    assert json.loads(capsys.readouterr().out)["repairs"] == []


def test_check_reports_each_repair(capsys: pytest.CaptureFixture[str], seed_model: Compilation) -> None:
    assert main(["check", str(SEED)]) == 0
    out = capsys.readouterr().out
    joins = sum(r.kind is RepairKind.JOIN for r in seed_model.repairs)
    moves = sum(r.kind is RepairKind.MOVE for r in seed_model.repairs)
    assert moves == 2 and joins >= 6
    assert f"{joins + moves} repair(s): {joins} join(s), {moves} move(s)" in out
    assert "…协同立法。制定加强监督工|作的意见等文件，抓实重点…" in out


def test_build_writes_json_into_the_output_folder(tmp_path: Path) -> None:
    assert main(["build", str(SEED), "-o", str(tmp_path), "-q"]) == 0
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [SEED.stem + ".json"]


def test_unknown_format_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEED), "--to", "odt", "-o", str(tmp_path)]) == 2
    assert "unknown format 'odt'; known: docx, epub, json, pdf" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the input is empty"),
        (b"\x00\x01\x02binary\x00", "looks binary"),
        (b"ok \xff\xff\xff", "neither UTF-8 nor GB18030"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(content)
    assert main(["build", str(source), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
    assert not (tmp_path / "out").exists()


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["parse", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_python_dash_m_runs_without_traceback(tmp_path: Path) -> None:
    source = tmp_path / "markup.txt"
    source.write_text("标题\n\n发言标题\n\n某省人大常委会主任 张三\n\n<b>粗体</b> & 符号 ]]>。\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "compiler", "parse", str(source)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert json.loads(run.stdout)["speeches"][0]["paragraphs"][0]["text"] == "<b>粗体</b> & 符号 ]]>。"


def test_an_internal_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import compiler.cli

    def broken(*_: object, **__: object) -> None:
        raise ValueError("something no test foresaw")

    monkeypatch.setattr(compiler.cli, "load", broken)
    assert main(["parse", str(SEED)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (ValueError: something no test foresaw)" in err


EMOJI_PAGE = "标题\n\n第一篇发言\n\n某省人大常委会主任 张三\n\n正文 😀 内容。\n"


def test_a_book_prints_writer_diagnostics_as_a_page_does(tmp_path: Path) -> None:
    """No Python warning reaches the terminal with a file and a line of our code: one form on every path."""
    (tmp_path / "a.txt").write_text(EMOJI_PAGE, encoding="utf-8")
    (tmp_path / "book.yaml").write_text("title: 书\nsources: [a.txt]\n", encoding="utf-8")
    for arguments in (["--book", "book.yaml"], ["a.txt"]):
        result = subprocess.run(
            [sys.executable, "-m", "compiler", "build", *arguments, "--to", "pdf", "-o", "out"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "warning: " in result.stderr and "no font has these characters" in result.stderr
        assert "CompilerWarning" not in result.stderr and ".py:" not in result.stderr


def test_build_reports_json_lines_for_tools(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "a.txt"
    page.write_text(EMOJI_PAGE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    status = main(["build", str(page), str(SEED), str(missing), "--to", "pdf", "-o", str(tmp_path), "--format", "json"])
    assert status == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["source"] for line in lines] == [str(page), str(SEED), str(missing)]
    assert lines[0]["diagnostics"][0]["code"] == "output" and lines[0]["diagnostics"][0]["source"] == str(page)
    assert {d["code"] for d in lines[1]["diagnostics"]} == {"repair"} and lines[1]["repairs"] > 0
    assert lines[2]["error"] == f"{missing}: no such file" and lines[2]["outputs"] == []
