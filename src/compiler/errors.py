"""One hierarchy of expected failures, so the CLI can turn each into one sentence and an exit code."""

from __future__ import annotations


class CompilerError(Exception):
    """A failure the user can act on; the CLI prints its message and exits with `exit_code`."""

    exit_code = 1


class InputError(CompilerError):
    """The input cannot be used as it is (bad usage or bad data): exit status 2."""

    exit_code = 2


class EmptyInputError(InputError):
    """The input holds no text at all."""


class BinaryInputError(InputError):
    """The input looks like a binary file, not text."""


class InputDecodeError(InputError):
    """The input's bytes are not valid in any encoding we accept."""


class ModelFormatError(InputError):
    """A JSON model is malformed or of an unsupported format version."""


class StyleError(InputError):
    """A style file is missing, malformed, or has an unknown key or a bad value."""


class OutputError(CompilerError):
    """An output file could not be written: exit status 1 (the input was fine)."""


class CompilerWarning(UserWarning):
    """Something a writer or stage could not do exactly as asked; the CLI prints it and goes on."""
