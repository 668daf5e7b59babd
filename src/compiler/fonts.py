"""The bundled faces (fonts/): which file serves which face name a style may use."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from compiler.errors import StyleError

FONT_DIR = Path(str(resources.files("compiler.bundled_fonts")))
"""`fonts/` at the top of the project, installed as the data package `compiler.bundled_fonts`."""
FACES = {"宋体": "SpeechSong-Regular", "黑体": "SpeechHei-Bold", "楷体": "SpeechKai-Regular"}
"""A style's East Asian face name → the bundled file's stem (see fonts/README.md)."""
FAMILIES = {"宋体": "Speech Song", "黑体": "Speech Hei", "楷体": "Speech Kai"}
"""The family names the bundled files carry."""


def face_file(face: str) -> Path:
    """The bundled TrueType file for a style's face name, or a StyleError listing the faces there are."""
    if face not in FACES:
        raise StyleError(f"no bundled font for the face {face!r} (there are: {', '.join(FACES)})")
    return FONT_DIR / f"{FACES[face]}.ttf"


SYSTEM = "system"
"""In a style's fallback_fonts: the system's TrueType fonts, as fontconfig finds them."""


def fallback_files(entries: tuple[str, ...], style_dir: Path) -> list[Path | str]:
    """A style's fallback fonts as files (relative to the style's folder), `SYSTEM` kept as a marker;
    a file that does not exist is a StyleError, before any page is set."""
    found: list[Path | str] = []
    for entry in entries:
        if entry == SYSTEM:
            found.append(SYSTEM)
            continue
        path = Path(entry).expanduser()
        path = path if path.is_absolute() else style_dir / path
        if not path.is_file():
            raise StyleError(f"fallback font {entry!r} not found (looked at {path})")
        found.append(path)
    return found


@lru_cache(maxsize=4096)
def system_fonts_with(char: str) -> tuple[Path, ...]:
    """TrueType files fontconfig says have `char` (none when fontconfig is not installed)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    query = f":charset={ord(char):x}:fontformat=TrueType"
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{file}\n", query], capture_output=True, text=True, check=False, timeout=20
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return tuple(sorted({Path(line) for line in listed.splitlines() if line.lower().endswith(".ttf")}))


def subset_faces(faces: Iterable[str], characters: Iterable[int], *, vertical: bool = False) -> dict[str, bytes]:
    """Each bundled face cut down to exactly `characters` (code points), as TrueType bytes, for a
    file that carries its own fonts (EPUB, DOCX); vertical books keep the vertical glyph forms."""
    from fontTools import subset

    wanted = set(characters)
    out = {}
    for face in sorted(set(faces)):
        options = subset.Options()
        options.layout_features = ["vert", "vrt2"] if vertical else []
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(face_file(face)), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        out[face] = buffer.getvalue()
    return out
