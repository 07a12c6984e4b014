"""Checking many project files at once: ``check-project`` with several FILEs or directories.

``check_files`` parses and checks files in a pool of worker processes. Each worker renders the report
itself (the text report in the chosen language, or the JSON of the result) and sends back only strings
and the file's outcome, a chunk of files at a time, so passing results between processes stays cheap.
The shipped rulesets, exchange rates, programme rates and aid map are loaded once in the parent and
inherited by the workers (or loaded once per worker where processes are not forked). Outcomes come back
in the order the files were given, whatever the number of processes.

An invalid file never stops the others. A file that could not be checked at all (unreadable, the
shipped rulesets or reference data unreadable, a worker process that died on it) is reported as a
failure of that file; a dead worker never hangs the run: its files are checked again one at a time
in a fresh process, so only the file that kills a process is reported as failed.

Output with several files (``batch_text``, ``batch_json``):

* text: each report headed by ``==> FILE <==``, an invalid file's field and message under its heading
  (and on stderr as with one file), then one summary line in the chosen language;
* JSON: one document, a list in the order given, one object per file, exactly one of
  ``{"file": F, "result": {...}}`` (the one-file JSON result), ``{"file": F, "invalid": {"field": ...,
  "message": ...}}`` (message in the chosen language) or ``{"file": F, "error": "..."}``.

Exit code (``exit_code``): 2 if any file is invalid or could not be checked, else 1 if any has an error
flag, else 0.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

from ..reference.loader import ReferenceDataError
from . import check
from .project_document import DocumentError, parse_project_document
from .rulesets import RulesetError
from .text_report import render_text

OK, ERROR_FLAGS, INVALID, FAILED = "ok", "error_flags", "invalid", "failed"
EXIT_OK, EXIT_ERROR_FLAGS, EXIT_INVALID = 0, 1, 2
PROJECT_SUFFIXES = (".yaml", ".yml", ".json")
# Files per task: enough that passing work between processes costs little next to checking it, few
# enough that every process still has work near the end of a run.
MAX_CHUNK = 32
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


@dataclass(frozen=True)
class FileOutcome:
    """One file's outcome; ``report`` is the rendered report (text or JSON) of a checked file."""

    file: str
    status: str  # ok | error_flags | invalid | failed
    report: str = ""
    field: str | None = None  # invalid: the offending field's path (None: the file as a whole)
    message: str = ""  # invalid: what is wrong, in the chosen language; failed: why it was not checked

    @property
    def exit_code(self) -> int:
        return {OK: EXIT_OK, ERROR_FLAGS: EXIT_ERROR_FLAGS}.get(self.status, EXIT_INVALID)

    def stderr_line(self) -> str:
        """What the one-file command has always written on stderr for an invalid or unchecked file."""
        if self.status == INVALID:
            return f"{self.file}: {self.field or '<fil>'}: {self.message}"
        return self.message if self.status == FAILED else ""


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def project_files(arguments: Iterable[Path]) -> list[Path]:
    """Files as given; a directory stands for its ``*.yaml``, ``*.yml`` and ``*.json`` files, by name.

    Not recursive: a folder of project files may hold older versions or attachments in subfolders."""
    files: list[Path] = []
    for path in arguments:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in PROJECT_SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files


def exit_code(outcomes: Iterable[FileOutcome]) -> int:
    return max((o.exit_code for o in outcomes), default=EXIT_OK)


# --- checking one file (in a worker or in this process) -------------------------------------------

def _check_one(path: str, lang: str, output_format: str) -> tuple[str, str, str | None, str]:
    """(status, report, field, message) of one file: plain strings, cheap to send between processes."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return FAILED, "", None, f"{path}: {exc.strerror or exc}"
    try:
        doc = parse_project_document(data)
    except DocumentError as exc:
        return INVALID, "", exc.field or None, exc.message_sv if lang == "sv" else exc.message_en
    try:
        result = check.check_with_shipped_data(doc)
    except RulesetError as exc:
        return FAILED, "", None, f"ruleset: {exc}"
    except ReferenceDataError as exc:
        return FAILED, "", None, f"reference data: {exc}"
    if output_format == "json":
        report = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    else:
        report = render_text(result, lang)
    return ERROR_FLAGS if result.has_errors else OK, report, None, ""


def _check_chunk(paths: Sequence[str], lang: str, output_format: str) -> list[tuple[str, str, str | None, str]]:
    outcomes = []
    for path in paths:
        try:
            outcomes.append(_check_one(path, lang, output_format))
        except Exception as exc:  # noqa: BLE001 - a fault in one file must not lose the rest of the chunk
            outcomes.append((FAILED, "", None, f"{path}: {type(exc).__name__}: {exc}"))
    return outcomes


def _load_shipped_data() -> None:
    """Load the shipped data once, before the workers start, so forked workers inherit it.

    A failure is not reported here: each file then reports it, exactly as a single file would."""
    try:
        check.default_rulesets()
        check.shipped_programme_rates()
        check.ecb_rates()
        check.default_aid_map()
    except Exception:  # noqa: BLE001, S110 - reported per file by _check_one
        pass


def _pool(jobs: int) -> ProcessPoolExecutor:
    # Forked workers start at once with the parent's modules and shipped data; elsewhere (no fork)
    # every worker loads them once through the initializer.
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_load_shipped_data)


def _isolated(paths: Sequence[str], lang: str, output_format: str) -> Iterator[tuple[str, str, str | None, str]]:
    """Check files one at a time in a worker process, replacing the process when one dies on a file."""
    pool = _pool(1)
    try:
        for path in paths:
            try:
                yield pool.submit(_check_chunk, [path], lang, output_format).result()[0]
            except BrokenProcessPool:
                yield FAILED, "", None, f"{path}: the checking process ended unexpectedly"
                pool.shutdown(wait=True)
                pool = _pool(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pooled(paths: list[str], jobs: int, lang: str, output_format: str
            ) -> Iterator[tuple[str, str, str | None, str]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(paths) / (jobs * 4))))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    _load_shipped_data()
    pool = _pool(min(jobs, len(chunks)))
    try:
        futures: list[Future] = [pool.submit(_check_chunk, chunk, lang, output_format) for chunk in chunks]
        for i, chunk in enumerate(chunks):
            try:
                outcomes = futures[i].result()
            except BrokenProcessPool:
                # A process died. This chunk is checked again file by file to find the file it died on;
                # the unfinished chunks after it go to a fresh pool (any of them may have been the cause).
                outcomes = list(_isolated(chunk, lang, output_format))
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(min(jobs, len(chunks) - i))
                for j in range(i + 1, len(chunks)):
                    if not futures[j].done() or futures[j].exception() is not None:
                        futures[j] = pool.submit(_check_chunk, chunks[j], lang, output_format)
            yield from outcomes
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def check_files(paths: Sequence[Path | str], *, jobs: int | None = None, lang: str = "sv",
                output_format: str = "text") -> list[FileOutcome]:
    """Parse and check every file; outcomes in the order given, the same for any number of ``jobs``.

    ``jobs``: worker processes (default: the CPUs available; 1 checks in this process).
    ``lang``: sv | en, the language of text reports and of invalid-file messages.
    ``output_format``: text | json, what each outcome's ``report`` holds."""
    names = [str(p) for p in paths]
    jobs = available_cpus() if jobs is None else max(1, jobs)
    if jobs == 1 or len(names) <= 1:
        raw: Iterable[tuple[str, str, str | None, str]] = _check_chunk(names, lang, output_format)
    else:
        raw = _pooled(names, jobs, lang, output_format)
    return [FileOutcome(name, *outcome) for name, outcome in zip(names, raw, strict=True)]


# --- output of several files ------------------------------------------------------------------------

@cache
def _translations(lang: str) -> NullTranslations:
    # The messages are written in Swedish; English comes from the catalogue. No Flask app is needed,
    # so the command reads the same catalogue the pages use even when run outside an app.
    if lang == "sv":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [lang])


def summary_line(outcomes: Sequence[FileOutcome], lang: str) -> str:
    """'Sammanfattning: 3 filer kontrollerade, 1 fil med felflaggor, 1 ogiltig fil.' in the chosen language."""
    t = _translations(lang)
    count = {status: sum(1 for o in outcomes if o.status == status) for status in (ERROR_FLAGS, INVALID, FAILED)}
    parts = [t.ungettext("%(num)d fil kontrollerad", "%(num)d filer kontrollerade", len(outcomes))
             % {"num": len(outcomes)},
             t.ungettext("%(num)d fil med felflaggor", "%(num)d filer med felflaggor", count[ERROR_FLAGS])
             % {"num": count[ERROR_FLAGS]},
             t.ungettext("%(num)d ogiltig fil", "%(num)d ogiltiga filer", count[INVALID]) % {"num": count[INVALID]}]
    if count[FAILED]:
        parts.append(t.ungettext("%(num)d fil kunde inte kontrolleras", "%(num)d filer kunde inte kontrolleras",
                                 count[FAILED]) % {"num": count[FAILED]})
    return t.ugettext("Sammanfattning: %(parts)s.") % {"parts": ", ".join(parts)}


def batch_text(outcomes: Sequence[FileOutcome], lang: str) -> str:
    """Every report headed by its file name, then the summary line."""
    t = _translations(lang)
    blocks = []
    for outcome in outcomes:
        if outcome.status == INVALID:
            body = t.ugettext("Ogiltig fil: %(field)s: %(message)s") % {
                "field": outcome.field or "<fil>", "message": outcome.message} + "\n"
        elif outcome.status == FAILED:
            body = t.ugettext("Kunde inte kontrolleras: %(reason)s") % {"reason": outcome.message} + "\n"
        else:
            body = outcome.report
        blocks.append(f"==> {outcome.file} <==\n{body}")
    return "\n".join([*blocks, summary_line(outcomes, lang) + "\n"])


def batch_json(outcomes: Sequence[FileOutcome]) -> str:
    """One JSON document: a list with one object per file (see the module docstring)."""
    items: list[dict] = []
    for outcome in outcomes:
        if outcome.status in (OK, ERROR_FLAGS):
            items.append({"file": outcome.file, "result": json.loads(outcome.report)})
        elif outcome.status == INVALID:
            items.append({"file": outcome.file, "invalid": {"field": outcome.field, "message": outcome.message}})
        else:
            items.append({"file": outcome.file, "error": outcome.message})
    return json.dumps(items, ensure_ascii=False, indent=2)
