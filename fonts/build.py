"""Rebuild the committed fonts from Debian's packages: subset, convert to TrueType, rename.

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    .venv/bin/python fonts/build.py

Why: reportlab embeds only TrueType (glyf) outlines, and Noto's CJK faces are CFF; a book needs
GB 2312's 6,763 ideographs plus the punctuation, Latin and digits of Chinese text, not all
65,000 glyphs. The sources are under the SIL Open Font License 1.1, which asks that modified
versions (a subset is one) not carry the Reserved Font Names ("Source" for the Noto CJK faces,
which derive from Source Han; "霞鹜" and "LXGW" for WenKai), so the subsets are renamed.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (output file, family name, source file, face name in a collection)
FACES = [
    (
        "SpeechSong-Regular.ttf",
        "Speech Song",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
    ),
    ("SpeechHei-Bold.ttf", "Speech Hei", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
    ("SpeechKai-Regular.ttf", "Speech Kai", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", None),
]
# Curve conversion tolerance in font units (1000/em): invisible at any print size.
MAX_ERROR = 1.0


def characters() -> set[int]:
    """Every Han character of the Basic Multilingual Plane (CJK Unified Ideographs and Extension A,
    which hold all of GB 18030's BMP Han), everything GBK encodes (its symbols and compatibility
    ideographs), ASCII and Latin-1, typographic punctuation, CJK symbols (〇 among them), full-width
    forms, vertical forms, the Table of General Standard Chinese Characters, and every seed's text."""
    wanted: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    wanted.update(range(0x3400, 0x4DC0))  # CJK Unified Ideographs Extension A
    wanted.update(range(0x4E00, 0xA000))  # CJK Unified Ideographs
    for high in range(0x81, 0xFF):
        for low in range(0x40, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                wanted.update(ord(c) for c in bytes([high, low]).decode("gbk"))
    wanted.update(ord(c) for c in "‘’“”…—–·、。〈〉《》「」『』【】〔〕〖〗！（），．：；？～　￥℃°±×÷№§")
    wanted.update(range(0x2010, 0x2028))  # general punctuation: dashes, quotes, leaders
    wanted.update(range(0x3000, 0x3040))  # CJK symbols and punctuation, 〇 included
    wanted.update(range(0xFE10, 0xFE20))  # vertical forms
    wanted.update(range(0xFE30, 0xFE50))  # CJK compatibility forms (vertical brackets)
    wanted.update(range(0xFF01, 0xFF5F))  # full-width forms
    # The 8,105 characters of the Table of General Standard Chinese Characters (2013), 196 of them
    # beyond the BMP (Extensions B-F: 𬭚 𫓧 𬬻 … in names and element names).
    wanted.update(ord(c) for c in (ROOT / "tests" / "data" / "tongyong_guifan_8105.txt").read_text(encoding="utf-8").split())
    for folder in (ROOT / "seeds", ROOT / "tests" / "data" / "clean"):
        for path in folder.glob("*.txt"):
            wanted.update(ord(c) for c in path.read_text(encoding="utf-8") if not c.isspace())
    return wanted


def open_face(path: str, face: str | None) -> TTFont:
    if face is None:
        return TTFont(path, lazy=False)
    for font in TTCollection(path, lazy=False).fonts:
        if font["name"].getDebugName(1) == face:
            return font
    raise SystemExit(f"{path}: no face named {face!r}")


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    options = subset.Options()
    options.layout_features = ["vert", "vrt2"]  # vertical punctuation forms, nothing else
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def cff_to_truetype(font: TTFont) -> None:
    """Replace CFF cubic outlines with TrueType quadratic ones (cu2qu), as reportlab needs."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    post = font["post"]
    post.formatType = 3.0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, family: str, style: str) -> None:
    """New names throughout (OFL: no Reserved Font Name in a modified font)."""
    postscript = f"{family.replace(' ', '')}-{style}"
    names = {
        1: family,
        2: style,
        3: f"{postscript};speech-compiler",
        4: f"{family} {style}",
        6: postscript,
        16: family,
        17: style,
    }
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in names and n.nameID not in (18, 21, 22, 25)]
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    description = "Subset of an SIL OFL 1.1 font, converted and renamed by speech-compiler (see fonts/README.md)."
    table.setName(description, 10, 3, 1, 0x409)


def main() -> None:
    wanted = characters()
    for output, family, source, face in FACES:
        font = open_face(source, face)
        subset_font(font, wanted)
        if "CFF " in font:
            cff_to_truetype(font)
        rename(font, family, output.split("-")[1].removesuffix(".ttf"))
        font.save(HERE / output)
        covered = set(font.getBestCmap())
        print(
            f"{output}: {len(font.getGlyphOrder())} glyphs, {len(covered & wanted)}/{len(wanted)} characters,"
            f" {(HERE / output).stat().st_size / 1e6:.1f} MB",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
