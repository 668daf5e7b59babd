"""Turn raw text dumps of Chinese speech compilations (发言摘编) into a clean document model."""

from __future__ import annotations

__version__ = "0.1.0"
