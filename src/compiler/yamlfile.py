"""The YAML files people write for us (styles, book manifests, corrections, reviews): read one way,
refused one way. Every failure is an input error naming the file, and the key where there is one."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from compiler.errors import InputError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (several times faster), else the Python one."""


def load_mapping(path: Path, what: str, error: type[InputError] = InputError) -> dict[str, Any]:
    """The mapping a YAML file holds; `what` names the kind of file in messages ("a manifest")."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise error(f"{path}: no such file (expected {what})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise error(f"{path}: {what} must be a mapping of keys to values")
    return data


def refuse_unknown_keys(
    path: Path, where: str, data: dict[str, Any], known: Iterable[str], error: type[InputError] = InputError
) -> None:
    """An unknown key is a typo until proven otherwise: refused, naming it (`where` prefixes it:
    "sources[2]." or "pdf.") and the keys there are."""
    names = sorted(known)
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise error(f"{path}: unknown key {where}{unknown[0]} (known: {', '.join(names)})")
