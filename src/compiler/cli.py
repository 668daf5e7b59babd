"""Command line: argument parsing, one error handler, exit codes (0 ok, 1 build failed, 2 bad input)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from compiler import __version__
from compiler.book import load_manifest
from compiler.diagnostics import Diagnostic
from compiler.errors import CompilerError, InputError
from compiler.jobs import cluster_executor
from compiler.model import Compilation, RepairKind, correction_data, repair_data, to_json
from compiler.output import write_atomically
from compiler.pipeline import BuildReport, Outcome, build_book, build_many, load, load_book
from compiler.proofread import Finding, proofread
from compiler.repair import review_of
from compiler.report import report_html
from compiler.styles import Style, load_style
from compiler.writers import WRITERS


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except CompilerError as exc:
        if args.traceback:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as cat and grep do.
        _silence_stdout()
        return 141
    except Exception as exc:  # a bug, not the user's fault: one line, the details on request
        if args.traceback:
            traceback.print_exc()
        print(
            f"error: internal error ({type(exc).__name__}: {exc}); please report it, "
            "and rerun with --traceback for the details",
            file=sys.stderr,
        )
        return 1


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compiler", description="Convert raw text dumps of Chinese speech compilations (发言摘编)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--encoding", help="force the input encoding (default: UTF-8/BOM, else GB18030)")
    common.add_argument("--traceback", action="store_true", help="show the Python traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", parents=[common], help="print the repaired model as JSON")
    parse.add_argument("input", type=Path)
    parse.add_argument("-o", "--output", type=Path, help="write the JSON here instead of to stdout")
    parse.add_argument("--no-repair", action="store_true", help="the model as parsed, before repairs")
    parse.set_defaults(run=_run_parse)

    check = commands.add_parser("check", parents=[common], help="the repair and proofreading report")
    check.add_argument("input", type=Path, nargs="?", help="a source text (or use --book)")
    check.add_argument("--book", type=Path, help="check every source of a book manifest (BOOK.yaml)")
    check.add_argument("--format", choices=["text", "json"], default="text", help="report as text or JSON")
    check.add_argument("-o", "--output", type=Path, help="also write an HTML report here")
    check.add_argument("--corrections", type=Path, help="apply the editor's corrections from this YAML file")
    check.add_argument(
        "--review", type=Path, help="write every cut, its candidates and the repair's decision here (YAML) to edit"
    )
    check.set_defaults(run=_run_check)

    build_ = commands.add_parser("build", parents=[common], help="build inputs into output formats")
    build_.add_argument("inputs", type=Path, nargs="*", metavar="INPUT")
    build_.add_argument("--book", type=Path, help="build a book manifest (BOOK.yaml) into one book")
    build_.add_argument(
        "--to", default="json", help=f"comma-separated formats (known: {', '.join(sorted(WRITERS))}; default json)"
    )
    build_.add_argument("-o", "--outdir", type=Path, default=Path("build"), help="output folder (default build/)")
    build_.add_argument("--style", help="a bundled style's name (default, a5, …) or a style file (default: default)")
    build_.add_argument("--corrections", type=Path, help="apply the editor's corrections from this YAML file")
    build_.add_argument("-v", "--verbose", action="store_true", help="also describe every repair")
    build_.add_argument("-q", "--quiet", action="store_true", help="print errors and warnings only")
    build_.add_argument("--force", action="store_true", help="rebuild even when nothing changed since the last build")
    build_.add_argument("-j", "--jobs", type=int, default=1, help="build this many sources at once (processes)")
    build_.add_argument(
        "--cluster",
        metavar="tcp://HOST:PORT",
        help="hand the builds to this Dask scheduler's workers (pip install 'speech-compiler[cluster]')",
    )
    build_.add_argument("--no-repair", action="store_true", help="build the text as given: no join, no move")
    build_.add_argument("--review", type=Path, help="repair as this edited review file says (compiler check --review)")
    build_.add_argument(
        "--strict",
        action="store_true",
        help="fail, writing no PDF, when a character has no glyph in any font (default: warn, draw an empty box)",
    )
    build_.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="how to report: lines for people (default), or one JSON object per source on stdout for tools",
    )
    build_.set_defaults(run=_run_build)
    return parser


def _print_diagnostics(diagnostics: Sequence[Diagnostic], source: Path, *, to: TextIO | None = None) -> None:
    """Every diagnostic one way, on every path: "warning: FILE: message" (to stderr unless told)."""
    for diagnostic in diagnostics:
        print(diagnostic.about(source), file=to or sys.stderr)


def _run_parse(args: argparse.Namespace) -> int:
    loaded = load(args.input, encoding=args.encoding, repair=not args.no_repair)
    _print_diagnostics(loaded.diagnostics, args.input)
    text = to_json(loaded.compilation) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text.encode("utf-8"))
    return 0


def _run_check(args: argparse.Namespace) -> int:
    if (args.input is None) == (args.book is None):
        raise InputError("check takes either an INPUT file or --book BOOK.yaml")
    if args.book is not None:
        manifest = load_manifest(args.book)
        parts, title = load_book(manifest), manifest.title
    else:
        parts = [load(args.input, encoding=args.encoding, corrections=args.corrections)]
        title = parts[0].compilation.title or str(args.input)
        if args.review is not None:
            unrepaired = load(args.input, encoding=args.encoding, repair=False).compilation
            write_atomically(args.review, review_of(unrepaired, str(args.input)).encode("utf-8"))
    checked = [(part.source, part.compilation, proofread(part.compilation)) for part in parts]
    if args.output is not None:
        write_atomically(args.output, report_html(checked, title).encode("utf-8"))
    if args.format == "json":
        data = [
            {
                "source": str(source),
                "repairs": [repair_data(r) for r in doc.repairs],
                "corrections": [correction_data(c) for c in doc.corrections],
                "findings": [f.to_data() for f in findings],
                "diagnostics": [d.about(source).to_data() for d in part.diagnostics],
            }
            for (source, doc, findings), part in zip(checked, parts, strict=True)
        ]
        print(
            json.dumps(data[0] if args.book is None else {"book": title, "sources": data}, ensure_ascii=False, indent=2)
        )
        return 0
    for (source, doc, findings), part in zip(checked, parts, strict=True):
        _print_check(source, doc, findings, part.diagnostics)
    return 0


def _print_check(
    source: Path, doc: Compilation, findings: Sequence[Finding], diagnostics: Sequence[Diagnostic]
) -> None:
    repairs = doc.repairs
    moves = sum(1 for r in repairs if r.kind is RepairKind.MOVE)
    joins = len(repairs) - moves
    extra = f", {len(doc.corrections)} correction(s)" if doc.corrections else ""
    print(f"{source}: {len(repairs)} repair(s): {joins} join(s), {moves} move(s){extra}")
    descriptions = [r.describe() for r in repairs] + [c.describe() for c in doc.corrections]
    for number, description in enumerate(descriptions, start=1):
        print(f"{number:>3}. {description}")
    _print_diagnostics(diagnostics, source, to=sys.stdout)
    print(f"proofreading: {len(findings)} finding(s)")
    for number, finding in enumerate(findings, start=1):
        print(f"{number:>3}. {finding.describe()}")


BAR_WIDTH = 30


def _summary(report: BuildReport, *, verbose: bool = False) -> str:
    if report.skipped:
        return f"{report.source}: up to date"
    written = ", ".join(str(path) for path in report.outputs)
    lines = [f"{report.source}: {report.repairs} repair(s) → {written}"]
    if verbose:
        lines += [f"  {detail}" for detail in report.details]
    return "\n".join(lines)


def _run_build(args: argparse.Namespace) -> int:
    formats = [name.strip() for name in args.to.split(",") if name.strip()]
    if (not args.inputs) == (args.book is None):
        raise InputError("build takes INPUT files or --book BOOK.yaml")
    if args.book is not None:
        report = build_book(
            load_manifest(args.book), formats, args.outdir, style=args.style, force=args.force, strict=args.strict
        )
        if args.format == "json":
            print(_outcome_json(Outcome(args.book, report, None)))
            return 0
        _print_diagnostics(report.diagnostics, args.book)
        if not args.quiet:
            print(_summary(report, verbose=args.verbose), file=sys.stderr)
        return 0
    if args.cluster and args.jobs != 1:
        raise InputError("--cluster and --jobs exclude each other: the cluster's workers set the parallelism")
    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(cluster_executor(args.cluster)) if args.cluster else None
        outcomes = build_many(
            args.inputs,
            formats,
            args.outdir,
            style=_strict(load_style(args.style or "default")) if args.strict else args.style or "default",
            encoding=args.encoding,
            jobs=args.jobs,
            corrections=args.corrections,
            force=args.force,
            repair=not args.no_repair,
            review=args.review,
            executor=executor,
        )
        return _report_outcomes(args, outcomes)


def _strict(style: Style) -> Style:
    """The style with a missing glyph an error (`build --strict`)."""
    return dataclasses.replace(style, missing_glyphs="fail")


def _outcome_json(outcome: Outcome) -> str:
    """One source's build as one line of JSON, for tools (`build --format json`)."""
    report = outcome.report
    data = {
        "source": str(outcome.source),
        "error": outcome.error,
        "outputs": [str(path) for path in report.outputs] if report else [],
        "skipped": bool(report and report.skipped),
        "repairs": report.repairs if report else 0,
        "diagnostics": [d.about(outcome.source).to_data() for d in report.diagnostics] if report else [],
    }
    return json.dumps(data, ensure_ascii=False)


def _report_outcomes(args: argparse.Namespace, outcomes: Iterator[Outcome]) -> int:
    if args.format == "json":
        codes = []
        for outcome in outcomes:
            print(_outcome_json(outcome))
            codes.append(outcome.exit_code)
        return codes[0] if len(codes) == 1 else (1 if any(codes) else 0)
    failed = 0
    total = len(args.inputs)
    bar = total > 1 and not args.quiet and sys.stderr.isatty()  # a bar on a terminal, plain lines in logs
    for done, outcome in enumerate(outcomes, start=1):
        if outcome.error is not None and total == 1:
            print(f"error: {outcome.error}", file=sys.stderr)
            return outcome.exit_code
        if bar:
            print("\r\033[K", end="", file=sys.stderr)  # clear the bar before any message
        progress = f"[{done}/{total}] " if total > 1 else ""
        if outcome.report is None:
            print(f"error: {progress}{outcome.error}", file=sys.stderr)
            failed += 1
        else:
            _print_diagnostics(outcome.report.diagnostics, outcome.source)
            if not args.quiet and not bar:
                print(f"{progress}{_summary(outcome.report, verbose=args.verbose)}", file=sys.stderr)
        if bar:
            filled = round(BAR_WIDTH * done / total)
            print(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)
    if bar:
        print(file=sys.stderr)
    return 1 if failed else 0
