"""The model itself as versioned JSON: the interchange format for tools and for writer tests."""

from __future__ import annotations

from pathlib import Path

from compiler.model import Book, Compilation, to_json
from compiler.output import write_atomically
from compiler.styles import Style
from compiler.writers.common import as_book


def write(doc: Compilation | Book, style: Style, out: Path) -> Path:
    """Write the model as UTF-8 JSON (the style does not change the model): a page as a compilation,
    a book with its parts (model.from_json and model.book_from_json read them back)."""
    book = as_book(doc)
    return write_atomically(out, (to_json(book.parts[0] if book.page else book) + "\n").encode("utf-8"))
