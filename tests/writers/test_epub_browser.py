"""EPUB pages in a real browser (headless Chromium): the cover fits whole, nothing overflows.

Each page is measured at a phone's viewport with a script appended to a copy of its XHTML; the
copy is only for measuring, the screenshots (of the pages as shipped) are kept under
build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from compiler.model import Compilation
from compiler.styles import load_style
from compiler.writers import epub as epub_writer
from tests.writers.conftest import require_tool

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
VIEWPORT = (600, 800)
PAGES = ("cover.xhtml", "title.xhtml", "speech-001.xhtml")
MEASURE = """<script>//<![CDATA[
window.addEventListener("load", function () {
  var d = document.documentElement, r = {sw: d.scrollWidth, cw: d.clientWidth, sh: d.scrollHeight, ch: d.clientHeight};
  var img = document.querySelector("img");
  if (img) { var q = img.getBoundingClientRect();
    r.img = [q.left, q.top, q.right, q.bottom, img.complete && img.naturalWidth > 0]; }
  document.body.setAttribute("data-measure", JSON.stringify(r));
});
//]]></script>"""


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    browser = require_tool("chromium")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
        "--virtual-time-budget=3000",
    ]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def _measure(page: Path, profile: Path) -> dict[str, object]:
    probe = page.with_name("measure-" + page.name)
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    run = _chromium(f"--user-data-dir={profile}", "--dump-dom", probe.as_uri())
    found = re.search(r'data-measure="([^"]*)"', run.stdout)
    assert found, run.stdout[-2000:] + run.stderr[-2000:]
    return dict(json.loads(found.group(1).replace("&quot;", '"')))


@pytest.mark.slow  # starts Chromium a dozen times: about 20 s
@pytest.mark.parametrize("style_name", ["default", "vertical"])
def test_pages_fit_a_phone_screen(seed_doc: Compilation, style_name: str, tmp_path: Path) -> None:
    book = epub_writer.write(seed_doc, load_style(style_name), tmp_path / "book.epub")
    with zipfile.ZipFile(book) as archive:
        archive.extractall(tmp_path / "book")
    SHOTS.mkdir(parents=True, exist_ok=True)
    vertical = style_name == "vertical"
    for name in PAGES:
        page = tmp_path / "book" / "EPUB" / name
        shot = SHOTS / f"epub-{style_name}-{name.removesuffix('.xhtml')}.png"
        _chromium(f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", page.as_uri())
        assert shot.stat().st_size > 0
        m = _measure(page, tmp_path / "profile")
        width, height = m["cw"], m["ch"]
        assert isinstance(width, int) and isinstance(height, int)
        if name == "cover.xhtml":
            left, top, right, bottom, loaded = m["img"]  # type: ignore[misc]
            assert loaded, "the cover image did not load"
            assert left >= 0 and top >= 0 and right <= width + 0.5 and bottom <= height + 0.5, m
            assert right - left >= 0.95 * width or bottom - top >= 0.95 * height, m  # fits, not shrunk
            assert m["sw"] <= width and m["sh"] <= height, m
        elif vertical:
            assert m["sh"] <= height, f"{name}: a column runs past the bottom of the screen: {m}"
        else:
            assert m["sw"] <= width, f"{name}: a line runs past the right edge of the screen: {m}"
