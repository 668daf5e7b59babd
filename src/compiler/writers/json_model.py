"""The model itself as versioned JSON: the interchange format for tools and for writer tests."""

from __future__ import annotations

from pathlib import Path

from compiler.model import Book, Compilation, to_json
from compiler.output import write_atomically
from compiler.styles import Style


def write(doc: Compilation | Book, style: Style, out: Path) -> Path:
    """Write the model as UTF-8 JSON (the style does not change the model): a compilation, or a book
    with its parts (model.book_from_json reads it back)."""
    return write_atomically(out, (to_json(doc) + "\n").encode("utf-8"))
