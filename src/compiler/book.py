"""Book manifests (BOOK.yaml): several sources under one title, with the editor's corrections.

Paths are relative to the manifest; a path that leaves the manifest's folder, a missing file or
an unknown key is an error naming the manifest and the key.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.errors import InputError
from compiler.model import Book
from compiler.repair.corrections import Correction
from compiler.yamlfile import load_mapping, refuse_unknown_keys

_KEYS = {"title", "subtitle", "editor", "publisher", "date", "isbn", "language", "style", "sources", "corrections"}
_SOURCE_KEYS = {"path", "encoding"}
_CORRECTION_KEYS = {"find", "replace", "speech", "source"}


@dataclass(frozen=True, slots=True)
class Source:
    """One part of the book: a text file and, if it is not UTF-8 or GB18030, its encoding."""

    path: Path
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    """A book: its metadata, its sources in order, and the corrections the editor approved."""

    path: Path
    book: Book
    """The book's metadata; its parts are filled in when the sources are read (pipeline.load_book)."""
    sources: tuple[Source, ...]
    corrections: tuple[tuple[Correction, Path | None], ...] = ()
    """Each correction with the source it is limited to (None: every source)."""
    style: str = "default"

    @property
    def title(self) -> str:
        return self.book.title


def load_manifest(path: Path) -> Manifest:
    """Read and check a manifest."""
    data = load_mapping(path, "a manifest")
    refuse_unknown_keys(path, "", data, _KEYS)
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise InputError(f"{path}: title: a book needs a title")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise InputError(f"{path}: sources: a list of at least one source is needed")
    folder = path.resolve().parent
    parts = tuple(_source(path, folder, n, entry) for n, entry in enumerate(sources, start=1))
    corrections = tuple(
        _correction(path, folder, n, entry) for n, entry in enumerate(data.get("corrections") or [], start=1)
    )
    text = {key: _text(path, key, data.get(key)) for key in ("subtitle", "editor", "publisher", "date", "isbn")}
    book = Book(
        title=data["title"],
        parts=(),
        subtitle=text["subtitle"],
        editor=text["editor"],
        publisher=text["publisher"],
        date=text["date"],
        isbn=text["isbn"],
        language=_text(path, "language", data.get("language")) or "zh-CN",
    )
    return Manifest(
        path=path,
        book=book,
        sources=parts,
        corrections=corrections,
        style=_text(path, "style", data.get("style")) or "default",
    )


def _text(path: Path, key: str, value: Any) -> str | None:
    """A manifest value as text. YAML reads an unquoted 2024-05-01 as a date: kept as ISO text."""
    if value is None:
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"{path}: {key} must be a text")


def _inside(path: Path, folder: Path, where: str, relative: Any) -> Path:
    """A path from the manifest, resolved against its folder, refused if it leaves that folder."""
    if not isinstance(relative, str) or not relative:
        raise InputError(f"{path}: {where} must be a path")
    resolved = (folder / relative).resolve()
    if not resolved.is_relative_to(folder):
        raise InputError(f"{path}: {where}: {relative!r} leaves the manifest's folder")
    if not resolved.is_file():
        raise InputError(f"{path}: {where}: {relative!r}: no such file")
    return resolved


def _source(path: Path, folder: Path, number: int, entry: Any) -> Source:
    where = f"sources[{number}]"
    if isinstance(entry, str):
        return Source(_inside(path, folder, where, entry))
    if not isinstance(entry, dict):
        raise InputError(f"{path}: {where} must be a path or a mapping with path:")
    refuse_unknown_keys(path, f"{where}.", entry, _SOURCE_KEYS)
    return Source(
        _inside(path, folder, f"{where}.path", entry.get("path")),
        _text(path, f"{where}.encoding", entry.get("encoding")),
    )


def _correction(path: Path, folder: Path, number: int, entry: Any) -> tuple[Correction, Path | None]:
    where = f"corrections[{number}]"
    if not isinstance(entry, dict):
        raise InputError(f"{path}: {where} must be a mapping with find: and replace:")
    refuse_unknown_keys(path, f"{where}.", entry, _CORRECTION_KEYS)
    find, replace = entry.get("find"), entry.get("replace")
    if not isinstance(find, str) or not find or not isinstance(replace, str):
        raise InputError(f"{path}: {where}: find and replace must be texts, find not empty")
    source = None if entry.get("source") is None else _inside(path, folder, f"{where}.source", entry["source"])
    return Correction(find, replace, _text(path, f"{where}.speech", entry.get("speech"))), source
