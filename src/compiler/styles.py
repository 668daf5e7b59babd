"""YAML styles → a typed, validated `Style` that every writer reads.

As Sphinx checks each config value against its declared type when the builder starts, a style is
checked when it is loaded: an unknown key or a bad value is an error naming the file and the key
path, never a surprise inside a writer. A style may `extends:` another (by name or path); its keys
are merged over the parent's, mapping by mapping.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from compiler.errors import StyleError
from compiler.yamlfile import load_mapping, refuse_unknown_keys

STYLES_DIR = Path(str(resources.files("compiler.bundled_styles")))
"""The bundled styles: `styles/` at the top of the project, installed as the data package
`compiler.bundled_styles` (pyproject.toml maps the folder), so a wheel carries them."""


Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True, slots=True)
class PageStyle:
    """The trimmed page and what lies around it, in millimetres."""

    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_inner_mm: float
    """Margin on the binding side (left on odd pages of a book read left to right)."""
    margin_outer_mm: float
    bleed_mm: float
    """Extra paper beyond the trim on every side, for the print shop."""
    crop_marks: bool


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How one role of text is set."""

    east_asian_font: str
    """Chinese face by the name Word and CSS know (宋体, 黑体, 楷体 …)."""
    latin_font: str
    """Face for Latin letters and digits beside it."""
    size_pt: float
    leading: float
    """Line height as a multiple of the size."""
    first_line_indent_chars: float
    """First-line indent in characters (2 for Chinese body text)."""
    align: Align
    space_before_pt: float
    space_after_pt: float
    bold: bool


class Role(StrEnum):
    """The kinds of text a style sets, one field of `Roles` each: writers name them by these, so a
    typo is a mypy error, not a failure at run time."""

    KICKER = "kicker"
    TITLE = "title"
    SUBTITLE = "subtitle"
    NOTE = "note"
    SIGNATURE = "signature"
    TOC = "toc"
    HEADING = "heading"
    SPEAKER = "speaker"
    BODY = "body"
    SUBHEADING = "subheading"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class Roles:
    """A text style for every kind of text the model has."""

    kicker: TextStyle
    title: TextStyle
    subtitle: TextStyle
    note: TextStyle
    signature: TextStyle
    toc: TextStyle
    heading: TextStyle
    speaker: TextStyle
    body: TextStyle
    subheading: TextStyle
    credit: TextStyle

    def of(self, role: Role) -> TextStyle:
        """The style of one role (the fields are named after the Role values; a test checks it)."""
        found: TextStyle = getattr(self, role.value)
        return found


@dataclass(frozen=True, slots=True)
class Style:
    """Everything a writer needs to know about the look of a book."""

    name: str
    language: str
    """BCP 47 language tag of the text, e.g. zh-CN."""
    page: PageStyle
    roles: Roles
    text_colour_cmyk: tuple[float, float, float, float]
    """Colour of all text, CMYK in 0..1 (print wants 0,0,0,1: black on the K plate only)."""
    toc: bool
    """Whether the book has a table of contents."""
    toc_title: str
    running_heads: bool
    folios: bool
    """Page numbers."""
    speech_starts_new_page: bool
    vertical_writing: bool
    """EPUB: set the text in vertical columns, right to left (writing-mode: vertical-rl)."""
    embed_fonts: bool
    """EPUB and DOCX: embed the bundled faces, subset to the characters the book uses."""
    page_list: bool
    """EPUB: mark where each page of the PDF this style prints begins, and list those pages
    (a page-list), so a reader can cite the printed edition (costs the PDF's layout time)."""
    publisher: str | None
    """The imprint named in the book's metadata (EPUB dc:publisher, DOCX company); null for none."""
    opening_mark_at_line_start: Literal["full", "half"]
    """PDF: an opening bracket or quote that starts a line at the margin keeps its full width
    (GB/T 15834 practice) or is set half-width, its ink flush with the lines below (clreq §3.1.6)."""
    fallback_fonts: tuple[str, ...]
    """PDF: TrueType files tried, in order, for a character no bundled face has (paths relative to
    the style file); the word `system` tries the system's TrueType fonts that fontconfig finds."""
    missing_glyphs: Literal["warn", "fail"]
    """PDF: a character no face has is named in a warning and drawn as an empty box, or (`fail`,
    also `build --strict`) stops the build with no file written."""
    source: Path = Path()
    """The file the style was read from (set by the loader)."""


def load_style(name_or_path: str | Path) -> Style:
    """A bundled style by name (`default`, `a5`) or a style file by path, validated."""
    path = resolve_style_path(name_or_path)
    data = _merged(path, seen=())
    data.pop("extends", None)
    style: Style = _build(Style, data, path, "")
    return dataclasses.replace(style, source=path)


def resolve_style_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Where a style lives: a path as given, or `styles/NAME.yaml` for a bare name."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text:
        path = Path(text) if relative_to is None or Path(text).is_absolute() else relative_to / text
    else:
        path = STYLES_DIR / f"{text}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in STYLES_DIR.glob("*.yaml")))
        raise StyleError(f"style {name_or_path!r} not found (bundled styles: {known})")
    return path


def _merged(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """The style's mapping with its parents' keys merged under it."""
    if path in seen:
        raise StyleError(f"{path}: extends itself through {' → '.join(str(p) for p in seen)}")
    data = load_mapping(path, "a style", StyleError)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise StyleError(f"{path}: extends: must name a style or a path")
    base = _merged(resolve_style_path(parent, relative_to=path.parent), (*seen, path))
    return _deep_merge(base, data)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _build(kind: type[Any], data: Any, path: Path, where: str) -> Any:
    """Build dataclass `kind` from `data`, checking every key and value against the type hints."""
    if not isinstance(data, dict):
        raise StyleError(f"{path}: {where or 'the style'} must be a mapping")
    hints = get_type_hints(kind)
    fields = {f.name: f for f in dataclasses.fields(kind) if f.name != "source"}
    refuse_unknown_keys(path, _join(where, ""), data, fields, StyleError)
    values = {}
    for name in fields:
        key = _join(where, name)
        if name not in data:
            raise StyleError(f"{path}: missing key {key}")
        values[name] = _value(hints[name], data[name], path, key)
    return kind(**values)


def _value(hint: Any, value: Any, path: Path, key: str) -> Any:
    origin = get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path, key)  # type: ignore[arg-type]
    if origin is Literal:
        if value not in get_args(hint):
            raise StyleError(f"{path}: {key} must be one of {', '.join(map(str, get_args(hint)))}, not {value!r}")
        return value
    if origin is tuple and get_args(hint)[-1] is Ellipsis:
        if not isinstance(value, list):
            raise StyleError(f"{path}: {key} must be a list")
        return tuple(_value(get_args(hint)[0], v, path, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is tuple:
        items = get_args(hint)
        if not isinstance(value, list) or len(value) != len(items):
            raise StyleError(f"{path}: {key} must be a list of {len(items)} values")
        return tuple(_value(item, v, path, f"{key}[{i}]") for i, (item, v) in enumerate(zip(items, value, strict=True)))
    if origin in (Union, types.UnionType):
        if value is None:
            return None  # optional keys (`str | None`) may be null
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return _value(inner, value, path, key)
    if hint is bool:
        if not isinstance(value, bool):
            raise StyleError(f"{path}: {key} must be true or false, not {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise StyleError(f"{path}: {key} must be a number ≥ 0, not {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str) or not value.strip():
            raise StyleError(f"{path}: {key} must be a non-empty text, not {value!r}")
        return value
    raise StyleError(f"{path}: {key}: unsupported type {hint}")  # pragma: no cover


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
