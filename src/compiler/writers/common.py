"""What several writers need from the model in the same way: dates, keywords, display lines."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import lru_cache

from compiler.errors import InputError
from compiler.model import Compilation, Speaker

KEYWORD_COUNT = 8


def build_date() -> datetime:
    """The date a build is stamped with: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}") from None


def speaker_line(speaker: Speaker) -> str:
    """The speaker line as printed: affiliation, an ideographic space, the name."""
    return f"{speaker.affiliation}\u3000{speaker.name}"


def keywords(doc: Compilation) -> list[str]:
    """The compilation's keywords by TF-IDF (jieba's corpus statistics), most telling first."""
    text = "\n".join(doc.texts())
    return list(_keywords(text))


@lru_cache(maxsize=8)
def _keywords(text: str) -> tuple[str, ...]:
    import jieba.analyse

    from compiler.repair.evidence import default_model

    default_model().tokenizer  # noqa: B018 - load the shared dictionary once, quietly
    return tuple(jieba.analyse.extract_tags(text, topK=KEYWORD_COUNT))
