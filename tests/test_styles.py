"""Styles: every bundled style loads; bad files are refused naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.errors import StyleError
from compiler.styles import STYLES_DIR, load_style


@pytest.mark.parametrize("name", sorted(p.stem for p in STYLES_DIR.glob("*.yaml")))
def test_bundled_styles_load(name: str) -> None:
    style = load_style(name)
    assert style.roles.body.first_line_indent_chars == 2
    assert style.page.width_mm > 0 and style.source.name == f"{name}.yaml"


def test_a5_overrides_only_what_it_names() -> None:
    default, a5 = load_style("default"), load_style("a5")
    assert (a5.page.width_mm, a5.page.height_mm) == (148, 210)
    assert a5.roles.body.size_pt == 10 and a5.roles.body.east_asian_font == default.roles.body.east_asian_font
    assert a5.page.bleed_mm == default.page.bleed_mm


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extends: default\npage: {colour: red}\n", "unknown key page.colour"),
        ("extends: default\nroles: {body: {size_pt: big}}\n", "roles.body.size_pt must be a number"),
        ("extends: default\nroles: {body: {align: middle}}\n", "roles.body.align must be one of"),
        ("extends: default\ntoc: yes please\n", "toc must be true or false"),
        ("extends: default\ntext_colour_cmyk: [0, 0, 1]\n", "text_colour_cmyk must be a list of 4 values"),
        ("name: alone\n", "missing key"),
        ("extends: nowhere\n", "style 'nowhere' not found"),
        ("- just\n- a list\n", "must be a mapping"),
        ("extends: default\npage: [\n", "not valid YAML"),
    ],
)
def test_bad_styles_are_refused_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(StyleError, match=message) as caught:
        load_style(path)
    assert str(path) in str(caught.value) or "not found" in message


def test_a_style_that_extends_itself_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(StyleError, match="extends itself"):
        load_style(tmp_path / "a.yaml")


def test_extends_by_relative_path(tmp_path: Path) -> None:
    write(tmp_path, f"extends: {STYLES_DIR / 'default.yaml'}\nname: house\npublisher: 某某出版社\n", "house.yaml")
    write(tmp_path, "extends: house.yaml\nname: child\n", "child.yaml")
    style = load_style(tmp_path / "child.yaml")
    assert style.name == "child" and style.publisher == "某某出版社"


def test_every_role_has_a_style_field_and_every_writer_a_place_for_it() -> None:
    """`Roles.of` reads the field named after the role: the two lists must be one."""
    import dataclasses

    from compiler.styles import Role, Roles
    from compiler.writers.docx import STYLE_NAMES
    from compiler.writers.epub import SELECTORS

    assert {field.name for field in dataclasses.fields(Roles)} == {role.value for role in Role}
    assert set(STYLE_NAMES) == set(Role) == set(SELECTORS)
    style = load_style("default")
    assert style.roles.of(Role.BODY) is style.roles.body
