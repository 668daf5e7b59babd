"""The whole flow in one place: read → parse → repair → writers.

Read this file top to bottom to know where everything is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from compiler import cache
from compiler.book import Manifest
from compiler.diagnostics import Code, Diagnostic, of_messages, writer_diagnostics
from compiler.errors import CompilerError, InputError
from compiler.jobs import JobResult, NamedBytes, Planned, make_job, read_named, run_batch
from compiler.model import Book, Compilation
from compiler.parse import parse_blocks
from compiler.read import read_file
from compiler.repair import repair_compilation
from compiler.repair.corrections import apply_corrections, correct, load_corrections, refuse_unmatched
from compiler.repair.review import load_review
from compiler.styles import Style, load_style, resolve_style_path
from compiler.writers import Writer, writer_for


@dataclass(frozen=True, slots=True)
class Loaded:
    """A source turned into a model, and what every stage had to say about it."""

    source: Path
    compilation: Compilation
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What one build wrote and what every stage had to say."""

    source: Path
    outputs: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]
    repairs: int
    skipped: bool = False
    """True when the outputs were already up to date and nothing was written."""
    details: tuple[str, ...] = ()
    """A sentence for each repair (printed by `build --verbose`)."""


def load(
    source: Path,
    *,
    encoding: str | None = None,
    repair: bool = True,
    corrections: Path | None = None,
    review: Path | None = None,
) -> Loaded:
    """Read, parse, repair (unless told not to, and as the editor's review says where it says) and
    apply the editor's corrections to one source."""
    text = read_file(source, encoding=encoding)
    parsed = parse_blocks(text.blocks)
    diagnostics = list(of_messages(Code.STRUCTURE, parsed.warnings))
    doc = parsed.compilation
    if repair:
        repaired = repair_compilation(doc, review=None if review is None else load_review(review))
        doc = repaired.compilation
        diagnostics.extend(of_messages(Code.REPAIR, repaired.warnings))
    if corrections is not None:
        doc = apply_corrections(doc, load_corrections(corrections))
    return Loaded(source=source, compilation=doc, diagnostics=tuple(diagnostics))


def build(
    source: Path,
    formats: Sequence[str],
    outdir: Path,
    *,
    style: str | Path | Style = "default",
    encoding: str | None = None,
    corrections: Path | None = None,
    force: bool = True,
    repair: bool = True,
    review: Path | None = None,
    cached: bool = True,
) -> BuildReport:
    """Build one source into every requested format in `outdir`, named after the source.

    Unless `force`, a build whose inputs are unchanged since the last one is skipped (cache.py).
    With `repair` off the text is built as given: no join, no move. With `cached` off the build
    cache is neither read nor written (a batch job's scratch folder).
    """
    writers = [writer_for(name) for name in formats]  # unknown formats and styles fail before any work
    chosen_style = style if isinstance(style, Style) else load_style(style)
    if review is not None:
        load_review(review)  # a missing or malformed review is refused before any work
    key = _cache_key(source, chosen_style, formats, corrections, repair, review) if cached else ""

    def model() -> tuple[Compilation, list[Loaded]]:
        loaded = load(source, encoding=encoding, corrections=corrections, repair=repair, review=review)
        return loaded.compilation, [loaded]

    return _write_outputs(source, source.stem, model, writers, chosen_style, outdir, key, force)


def _write_outputs(
    source: Path,
    stem: str,
    model: Callable[[], tuple[Compilation | Book, list[Loaded]]],
    writers: Sequence[tuple[Writer, str]],
    style: Style,
    outdir: Path,
    key: str,
    force: bool,
) -> BuildReport:
    """What `build` and `build_book` share: skip when the cache says the outputs are current, else
    make the model (with the sources it was read from), write every format, record the cache."""
    targets = [outdir / f"{stem}{suffix}" for _, suffix in writers]
    if not force and key and cache.is_current(outdir, source, key, targets):
        return BuildReport(source=source, outputs=tuple(targets), diagnostics=(), repairs=0, skipped=True)
    doc, loaded = model()
    with writer_diagnostics() as written:
        outputs = tuple(write(doc, style, target) for (write, _), target in zip(writers, targets, strict=True))
    if key:
        cache.record(outdir, source, key)
    repairs = [repair for part in loaded for repair in part.compilation.repairs]
    return BuildReport(
        source=source,
        outputs=outputs,
        diagnostics=(*(d for part in loaded for d in part.diagnostics), *written),
        repairs=len(repairs),
        details=tuple(repair.describe() for repair in repairs),
    )


def _cache_key(
    source: Path, style: Style, formats: Sequence[str], corrections: Path | None, repair: bool, review: Path | None
) -> str:
    """What a build's outputs depend on (cache.py); empty for a source that is not a file."""
    if not source.is_file():
        return ""
    mode = [] if repair else ["no-repair"]
    reviewed = (review,) if review is not None else ()
    return cache.build_key(source, style, [*formats, *mode], corrections, others=reviewed)


def load_book(manifest: Manifest) -> list[Loaded]:
    """Every source of a book, repaired, with the manifest's corrections applied where they belong.

    A correction not limited to a source applies to all of them; one that changes nothing anywhere
    in the book is an error.
    """
    corrections = [correction for correction, _ in manifest.corrections]
    totals = [0] * len(corrections)
    parts = []
    for source in manifest.sources:
        loaded = load(source.path, encoding=source.encoding)
        mine = [n for n, (_, limit) in enumerate(manifest.corrections) if limit in (None, source.path)]
        doc, counts = correct(loaded.compilation, [corrections[n] for n in mine])
        for n, count in zip(mine, counts, strict=True):
            totals[n] += count
        named = tuple(replace(d, source=source.path.name) for d in loaded.diagnostics)
        parts.append(Loaded(source=source.path, compilation=doc, diagnostics=named))
    refuse_unmatched(corrections, totals)
    return parts


def build_book(
    manifest: Manifest,
    formats: Sequence[str],
    outdir: Path,
    *,
    style: str | Path | Style | None = None,
    force: bool = True,
    strict: bool = False,
) -> BuildReport:
    """Build a book manifest into one file per format, named after the manifest, its sources as parts
    (`strict`: a character no font has stops the build, whatever the style says)."""
    writers = [writer_for(name) for name in formats]
    if isinstance(style, Style):
        chosen_style = style
    else:
        chosen_style = load_style(style or resolve_style_path(manifest.style, relative_to=manifest.path.parent))
    if strict:
        chosen_style = replace(chosen_style, missing_glyphs="fail")
    sources = tuple(source.path for source in manifest.sources)
    key = cache.build_key(manifest.path, chosen_style, list(formats), None, others=sources)

    def model() -> tuple[Book, list[Loaded]]:
        parts = load_book(manifest)
        return replace(manifest.book, parts=tuple(part.compilation for part in parts)), parts

    return _write_outputs(manifest.path, manifest.path.stem, model, writers, chosen_style, outdir, key, force)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One source's build in a batch: its report (with its diagnostics), or the error that stopped it."""

    source: Path
    report: BuildReport | None
    error: str | None
    exit_code: int = 0
    """The error's exit status (2 for bad input, 1 for a failed build), 0 on success."""


def build_many(
    sources: Sequence[Path],
    formats: Sequence[str],
    outdir: Path,
    *,
    style: str | Path | Style = "default",
    encoding: str | None = None,
    jobs: int = 1,
    corrections: Path | None = None,
    force: bool = True,
    repair: bool = True,
    review: Path | None = None,
    executor: Executor | None = None,
) -> Iterator[Outcome]:
    """Build every source; outcomes come in input order.

    One source, or `jobs` 1 with no executor: built here, one after another. Otherwise each source
    becomes a pure job (jobs.py) run on `executor` (a Dask cluster's, say) or on a pool of `jobs`
    local processes, and only this process reads the inputs and writes `outdir`.
    """
    for name in formats:
        writer_for(name)  # usage errors stop the batch before any work
    chosen = style if isinstance(style, Style) else load_style(style)  # read once, handed to every build
    if review is not None:
        load_review(review)  # a missing or malformed review is refused before any work
    if executor is None and (jobs <= 1 or len(sources) <= 1):
        tasks = [
            (source, tuple(formats), outdir, chosen, encoding, corrections, force, repair, review) for source in sources
        ]
        yield from map(_build_one, tasks)
        return
    shared = lru_cache(maxsize=None)(read_named)  # the corrections and review files, read once for all jobs
    planned = [
        _plan(source, formats, outdir, chosen, encoding, corrections, force, repair, review, shared)
        for source in sources
    ]
    if executor is not None:
        yield from _outcomes(run_batch(planned, outdir, executor))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from _outcomes(run_batch(planned, outdir, pool))


def _plan(
    source: Path,
    formats: Sequence[str],
    outdir: Path,
    style: Style,
    encoding: str | None,
    corrections: Path | None,
    force: bool,
    repair: bool,
    review: Path | None,
    read: Callable[[Path], NamedBytes],
) -> Planned:
    """A batch source as a job, or as nothing to do (its outputs are current), or as its input error."""
    targets = tuple(outdir / f"{source.stem}{writer_for(name)[1]}" for name in formats)
    try:
        key = _cache_key(source, style, formats, corrections, repair, review)
        if not force and key and cache.is_current(outdir, source, key, list(targets)):
            return Planned(source, targets, key)
        job = make_job(
            source, formats, style, encoding=encoding, repair=repair, corrections=corrections, review=review, read=read
        )
    except InputError as exc:
        return Planned(source, targets, "", error=exc)
    return Planned(source, targets, key, job=job)


def _outcomes(results: Iterator[tuple[Planned, JobResult | None]]) -> Iterator[Outcome]:
    for item, result in results:
        if item.error is not None:
            yield Outcome(item.source, None, str(item.error), item.error.exit_code)
        elif result is None:
            report = BuildReport(source=item.source, outputs=item.targets, diagnostics=(), repairs=0, skipped=True)
            yield Outcome(item.source, report, None)
        elif result.error is not None:
            yield Outcome(item.source, None, result.error, result.exit_code)
        else:
            report = BuildReport(
                source=item.source,
                outputs=item.targets,
                diagnostics=result.diagnostics,
                repairs=result.repairs,
                details=result.details,
            )
            yield Outcome(item.source, report, None)


_Task = tuple[Path, tuple[str, ...], Path, Style, str | None, Path | None, bool, bool, Path | None]


def _build_one(task: _Task) -> Outcome:
    """One build, its failure turned into data: the batch goes on."""
    source, formats, outdir, style, encoding, corrections, force, repair, review = task
    try:
        report = build(
            source,
            formats,
            outdir,
            style=style,
            encoding=encoding,
            corrections=corrections,
            force=force,
            repair=repair,
            review=review,
        )
    except CompilerError as exc:
        return Outcome(source, None, str(exc), exc.exit_code)
    except Exception as exc:  # a bug: report it for this source and let the batch go on
        return Outcome(source, None, f"{source}: internal error ({type(exc).__name__}: {exc}); please report it", 1)
    return Outcome(source, report, None)
