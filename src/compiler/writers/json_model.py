"""The model itself as versioned JSON: the interchange format for tools and for writer tests."""

from __future__ import annotations

from pathlib import Path

from compiler.model import Compilation, to_json
from compiler.output import write_atomically


def write(doc: Compilation, out: Path) -> Path:
    """Write the model as UTF-8 JSON."""
    return write_atomically(out, (to_json(doc) + "\n").encode("utf-8"))
