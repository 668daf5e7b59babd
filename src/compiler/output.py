"""Atomic output: a file is either the whole new version or the old one, never half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from compiler.errors import OutputError


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    A target that exists and is not a regular file (/dev/null, a pipe, a terminal) is written to
    directly: renaming over it would replace the device itself.
    """
    if path.exists() and not path.is_file():
        if path.is_dir():
            raise OutputError(f"{path}: is a directory")
        try:
            with path.open("wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
