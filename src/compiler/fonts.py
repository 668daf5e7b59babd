"""The bundled faces (fonts/): which file serves which face name a style may use."""

from __future__ import annotations

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
