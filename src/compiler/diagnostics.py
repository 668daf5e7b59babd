"""One kind of diagnostic for every stage: what parse, repair and the writers could not do as asked.

Stages gather them and hand them back with their result; nothing is printed on the way. The CLI
prints them one way on every path (a page, a batch, a book, a cluster) and `--format json` gives
them to tools. Python's `warnings` stays inside the writers' calls: `writer_diagnostics` turns
what they raise into diagnostics, so no warning ever reaches the terminal with a file and a line
of our source code.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from compiler.errors import CompilerWarning


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


class Code(StrEnum):
    """Which stage speaks, for tools that filter (a source that cannot be built is an error, not a diagnostic)."""

    STRUCTURE = "structure"
    """The parser: no title found, text that belongs to no speech…"""
    REPAIR = "repair"
    """A cut left open, a repair made with less than full confidence…"""
    OUTPUT = "output"
    """A writer: a character no bundled face has, a character XML forbids…"""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of a stage about one source."""

    code: Code
    message: str
    source: str | None = None
    """The file it is about (a book's part, a batch's source); None when the context says it."""
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{self.severity.value}: {where}{self.message}"

    def to_data(self) -> dict[str, str | None]:
        return {
            "severity": self.severity.value,
            "code": self.code.value,
            "source": self.source,
            "message": self.message,
        }

    def about(self, source: object) -> Diagnostic:
        """The diagnostic naming `source` where it named none (the CLI knows which file it is about)."""
        return self if self.source is not None else replace(self, source=str(source))


def of_messages(code: Code, messages: Iterable[str], source: str | None = None) -> tuple[Diagnostic, ...]:
    """A stage's messages as diagnostics of one code (parse and repair speak in sentences)."""
    return tuple(Diagnostic(code, message, source) for message in messages)


@contextlib.contextmanager
def writer_diagnostics(source: str | None = None) -> Iterator[list[Diagnostic]]:
    """Collect the CompilerWarnings raised inside the block as OUTPUT diagnostics."""
    found: list[Diagnostic] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CompilerWarning)
        yield found
    found.extend(
        Diagnostic(Code.OUTPUT, str(w.message), source) for w in caught if issubclass(w.category, CompilerWarning)
    )
