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
    "default": Counter(lonely_pages=1, facing_depths=2),
    "a5": Counter(runts=5, lonely_pages=2, facing_depths=2),
}
"""What the checker finds on the 157 clean corpus pages today (2026-11-28, fifth session): short of
the issue's zero. On the 126 pages of the third session it found 16开 lonely 1, a5 runts 2, lonely
4, uneven spread 1; the 26 pages added since bring two runts (哎……”, 港》, lines of one character
and closing marks in a5) and a spread four lines uneven in both styles (rmrb-20250519-zhucanri: its
closing box of numbered items is read as credit lines, set apart from the body's grid, and the
speech they end does not end on the deeper page); the retrained tagger moves one a5 runt (镇——,
rmrb-20250707-kangzhan) and one 16开 spread (rmrb-20250331-gushihui-yingshang, 1 line). A page
holding nothing but a label the tagger made a speech of (民主政治, 4 in rmrb-20250307-pingshi-shijie)
is gone: a speech with no body text no longer opens a page in a5. Left: in 16开 the last of 16
photo captions of rmrb-20250707-laobing's title area runs onto a page of its own, and in a5 two
pages hold only a caption or a title line (rmrb-20250213-xinjiuye, rmrb-20250701-dangqi)."""


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
