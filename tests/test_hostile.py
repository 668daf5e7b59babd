"""Hostile and huge input: never a traceback, a model or one clear error, and nothing lost."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.cli import main
from compiler.errors import InputDecodeError
from compiler.read import read_bytes
from tests.conftest import SEED
from tests.test_conservation import assert_conserved

SEED_TEXT = SEED.read_text(encoding="utf-8")


def test_a_one_megabyte_line_without_a_newline() -> None:
    line = (SEED_TEXT.replace("\n", "") * 50)[:1_000_000]
    assert_conserved(line.encode("utf-8"))


def test_ten_thousand_tiny_blocks() -> None:
    rng = random.Random(7)
    characters = [c for c in SEED_TEXT if not c.isspace()]
    blocks = ["".join(rng.choice(characters) for _ in range(rng.randint(1, 3))) for _ in range(10_000)]
    assert_conserved("\n\n".join(blocks).encode("utf-8"))


@pytest.mark.parametrize(
    "lines",
    [
        ["推动宪法实施和监督工作跃上新台阶"] * 200,  # only headings
        ["某省人大常委会党组书记、主任 张三"] * 200,  # only speaker lines
        ["——编者"] * 50,  # only signatures
        ["一、第一部分"] * 50,  # only section titles
    ],
    ids=["headings", "speakers", "signatures", "sections"],
)
def test_text_made_of_one_kind_of_line(lines: list[str]) -> None:
    assert_conserved("\n\n".join(lines).encode("utf-8"))


def test_utf8_with_a_gb18030_passage_is_refused_not_misread() -> None:
    mixed = (
        SEED_TEXT[:3000].encode("utf-8")
        + "中间一段用国标编码的文字。".encode("gb18030")
        + SEED_TEXT[3000:].encode("utf-8")
    )
    with pytest.raises(InputDecodeError, match="mixed encodings"):
        read_bytes(mixed)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1"]), min_size=1, max_size=3),
    st.lists(st.sampled_from(SEED_TEXT.split("\n")), min_size=1, max_size=6),
)
def test_mixed_encodings_are_a_model_or_a_clear_error(encodings: list[str], lines: list[str]) -> None:
    data = b"\n".join(
        line.encode(encoding, errors="replace") for line, encoding in zip(lines, encodings * 6, strict=False)
    )
    assert_conserved(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_the_cli_never_shows_a_traceback(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "input.txt"
    source.write_bytes(codecs.BOM_UTF8 + data if data[:1] == b"\xef" else data)
    status = main(["build", str(source), "--to", "json", "-o", str(folder / "out"), "-q"])
    assert status in (0, 2)


@pytest.mark.parametrize("name", ["../../escape.txt", "..txt", ".txt", "a/../../b.txt"])
def test_outputs_never_leave_the_output_folder(tmp_path: Path, name: str) -> None:
    inside = tmp_path / "deep" / "er"
    inside.mkdir(parents=True)
    source = (inside / name).resolve() if "/" in name else inside / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("标题\n\n发言标题\n\n某省人大常委会主任 张三\n\n正文。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--to", "json,epub", "-o", str(out), "-q"]) == 0
    written = [p for p in tmp_path.rglob("*") if p.suffix in (".json", ".epub") and p.is_file()]
    assert written and all(p.parent == out for p in written)
