"""The model itself as versioned JSON: the interchange format for tools and for writer tests."""

from __future__ import annotations

import json
from pathlib import Path

from compiler.model import Book, Compilation, to_data, to_json
from compiler.output import write_atomically
from compiler.styles import Style


def write(doc: Compilation | Book, style: Style, out: Path) -> Path:
    """Write the model as UTF-8 JSON (the style does not change the model); a book as its parts."""
    if isinstance(doc, Compilation):
        return write_atomically(out, (to_json(doc) + "\n").encode("utf-8"))
    data = {
        "format": "speech-book",
        "title": doc.title,
        "subtitle": doc.subtitle,
        "editor": doc.editor,
        "publisher": doc.publisher,
        "date": doc.date,
        "isbn": doc.isbn,
        "language": doc.language,
        "parts": [to_data(part) for part in doc.parts],
    }
    return write_atomically(out, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
