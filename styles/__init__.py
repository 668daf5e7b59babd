"""The bundled styles, installed with the package as `compiler.bundled_styles` (pyproject.toml)."""
