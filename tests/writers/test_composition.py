"""The composition checker (composition.py) on what we print: the seed in both styles, the example
book, long speeches that cross many pages, and every clean page of the recovery corpus."""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from compiler.book import load_manifest
from compiler.model import Compilation
from compiler.pipeline import load, load_book
from compiler.styles import load_style
from compiler.writers import pdf as pdf_writer
from compiler.writers.common import title_block
from tests.corpus.split import pages
from tests.writers.composition import Composition, inspect

ROOT = Path(__file__).resolve().parents[2]


def displays(doc: Compilation) -> list[str]:
    """The display texts a page sets (its display-role title block and its headings)."""
    shown = [value for role, value in title_block(doc) if role in pdf_writer.DISPLAY_ROLES]
    return shown + [s.heading for s in doc.speeches if s.heading]


def checked(doc: Compilation, style_name: str, path: Path) -> Composition:
    style = load_style(style_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        written = pdf_writer.write(doc, style, path)
    return inspect(written, doc.speeches, displays(doc), style)


@pytest.mark.parametrize("style_name", ["default", "a5"])
def test_the_seed_and_the_example_book_are_clean(style_name: str, tmp_path: Path) -> None:
    seed = load(ROOT / "seeds" / "000_e966b2786ad61c87.txt").compilation
    found = checked(seed, style_name, tmp_path / "seed.pdf")
    assert not found.faults() and found.pairs_seen >= 10 and found.paragraphs_seen >= 40
    manifest = load_manifest(ROOT / "seeds" / "book.yaml")
    book = replace(manifest.book, parts=tuple(part.compilation for part in load_book(manifest)))
    style = load_style(style_name)
    written = pdf_writer.write(book, style, tmp_path / "book.pdf")
    speeches = [speech for part in book.parts for speech in part.speeches]
    found = inspect(written, speeches, [book.title], style)
    assert not found.faults()


@pytest.mark.parametrize("style_name", ["default", "a5"])
@pytest.mark.parametrize("times", [3, 6])
def test_long_speeches_keep_facing_pages_even(style_name: str, times: int, tmp_path: Path) -> None:
    """The seed's paragraphs made 3 and 6 times as long: many spreads inside speeches, each pair
    of facing pages ending on the same line (a5 had spreads one line apart before balancing)."""
    seed = load(ROOT / "seeds" / "000_e966b2786ad61c87.txt").compilation
    long = replace(
        seed,
        speeches=tuple(
            replace(s, paragraphs=tuple(replace(p, text=p.text * times) for p in s.paragraphs)) for s in seed.speeches
        ),
    )
    found = checked(long, style_name, tmp_path / "long.pdf")
    assert found.spreads_seen >= 2
    assert not found.faults()


MEASURED = {
    "default": Counter(lonely_pages=1),
    "a5": Counter(runts=2, lonely_pages=4, facing_depths=1),
}
"""What the checker finds on the 126 clean corpus pages today (2026-11-28, third session): short of
the issue's zero. Runts are taken up by setting commas narrower where the lines before cannot give
characters (before that: 3 runts in 16开 and 12 in a5, on 104 pages); the two a5 runts (…解。) end
paragraphs whose last lines have too few lone closing marks to take them up. The lonely pages: in
16开 the last of 16 photo captions of rmrb-20250707-laobing's title area runs over onto a page of
its own; in a5 closing credits (本期统筹：…, 融媒合作：…), which one tuning page has (unscored), the
tagger takes for a heading and starts a "speech" of one line on a page of its own. The uneven
spread: a5 pages 9 and 10 of rmrb-20250530-liuyi-kangfu end 0.77 line apart: its closing sidebar
is tagged as credits, which a5 sets off the body's grid (10.5 pt at 1.7 with 6 pt before, the body
10 pt at 1.65); setting them on the grid moved the faults elsewhere (7 → 8), so it stays."""


@pytest.mark.slow
@pytest.mark.parametrize("style_name", ["default", "a5"])
def test_every_clean_corpus_page(style_name: str, tmp_path: Path) -> None:
    found: Counter[str] = Counter()
    for source in pages("all"):
        composition = checked(load(source).compilation, style_name, tmp_path / f"{source.stem}.pdf")
        for name, faults in composition.faults().items():
            found[name] += len(faults)
    print(f"\n{style_name}: {dict(found)}")
    for name, count in found.items():
        assert count <= MEASURED[style_name][name], (name, count)
