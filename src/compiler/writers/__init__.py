"""Writers: one module per format, one signature `write(doc, style, out) -> Path`, one registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from compiler.errors import InputError
from compiler.model import Compilation
from compiler.styles import Style
from compiler.writers import docx, epub, json_model, pdf

Writer = Callable[[Compilation, Style, Path], Path]

WRITERS: dict[str, tuple[Writer, str]] = {
    "docx": (docx.write, ".docx"),
    "epub": (epub.write, ".epub"),
    "json": (json_model.write, ".json"),
    "pdf": (pdf.write, ".pdf"),
}
"""Format name → (writer, file suffix)."""


def writer_for(name: str) -> tuple[Writer, str]:
    """The writer of a format, or an error that lists the formats there are."""
    try:
        return WRITERS[name]
    except KeyError:
        known = ", ".join(sorted(WRITERS))
        raise InputError(f"unknown format {name!r}; known: {known}") from None
