"""Batches as pure build jobs, for any `concurrent.futures.Executor`: the local process pool of
`--jobs N`, or a Dask distributed cluster (`--cluster tcp://HOST:PORT`) whose workers need share no
folder with us.

A job carries everything a build reads (the source's bytes, the style, the corrections and review
files' bytes, the build date) and its result carries the bytes of every output: the executor only
moves data, and this process alone reads the inputs and writes `outdir`, atomically, with the
build cache. So a batch built on a cluster is byte-identical to one built here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path

from compiler import cache
from compiler.diagnostics import Diagnostic
from compiler.errors import CompilerError, InputError
from compiler.output import write_atomically
from compiler.styles import Style

CONNECT_SECONDS = 10
"""How long to wait for the scheduler before saying it cannot be reached."""
_ONE_BUILD_AT_A_TIME = threading.Lock()
"""A Dask worker runs tasks in threads, and a build reads SOURCE_DATE_EPOCH from the process's
environment: one build at a time per process keeps each job's date its own (builds hold the GIL
anyway)."""


@dataclass(frozen=True, slots=True)
class NamedBytes:
    """A file as a job carries it: its name (outputs are named after it) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class BuildJob:
    """One source's build, with every input it reads."""

    source: NamedBytes
    formats: tuple[str, ...]
    style: Style
    encoding: str | None
    repair: bool
    corrections: NamedBytes | None = None
    review: NamedBytes | None = None
    source_date_epoch: str | None = None
    """The build date: SOURCE_DATE_EPOCH of the process that made the job (None: the worker's now)."""


@dataclass(frozen=True, slots=True)
class JobResult:
    """What a job gives back: the build's outcome (paths as the worker saw them) and its outputs."""

    outputs: tuple[NamedBytes, ...]
    diagnostics: tuple[Diagnostic, ...]
    repairs: int
    details: tuple[str, ...]
    error: str | None = None
    exit_code: int = 0


def make_job(
    source: Path,
    formats: Sequence[str],
    style: Style,
    *,
    encoding: str | None,
    repair: bool,
    corrections: Path | None,
    review: Path | None,
    read: Callable[[Path], NamedBytes] | None = None,
) -> BuildJob:
    """The job for one source, its files read here (a missing file is the usual input error).
    `read` lets a batch read the files its jobs share (corrections, review) once."""
    read = read or read_named
    return BuildJob(
        source=read_named(source),
        formats=tuple(formats),
        style=style,
        encoding=encoding,
        repair=repair,
        corrections=read(corrections) if corrections is not None else None,
        review=read(review) if review is not None else None,
        source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"),
    )


def read_named(path: Path) -> NamedBytes:
    try:
        return NamedBytes(path.name, path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def run_job(job: BuildJob) -> JobResult:
    """Build one job in a scratch folder and hand back the outputs' bytes (runs on any worker)."""
    from compiler.pipeline import build  # the pipeline imports this module for its batches

    with _ONE_BUILD_AT_A_TIME, tempfile.TemporaryDirectory(prefix="compiler-job-") as scratch, _build_date(job):
        folder = Path(scratch)
        source = _materialise(folder / "source", job.source)
        corrections = _materialise(folder / "corrections", job.corrections) if job.corrections else None
        review = _materialise(folder / "review", job.review) if job.review else None
        try:
            report = build(
                source,
                job.formats,
                folder / "out",
                style=job.style,
                encoding=job.encoding,
                corrections=corrections,
                force=True,
                repair=job.repair,
                review=review,
                cached=False,  # the scratch folder is thrown away: the batch's own process records the cache
            )
        except CompilerError as exc:  # named by the source's name, not the scratch folder
            message = str(exc).replace(str(source), job.source.name)
            return JobResult((), (), 0, (), message, exc.exit_code)
        except Exception as exc:  # a bug: reported for this source, as a local batch does, and the batch goes on
            message = f"{job.source.name}: internal error ({type(exc).__name__}: {exc}); please report it"
            return JobResult((), (), 0, (), message, 1)
        outputs = tuple(NamedBytes(path.name, path.read_bytes()) for path in report.outputs)
        return JobResult(outputs, report.diagnostics, report.repairs, report.details)


def _materialise(folder: Path, named: NamedBytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / named.name
    path.write_bytes(named.data)
    return path


@contextlib.contextmanager
def _build_date(job: BuildJob) -> Iterator[None]:
    """SOURCE_DATE_EPOCH as the job says while it builds, restored afterwards."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    _set_epoch(job.source_date_epoch)
    try:
        yield
    finally:
        _set_epoch(before)


def _set_epoch(value: str | None) -> None:
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = value


@dataclass(frozen=True, slots=True)
class Planned:
    """A source of the batch: already current (no job), unreadable (an error), or a job to run."""

    source: Path
    targets: tuple[Path, ...]
    key: str
    job: BuildJob | None = None
    error: InputError | None = None


def run_batch(
    planned: Sequence[Planned], outdir: Path, executor: Executor
) -> Iterator[tuple[Planned, JobResult | None]]:
    """Run the planned jobs on the executor, write what comes back into `outdir` (atomically, and
    the cache record after the outputs), and give each source its result in input order."""
    jobs = [p.job for p in planned if p.job is not None]
    results = iter(executor.map(run_job, jobs))
    for item in planned:
        if item.job is None:
            yield item, None
            continue
        result = next(results)
        if result.error is None:
            for output in result.outputs:
                write_atomically(outdir / output.name, output.data)
            if item.key:
                cache.record(outdir, item.source, item.key)
        yield item, _named_by_path(result, item)


def _named_by_path(result: JobResult, item: Planned) -> JobResult:
    """An error the worker named by the file's name, named by its path here, as a local build says."""
    name = item.job.source.name if item.job else ""
    if result.error is None or not result.error.startswith(name):
        return result
    return replace(result, error=str(item.source) + result.error[len(name) :])


@contextlib.contextmanager
def cluster_executor(address: str) -> Iterator[Executor]:
    """An executor over a running Dask distributed scheduler's workers (they need this package
    installed; they share nothing else with us). The connection closes when the batch ends."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--cluster needs Dask's distributed package: pip install 'speech-compiler[cluster]'") from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]  # untyped in distributed
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach a Dask scheduler at {address} ({exc})") from None
    try:
        yield client.get_executor()  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]
