"""The bundled fonts, installed with the package as `compiler.bundled_fonts` (pyproject.toml)."""
