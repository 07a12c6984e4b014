"""A stored project's check result, kept by the version of everything the check reads.

The check of a stored project reads:
- the project row (dates, collaboration, assisted area, municipalities, exchange rate): every save of
  it raises ``Project.version`` (and ``updated_at``);
- its budget (cost and funding lines): a budget save raises ``Project.version`` too;
- its partners: a partner save raises ``ProjectPartner.version``; adding or removing one changes the set;
- the de minimis register's standing grants of its partners' single undertakings: taken by content;
- the shipped data and the check itself: rulesets, programme rates, the regional aid map, the ECB rate
  table and the code that checks (one fingerprint per process, so a deploy never reads an older result).

All of it goes into the key, so a result can never be read after anything it derives from changed,
whichever instance wrote. Flags carry their Swedish and English text side by side, so one result serves
readers of either language. With ``REDIS_URL`` the results are kept in Redis (shared by every instance,
through Flask-Caching), otherwise in the process.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_caching import Cache
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..derived_cache import derived_cache
from ..extensions import db
from ..stateaid.check import check_with_shipped_data
from ..stateaid.check_result import CheckResult
from ..stateaid.exchange_rates import ecb_rates
from ..stateaid.ledger import grants_by_org_number
from ..stateaid.project_document import DocumentError, validate_document
from . import checking
from .models import Project, ProjectPartner

log = logging.getLogger(__name__)

KEY_PREFIX = "synergy:check:"
TIMEOUT_S = 7 * 24 * 3600  # a key never goes stale; the timeout only lets unused results go
PROCESS_ENTRIES = 1000  # a full result of a 20-partner project is about 40 kB pickled

_PACKAGE = Path(__file__).resolve().parent.parent
# What the result of a check is made from besides the stored project: the check's code and data files.
_SOURCES = ("stateaid/*.py", "stateaid/rulesets/*.yaml", "stateaid/*.json", "reference/data/*",
            "projects/checking.py", "money.py")


@functools.cache
def shipped_fingerprint() -> str:
    """The check's code, rulesets, reference data and exchange-rate table, as one digest per process."""
    digest = hashlib.sha256()
    for pattern in _SOURCES:
        for path in sorted(_PACKAGE.glob(pattern)):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    rates = ecb_rates()
    digest.update(f"{rates.package}|{rates.first_day}|{rates.last_day}|{len(rates.days)}".encode())
    return digest.hexdigest()[:16]


def _backend(app) -> Cache:
    return derived_cache(app, KEY_PREFIX, process_entries=PROCESS_ENTRIES, timeout_s=TIMEOUT_S)


@dataclass(frozen=True)
class BriefFlag:
    severity: str
    code: str
    message_sv: str
    message_en: str


@dataclass(frozen=True)
class CheckBrief:
    """What a list of projects shows of a check: its flags' severity, code and text."""

    flags: tuple[BriefFlag, ...]

    @classmethod
    def of(cls, result: CheckResult) -> CheckBrief:
        return cls(tuple(BriefFlag(f.severity, f.code, f.message_sv, f.message_en) for f in result.flags))

    def count(self, severity: str) -> int:
        return sum(1 for f in self.flags if f.severity == severity)


@dataclass(frozen=True)
class Versions:
    """The stored versions a project's check derives from (see the module docstring)."""

    project_id: int
    version: int
    updated_at: object
    partners: tuple[tuple[int, int, str | None], ...]  # (id, version, organisation number)

    @classmethod
    def of(cls, project: Project) -> Versions:
        return cls(project.id, project.version, project.updated_at,
                   tuple((p.id, p.version, p.org_number) for p in project.partners))

    def key(self, ledger: dict) -> str:
        numbers = sorted({number for _, _, number in self.partners if number})
        grants = [(n, [(g.id, g.grant_date, str(g.amount_eur), g.grantor, g.regulation) for g in ledger.get(n, ())])
                  for n in numbers]
        parts = (shipped_fingerprint(), self.project_id, self.version, str(self.updated_at),
                 sorted(p[:2] for p in self.partners), grants)
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _ledger_for(versions: Iterable[Versions]) -> dict:
    return grants_by_org_number([number for v in versions for _, _, number in v.partners if number])


def _get_many(keys: Sequence[str]) -> list:
    if not keys:
        return []
    try:
        return list(_backend(current_app).get_many(*keys))
    except Exception:  # noqa: BLE001 - an unreachable or confused cache is a miss, never an error page
        log.warning("project check cache unavailable; checking afresh", exc_info=True)
        return [None] * len(keys)


def _set_many(values: dict[str, object]) -> None:
    if not values:
        return
    try:
        _backend(current_app).set_many(values)
    except Exception:  # noqa: BLE001
        log.warning("project check cache unavailable; result not kept", exc_info=True)


def _check_and_keep(projects: Sequence[Project], ledger: dict, keys: Sequence[str]
                    ) -> list[CheckResult | DocumentError]:
    """Run the check of each project and keep the result and its brief under the project's key."""
    out: list[CheckResult | DocumentError] = []
    kept: dict[str, object] = {}
    for project, key in zip(projects, keys, strict=True):
        try:
            doc = validate_document(checking.stored_document(project, ledger))
        except DocumentError as exc:
            out.append(exc)
            continue
        result = check_with_shipped_data(doc)
        kept["full:" + key], kept["brief:" + key] = result, CheckBrief.of(result)
        out.append(result)
    _set_many(kept)
    return out


def check_of(project: Project) -> checking.ProjectCheck:
    """The check of one loaded project (a kept result when nothing it reads changed since);
    ``DocumentError`` when it cannot be checked yet."""
    versions = Versions.of(project)
    ledger = _ledger_for([versions])
    key = versions.key(ledger)
    (result,) = _get_many(["full:" + key])
    if not isinstance(result, CheckResult):
        (result,) = _check_and_keep([project], ledger, [key])
        if isinstance(result, DocumentError):
            raise result
    return checking.ProjectCheck(project, result, date.today())


def briefs_of(project_ids: Iterable[int]) -> dict[int, CheckBrief | DocumentError]:
    """The check in brief of each existing project, or the DocumentError saying why it cannot be checked
    yet. Reads the versions of all of them in a fixed number of queries, and loads and checks only the
    projects whose data changed since their last check."""
    versions = _versions(list(project_ids))
    ledger = _ledger_for(versions)
    keys = [v.key(ledger) for v in versions]
    out: dict[int, CheckBrief | DocumentError] = {}
    missing: dict[int, str] = {}
    for v, key, brief in zip(versions, keys, _get_many(["brief:" + k for k in keys]), strict=True):
        if isinstance(brief, CheckBrief):
            out[v.project_id] = brief
        else:
            missing[v.project_id] = key
    if missing:
        loaded = load_projects(missing)
        # A write between reading the versions and loading the rows makes a newer result: key it by what was loaded.
        now = [Versions.of(p).key(ledger) for p in loaded]
        for project, found in zip(loaded, _check_and_keep(loaded, ledger, now), strict=True):
            out[project.id] = found if isinstance(found, DocumentError) else CheckBrief.of(found)
    return out


def _versions(project_ids: list[int]) -> list[Versions]:
    if not project_ids:
        return []
    partners: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
    for pid, partner_id, version, number in db.session.execute(
            select(ProjectPartner.project_id, ProjectPartner.id, ProjectPartner.version, ProjectPartner.org_number)
            .where(ProjectPartner.project_id.in_(project_ids))):
        partners[pid].append((partner_id, version, number))
    rows = db.session.execute(select(Project.id, Project.version, Project.updated_at)
                              .where(Project.id.in_(project_ids)))
    return [Versions(pid, version, updated_at, tuple(partners[pid])) for pid, version, updated_at in rows]


def load_projects(ids: Iterable[int]) -> list[Project]:
    """Projects with everything their check and their totals read, in a fixed number of queries, by id."""
    ids = sorted(set(ids))
    if not ids:
        return []
    return list(db.session.scalars(
        select(Project).where(Project.id.in_(ids)).order_by(Project.id).options(
            selectinload(Project.partners),
            selectinload(Project.cost_lines),
            selectinload(Project.funding_lines),
        )))


def forget_all(app) -> None:
    """Drop every kept result of this app's store (tests, and an operator after a manual database repair)."""
    _backend(app).clear()
