"""Build cache: skip a build whose inputs, style, fonts and program have not changed.

The key is a digest of everything a build's bytes depend on: the source file, the resolved style,
the corrections file, the bundled fonts, the formats, `SOURCE_DATE_EPOCH`, and the program's own
source. It is kept beside the outputs (`.compiler-cache/NAME.key`) and trusted only while every
output it vouches for still exists.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from compiler.fonts import FONT_DIR
from compiler.output import write_atomically
from compiler.styles import Style

CACHE_FOLDER = ".compiler-cache"


def build_key(
    source: Path, style: Style, formats: list[str], corrections: Path | None, others: tuple[Path, ...] = ()
) -> str:
    """A digest of every input of one build (`others`: a book's sources, besides its manifest)."""
    digest = hashlib.sha256()
    for part in (
        source.read_bytes(),
        *(path.read_bytes() for path in others),
        repr(style).encode("utf-8"),
        corrections.read_bytes() if corrections is not None else b"",
        ",".join(formats).encode("ascii"),
        os.environ.get("SOURCE_DATE_EPOCH", "").encode("ascii"),
        _program_digest().encode("ascii"),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def is_current(outdir: Path, source: Path, key: str, outputs: list[Path]) -> bool:
    """True when the last build of `source` into `outdir` had this key and left every output."""
    stamp = outdir / CACHE_FOLDER / f"{source.name}.key"
    try:
        recorded = stamp.read_text(encoding="ascii").strip()
    except OSError:
        return False
    return recorded == key and all(path.is_file() for path in outputs)


def record(outdir: Path, source: Path, key: str) -> None:
    """Remember the key of a build that has just written all its outputs."""
    write_atomically(outdir / CACHE_FOLDER / f"{source.name}.key", (key + "\n").encode("ascii"))


@lru_cache(maxsize=1)
def _program_digest() -> str:
    """The program's source, its learned models (data/) and the bundled fonts: a new version rebuilds all."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    program = sorted(package.rglob("*.py")) + sorted((package / "data").glob("*"))
    for path in program + sorted(FONT_DIR.glob("*.ttf")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()
