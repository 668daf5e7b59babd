"""The whole flow in one place: read → parse → repair → writers.

Read this file top to bottom to know where everything is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from compiler.model import Compilation
from compiler.parse import parse_blocks
from compiler.read import read_file
from compiler.repair import repair_compilation
from compiler.styles import load_style
from compiler.writers import writer_for


@dataclass(frozen=True, slots=True)
class Loaded:
    """A source turned into a model, and the warnings of every stage."""

    source: Path
    compilation: Compilation
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What one build wrote and what it warned about."""

    source: Path
    outputs: tuple[Path, ...]
    warnings: tuple[str, ...]
    repairs: int


def load(source: Path, *, encoding: str | None = None, repair: bool = True) -> Loaded:
    """Read, parse and (unless told not to) repair one source file."""
    text = read_file(source, encoding=encoding)
    parsed = parse_blocks(text.blocks)
    warnings = list(parsed.warnings)
    doc = parsed.compilation
    if repair:
        repaired = repair_compilation(doc)
        doc = repaired.compilation
        warnings.extend(repaired.warnings)
    return Loaded(source=source, compilation=doc, warnings=tuple(warnings))


def build(
    source: Path,
    formats: Sequence[str],
    outdir: Path,
    *,
    style: str | Path = "default",
    encoding: str | None = None,
) -> BuildReport:
    """Build one source into every requested format in `outdir`, named after the source."""
    writers = [writer_for(name) for name in formats]  # unknown formats and styles fail before any work
    chosen_style = load_style(style)
    loaded = load(source, encoding=encoding)
    outputs = tuple(
        write(loaded.compilation, chosen_style, outdir / f"{source.stem}{suffix}") for write, suffix in writers
    )
    return BuildReport(
        source=source, outputs=outputs, warnings=loaded.warnings, repairs=len(loaded.compilation.repairs)
    )
