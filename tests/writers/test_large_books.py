"""Large models through every writer: metadata limits and nothing that grows with the speech count."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from compiler.model import Compilation, Paragraph, Speaker, Speech
from compiler.styles import load_style
from compiler.writers import WRITERS, writer_for
from tests.writers.conftest import docx_text, epub_text, pdf_text

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def many_speakers(count: int) -> Compilation:
    speeches = tuple(
        Speech(
            heading=f"第{n + 1}篇发言的标题",
            speaker=Speaker(
                "某省人大常委会党组书记、主任",
                SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)] + GIVEN[n % len(GIVEN)],
            ),
            paragraphs=(Paragraph("推动人民代表大会制度理论和实践创新，坚持好、完善好、运行好人民代表大会制度。"),),
        )
        for n in range(count)
    )
    return Compilation(title="大型汇编" * 80, subtitle="——" + "副标题" * 100, speeches=speeches)


EXTRACT = {"docx": docx_text, "epub": epub_text, "pdf": pdf_text, "json": lambda path: path.read_text("utf-8")}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_three_hundred_speakers_build_in_every_format(name: str, tmp_path: Path) -> None:
    write, suffix = writer_for(name)
    doc = many_speakers(300)
    path = write(doc, load_style("default"), tmp_path / f"big{suffix}")
    printed = "".join(EXTRACT[name](path).split())
    names = [speech.speaker.name for speech in doc.speeches if speech.speaker]
    at = [printed.find(name, printed.find(f"第{n + 1}篇发言的标题")) for n, name in enumerate(names)]
    assert -1 not in at, f"{at.count(-1)} speaker names missing from the {name} output"
    assert printed.count("推动人民代表大会制度理论和实践创新") >= 300
    if name == "docx":
        properties = docx.Document(str(path)).core_properties
        assert len(properties.author) <= 255 and len(properties.title) <= 255
        assert properties.author.endswith("…")
