"""A region's or a national agency's dossier: everything the workspace knows about it, gathered once.

The dossier page and its XLSX/CSV extracts are both built from `region_dossier` / `agency_dossier`,
so they always show the same rows (regions asked for per-region data extracts to follow up and
evaluate joint efforts; seeds/002, 4.1.10). Plain frozen dataclasses out; only published data:
snabbdialog rounds still in draft and archived calls are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from ..calendar import public as calendar
from ..calendar.call_data import EVENT_LABELS, STATUS_LABELS, CallData, derive_status
from ..clock import STOCKHOLM, today_local
from ..dialogues import public as dialogues
from ..directory.models import Organisation, Region
from ..priorities import public as matching
from ..projects import public as projects

MATCHES_PER_PRIORITY = 5
REGIONS_PER_AREA = 5
# A guard against a runaway query, not a page size: the page shows the first rows of each section and links
# to the whole list, and the extracts hold every row, so no row is left out below this.
ROW_LIMIT = 5000
# The summary at the top: calls whose next deadline is this close, and how many of the most urgent
# items of each kind it names.
CLOSING_WITHIN_DAYS = 30
URGENT_ITEMS = 3
SECTIONS = ("matches", "dialogues", "actions", "calls", "projects")
# Calls closed longer ago than this are history, not something to act on.
CALLS_CLOSED_WITHIN_DAYS = 365


# --- rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRow:
    """A national or EU area matching one of the region's priorities (or a region matching an area)."""

    priority_slug: str
    priority_title: str
    area_slug: str
    area_title: str
    organisation_name: str
    region_slug: str
    region_name: str
    score: float
    decision: str | None
    explanation_sv: str
    explanation_en: str

    @property
    def decided(self) -> bool:
        return self.decision in ("confirmed", "added")


@dataclass(frozen=True)
class PriorityRow:
    slug: str
    title: str
    title_en: str | None
    matches: tuple[MatchRow, ...]


@dataclass(frozen=True)
class AreaRow:
    slug: str
    title: str
    title_en: str | None
    kind: str
    matches: tuple[MatchRow, ...]  # the best-matching regions, each with its best priority


@dataclass(frozen=True)
class DialogueRow:
    round_id: int
    theme: str
    kind: str
    status: str
    lead_name: str
    meeting_at: datetime | None  # UTC; the region's booked slot when it has one
    answer: str | None  # the region's answer to the invitation (region dossiers only)
    booked: bool
    role: str  # invited | booked | lead | agency


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    round_id: int
    round_theme: str
    description: str
    owner_name: str
    region_name: str | None
    due_date: date
    overdue: bool


@dataclass(frozen=True)
class CallRow:
    call_id: int
    title: str
    funder_name: str
    programme: str | None
    status: str
    targets: str  # region (named it) | national (open to all regions) | funder (agency dossier)
    opens_on: date | None
    last_deadline: date | None
    next_event: str | None  # EventKind value
    next_on: date | None
    budget_ore: int | None
    url: str | None
    alignment_sv: tuple[str, ...] = ()
    alignment_en: tuple[str, ...] = ()
    next_deadline: date | None = None  # the first deadline from the dossier's day on

    @property
    def alignment(self) -> tuple[tuple[str, str], ...]:
        """(Swedish, English) message of each alignment flag."""
        return tuple(zip(self.alignment_sv, self.alignment_en, strict=True))


@dataclass(frozen=True)
class ProjectFlag:
    severity: str
    code: str
    message_sv: str
    message_en: str


@dataclass(frozen=True)
class ProjectRow:
    project_id: int
    title: str
    status: str
    roles: tuple[str, ...]  # project_region | partner | partner_in_region | funder
    start_date: date | None
    end_date: date | None
    total_costs_ore: int
    funding_ore: int  # from this region or agency (its own funding lines)
    errors: int
    warnings: int
    flags: tuple[ProjectFlag, ...]
    not_checked_sv: str | None = None  # why the check could not run (no partner, no cost line)
    not_checked_en: str | None = None


@dataclass(frozen=True)
class Dossier:
    kind: str  # region | agency
    key: str  # region slug or organisation slug
    name: str
    generated_on: date
    priorities: tuple[PriorityRow, ...] = ()
    areas: tuple[AreaRow, ...] = ()
    dialogues: tuple[DialogueRow, ...] = ()
    actions: tuple[ActionRow, ...] = ()
    calls: tuple[CallRow, ...] = ()
    projects: tuple[ProjectRow, ...] = ()
    notes: dict[str, str] = field(default_factory=dict, compare=False)


# --- matching ---------------------------------------------------------------------------------------


def _match_row(m: dict, area: dict | None = None, region: dict | None = None) -> MatchRow:
    return MatchRow(
        priority_slug=m["slug"], priority_title=m["title"], area_slug=m["area_slug"], area_title=m["area_title"],
        organisation_name=(area or {}).get("organisation_name", ""),
        region_slug=(region or {}).get("region_slug", ""), region_name=(region or {}).get("region_name", ""),
        score=m["score"], decision=m["decision"], explanation_sv=m["explanation_sv"],
        explanation_en=m["explanation_en"])


def _priority_rows(region: Region, run_: matching.MatchRun) -> tuple[PriorityRow, ...]:
    """Each active priority with its best areas; planners' decisions first, rejected pairs never."""
    best: dict[str, list[dict]] = {}
    if f"region:{region.slug}" in run_.graph:
        best = matching.best_areas_per_priority(run_, region.slug, MATCHES_PER_PRIORITY)
    return tuple(PriorityRow(p.slug, p.title, p.title_en,
                             tuple(_match_row(m, area=m) for m in best.get(p.slug, [])))
                 for p in matching.region_priorities(region))


def _area_rows(organisation: Organisation, run_: matching.MatchRun) -> tuple[AreaRow, ...]:
    rows = []
    for area in matching.organisation_areas(organisation):
        matches: list[MatchRow] = []
        if area.slug in run_.area_rows and f"area:{area.slug}" in run_.graph:
            # One row per region: its best-matching priority, which decides the region's rank.
            for rank in matching.region_ranks(run_, area.slug, REGIONS_PER_AREA):
                matches.append(replace(_match_row(rank["priorities"][0], region=rank),
                                       organisation_name=organisation.name))
        rows.append(AreaRow(area.slug, area.title, area.title_en, area.kind, tuple(matches)))
    return tuple(rows)


# --- dialogues ----------------------------------------------------------------------------------------


def _region_dialogues(region: Region) -> tuple[DialogueRow, ...]:
    invitations, bookings = dialogues.region_engagements(region.id)
    ids = set(invitations) | set(bookings)
    if not ids:
        return ()
    rows = []
    for r in dialogues.published_rounds(ids, ROW_LIMIT):
        booking, invitation = bookings.get(r.id), invitations.get(r.id)
        at = booking.slot.starts_at if booking and booking.slot else _first_meeting(r)
        rows.append(DialogueRow(r.id, r.theme, r.kind, r.status, r.lead_organisation.name, at,
                                invitation.answer if invitation else None, booking is not None,
                                "booked" if booking else "invited"))
    return _by_date(rows)


def _agency_dialogues(organisation: Organisation) -> tuple[DialogueRow, ...]:
    rows = [DialogueRow(r.id, r.theme, r.kind, r.status, r.lead_organisation.name, _first_meeting(r), None, False,
                        "lead" if r.lead_organisation_id == organisation.id else "agency")
            for r in dialogues.agency_rounds(organisation.id, ROW_LIMIT)]
    return _by_date(rows)


def _first_meeting(round_) -> datetime | None:
    return round_.meetings[0].starts_at if round_.meetings else None


def _by_date(rows: list[DialogueRow]) -> tuple[DialogueRow, ...]:
    """Latest meeting first; rounds without a meeting date last."""
    far_past = datetime.min.replace(tzinfo=STOCKHOLM)
    return tuple(sorted(rows, key=lambda r: (r.meeting_at is None, -(r.meeting_at or far_past).timestamp(),
                                             -r.round_id)))


def _action_rows(actions, today: date) -> tuple[ActionRow, ...]:
    return tuple(ActionRow(a.id, a.round_id, a.round.theme, a.description, a.owner_organisation.name,
                           a.region.name if a.region else None, a.due_date, a.is_overdue(today)) for a in actions)


# --- calls --------------------------------------------------------------------------------------------


def _call_rows(ids: list[int], today: date, targets: dict[int, str], funders: dict[int, str],
               aligned: int | None = None) -> tuple[CallRow, ...]:
    """The calls' rows by next date; `aligned`: only the first that many carry their alignment flags."""
    calls = calendar.call_data_for_ids(ids)
    rows = []
    for c in calls:
        cid = int(c.extra["id"])
        upcoming = next((e for e in c.events() if e.on >= today), None)
        deadline = next((d.on for d in c.deadlines if d.on >= today), None)
        rows.append((CallRow(
            cid, c.title, funders.get(cid, c.funder_slug), c.programme, derive_status(c, today).value,
            targets.get(cid, "funder"), c.opens_date, c.last_deadline,
            upcoming.kind.value if upcoming else None, upcoming.on if upcoming else None, c.budget_sek, c.url,
            next_deadline=deadline), c))
    rows.sort(key=lambda rc: (rc[0].next_on is None, rc[0].next_on or date.max, rc[0].title))
    # The order does not depend on the flags, so the rows a page shows are known before they are checked.
    checked = rows if aligned is None else rows[:aligned]
    alignment = _alignment([c for _row, c in checked], calls)
    out = []
    for n, (row, c) in enumerate(rows):
        flags = alignment.get(c.identity, []) if n < len(checked) and (c.uid or c.reference) else []
        out.append(replace(row, alignment_sv=tuple(f.message_sv for f in flags),
                           alignment_en=tuple(f.message_en for f in flags)) if flags else row)
    return tuple(out)


def _alignment(calls: list[CallData], at_hand: list[CallData]) -> dict[str, list]:
    """Alignment flags per call identity: each call checked with the calls coordinated with it, all in one
    pass (the calls are loaded once, found among `at_hand` where they are, and each pair checked once)."""
    checked = [c for c in calls if c.uid or c.reference]
    if not checked:
        return {}
    identity = {int(c.extra["id"]): c.identity for c in checked}
    found: dict[str, list] = defaultdict(list)
    for call_id, flags in calendar.alignment_by_call(checked, at_hand=at_hand).items():
        for flag in flags:
            if flag not in found[identity[call_id]]:
                found[identity[call_id]].append(flag)
    return found


def _region_calls(region: Region, today: date, aligned: int | None) -> tuple[CallRow, ...]:
    """Calls naming the region, and national calls open to every region (they name none)."""
    rows = calendar.region_calls(region.id, today, ROW_LIMIT)
    return _call_rows([cid for cid, _named, _funder in rows], today,
                      {cid: "region" if named else "national" for cid, named, _funder in rows},
                      {cid: funder for cid, _named, funder in rows}, aligned)


def _agency_calls(organisation: Organisation, today: date, aligned: int | None) -> tuple[CallRow, ...]:
    ids = calendar.funder_call_ids(organisation.id, today - timedelta(days=CALLS_CLOSED_WITHIN_DAYS), ROW_LIMIT)
    return _call_rows(ids, today, {}, dict.fromkeys(ids, organisation.name), aligned)


# --- projects -----------------------------------------------------------------------------------------


def _project_rows(roles: dict[int, set[str]], funder_id: int) -> tuple[ProjectRow, ...]:
    rows = []
    for p in projects.project_overviews(sorted(roles)[:ROW_LIMIT], funder_id):
        rows.append(ProjectRow(
            p["id"], p["title"], p["status"], tuple(r for r in PROJECT_ROLES if r in roles[p["id"]]),
            p["start_date"], p["end_date"], p["total_costs_ore"], p["funding_ore"], p["errors"], p["warnings"],
            tuple(ProjectFlag(*flag) for flag in p["flags"]), p["not_checked_sv"], p["not_checked_en"]))
    rows.sort(key=lambda r: (r.title.lower(), r.project_id))
    return tuple(rows)


PROJECT_ROLES = ("project_region", "partner", "partner_in_region", "funder")


def _region_projects(region: Region) -> tuple[ProjectRow, ...]:
    return _project_rows(projects.region_project_roles(region.id, region.organisation_id, ROW_LIMIT),
                         region.organisation_id)


def _agency_projects(organisation: Organisation) -> tuple[ProjectRow, ...]:
    return _project_rows({pid: {"funder"} for pid in projects.funded_project_ids(organisation.id)}, organisation.id)


# --- the dossiers ---------------------------------------------------------------------------------------


def region_dossier(region: Region, today: date | None = None, only: frozenset[str] | None = None,
                   aligned: int | None = None) -> Dossier:
    """The region's dossier; `only` builds just the named SECTIONS (a section's full list), the rest empty.
    `aligned`: only the first that many calls carry their alignment flags (a page that shows no more of
    them need not check the rest); every call does by default, as the extracts and full lists need."""
    today = today or today_local()
    want = only or frozenset(SECTIONS)
    return Dossier(
        kind="region", key=region.slug, name=region.name, generated_on=today,
        priorities=_priority_rows(region, matching.run()) if "matches" in want else (),
        dialogues=_region_dialogues(region) if "dialogues" in want else (),
        actions=(_action_rows(dialogues.region_open_actions(region.id, region.organisation_id, ROW_LIMIT), today)
                 if "actions" in want else ()),
        calls=_region_calls(region, today, aligned) if "calls" in want else (),
        projects=_region_projects(region) if "projects" in want else (),
    )


def agency_dossier(organisation: Organisation, today: date | None = None,
                   only: frozenset[str] | None = None, aligned: int | None = None) -> Dossier:
    """The agency's dossier; `only` and `aligned` as for `region_dossier`."""
    today = today or today_local()
    want = only or frozenset(SECTIONS)
    return Dossier(
        kind="agency", key=organisation.slug, name=organisation.name, generated_on=today,
        areas=_area_rows(organisation, matching.run()) if "matches" in want else (),
        dialogues=_agency_dialogues(organisation) if "dialogues" in want else (),
        actions=(_action_rows(dialogues.agency_open_actions(organisation.id, ROW_LIMIT), today)
                 if "actions" in want else ()),
        calls=_agency_calls(organisation, today, aligned) if "calls" in want else (),
        projects=_agency_projects(organisation) if "projects" in want else (),
    )


# --- the summary at the top -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What needs attention, counted, with the few most urgent items of each kind (soonest first)."""

    rounds: int
    upcoming: tuple[DialogueRow, ...]  # rounds whose meeting is still ahead, the next first
    upcoming_count: int
    actions: int
    overdue: int
    urgent_actions: tuple[ActionRow, ...]
    calls: int
    closing: tuple[CallRow, ...]  # calls whose next deadline is within CLOSING_WITHIN_DAYS
    closing_count: int
    projects: int
    with_errors: tuple[ProjectRow, ...]  # most errors first
    with_errors_count: int
    closing_within_days: int = CLOSING_WITHIN_DAYS


def summary(d: Dossier, now: datetime | None = None) -> Summary:
    """The dossier's summary, from the same rows as its sections (so the counts always agree)."""
    now = now or datetime.now(STOCKHOLM)
    upcoming = sorted((r for r in d.dialogues if r.meeting_at is not None and r.meeting_at >= now),
                      key=lambda r: r.meeting_at)
    urgent = sorted(d.actions, key=lambda a: (not a.overdue, a.due_date, a.action_id))
    horizon = d.generated_on + timedelta(days=CLOSING_WITHIN_DAYS)
    closing = sorted((c for c in d.calls if c.next_deadline is not None and c.next_deadline <= horizon),
                     key=lambda c: (c.next_deadline, c.title))
    failing = sorted((p for p in d.projects if p.errors), key=lambda p: (-p.errors, -p.warnings, p.title.lower()))
    return Summary(
        rounds=len(d.dialogues), upcoming=tuple(upcoming[:URGENT_ITEMS]), upcoming_count=len(upcoming),
        actions=len(d.actions), overdue=sum(1 for a in d.actions if a.overdue),
        urgent_actions=tuple(urgent[:URGENT_ITEMS]),
        calls=len(d.calls), closing=tuple(closing[:URGENT_ITEMS]), closing_count=len(closing),
        projects=len(d.projects), with_errors=tuple(failing[:URGENT_ITEMS]), with_errors_count=len(failing))


def has_dossier(organisation: Organisation) -> bool:
    """National agencies have a dossier; regions have theirs under their region page."""
    return organisation.kind == "national_agency"


__all__ = [
    "EVENT_LABELS",
    "STATUS_LABELS",
    "ActionRow",
    "AreaRow",
    "CallRow",
    "DialogueRow",
    "Dossier",
    "MatchRow",
    "PriorityRow",
    "ProjectFlag",
    "ProjectRow",
    "Summary",
    "agency_dossier",
    "has_dossier",
    "region_dossier",
    "summary",
]
