"""Shared fixtures: the seed, the clean corpus, and models built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.model import Compilation
from compiler.parse import parse_blocks
from compiler.read import read_bytes, read_file
from compiler.repair import repair_compilation

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e966b2786ad61c87.txt"
CLEAN = sorted((ROOT / "tests" / "data" / "clean").glob("*.txt"))


def model_of_text(text: str, *, repair: bool = True) -> Compilation:
    """Read, parse and repair text as the pipeline does."""
    doc = parse_blocks(read_bytes(text.encode("utf-8")).blocks).compilation
    return repair_compilation(doc).compilation if repair else doc


def model_of_file(path: Path, *, repair: bool = True) -> Compilation:
    doc = parse_blocks(read_file(path).blocks).compilation
    return repair_compilation(doc).compilation if repair else doc


@pytest.fixture(scope="session")
def seed_model() -> Compilation:
    return model_of_file(SEED)


@pytest.fixture(scope="session")
def clean_corpus(seed_model: Compilation) -> list[tuple[str, Compilation]]:
    """Clean compilations: the repaired seed (repairs dropped) and the real texts in tests/data/clean."""
    from dataclasses import replace

    corpus = [("seed (repaired)", replace(seed_model, repairs=()))]
    corpus.extend((path.stem, model_of_file(path, repair=False)) for path in CLEAN)
    return corpus
