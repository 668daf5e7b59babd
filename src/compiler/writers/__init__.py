"""Writers: one module per format, one signature `write(doc, style, out) -> Path`, one registry.

A writer's module is imported only when its format is asked for: a PDF build does not pay for
python-docx or ebooklib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from compiler.errors import InputError
from compiler.model import Book, Compilation
from compiler.styles import Style

Writer = Callable[[Compilation | Book, Style, Path], Path]

WRITERS: dict[str, tuple[str, str]] = {
    "docx": ("compiler.writers.docx", ".docx"),
    "epub": ("compiler.writers.epub", ".epub"),
    "json": ("compiler.writers.json_model", ".json"),
    "pdf": ("compiler.writers.pdf", ".pdf"),
}
"""Format name → (module whose `write` renders it, file suffix)."""


def writer_for(name: str) -> tuple[Writer, str]:
    """The writer of a format, or an error that lists the formats there are."""
    try:
        module_name, suffix = WRITERS[name]
    except KeyError:
        known = ", ".join(sorted(WRITERS))
        raise InputError(f"unknown format {name!r}; known: {known}") from None
    write: Writer = importlib.import_module(module_name).write
    return write, suffix
