"""The corpus split, decided once: a page belongs to the test part by a hash of its name.

The rule was fixed before any page was scored (2026-11-27) and is never tuned: test when the first
32 bits of SHA-256(name) mod 8 are 0, 1 or 2 (about 37 % of pages). Tuning, training and every
threshold use the tuning part only; the test part is scored and reported as it comes out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "data" / "corpus" / "pages"
TRAIN_ONLY = PAGES.parent / "train-only"
"""Labelled texts that only ever train: the project's seed (its answer is the reviewed golden model)."""


def is_test(name: str) -> bool:
    """True when the page named `name` (file stem) is in the test part."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) % 8 < 3


def pages(part: str) -> list[Path]:
    """The .txt files of one part ("tune", "test" or "all"), sorted by name."""
    found = sorted(p for p in PAGES.glob("*.txt"))
    if part == "all":
        return found
    chosen = [p for p in found if is_test(p.stem) == (part == "test")]
    return chosen + sorted(TRAIN_ONLY.glob("*.txt")) if part == "tune" else chosen
