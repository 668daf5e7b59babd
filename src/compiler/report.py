"""The check report as one self-contained HTML page an editor reads in a browser."""

from __future__ import annotations

import html
from pathlib import Path

from compiler.model import Compilation
from compiler.proofread import Finding

_STYLE = """
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; max-width: 60em; margin: 2em auto;
       line-height: 1.7; color: #222; }
h1, h2 { font-family: "Noto Sans CJK SC", "PingFang SC", SimHei, sans-serif; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: .3em .5em; vertical-align: top; text-align: left; }
mark { background: #ffe08a; } .fix { color: #0a6b2d; } .rule { font-family: monospace; font-size: .9em; }
.low { color: #777; }
"""


def report_html(parts: list[tuple[Path, Compilation, list[Finding]]], title: str) -> str:
    """One page for a source or a whole book: each source's findings and repairs, in context."""
    sections = "\n".join(_section(source, doc, findings) for source, doc, findings in parts)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)} — 校对报告</title>
<style>{_STYLE}</style></head><body>
<h1>{html.escape(title)} — 校对报告</h1>
{sections}
</body></html>
"""


def _section(source: Path, doc: Compilation, findings: list[Finding]) -> str:
    """Repairs and findings of one source, each in its context, the text in question highlighted."""
    e = html.escape
    rows = []
    for number, finding in enumerate(findings, start=1):
        low = ' class="low"' if finding.confidence < 0.5 else ""
        fix = f'<span class="fix">{e(finding.suggestion)}</span>' if finding.suggestion is not None else "—"
        rows.append(
            f'<tr{low}><td>{number}</td><td class="rule">{e(finding.rule)}</td><td>{e(finding.where)}</td>'
            f"<td>…{e(finding.before)}<mark>{e(finding.text)}</mark>{e(finding.after)}…</td><td>{fix}</td>"
            f"<td>{finding.confidence:.2f}</td><td>{e(finding.message)}</td></tr>"
        )
    repairs = []
    for number, repair in enumerate(doc.repairs, start=1):
        context = f"…{e(repair.left)}<mark>|</mark>{e(repair.right)}…"
        repairs.append(
            f'<tr><td>{number}</td><td class="rule">{repair.kind.value}</td><td>{e(repair.speech or "编者按")}</td>'
            f"<td>{context}</td><td>{repair.confidence:.2f}</td><td>{e(repair.evidence)}</td></tr>"
        )
    for number, correction in enumerate(doc.corrections, start=len(doc.repairs) + 1):
        context = f"…{e(correction.context + correction.found)} → <mark>{e(correction.replaced_by)}</mark>"
        repairs.append(
            f'<tr><td>{number}</td><td class="rule">correct</td><td>{e(correction.speech or "标题或编者按")}</td>'
            f"<td>{context}</td><td>1.00</td><td>approved by the editor</td></tr>"
        )
    return f"""<section>
<h2>{e(doc.title or str(source))}</h2>
<p>{e(str(source))}: {len(doc.repairs)} repair(s), {len(doc.corrections)} correction(s), {len(findings)} finding(s).</p>
<h3>校对 Proofreading</h3>
<table><tr><th>#</th><th>rule</th><th>where</th><th>context</th><th>suggestion</th><th>confidence</th><th>why</th></tr>
{"".join(rows) or '<tr><td colspan="7">No findings.</td></tr>'}
</table>
<h3>修复 Repairs</h3>
<table><tr><th>#</th><th>kind</th><th>speech</th><th>junction</th><th>confidence</th><th>evidence</th></tr>
{"".join(repairs) or '<tr><td colspan="6">No repairs.</td></tr>'}
</table>
</section>"""
