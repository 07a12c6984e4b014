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

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from ..calendar import public as calendar
from ..calendar.call_data import EVENT_LABELS, STATUS_LABELS, CallData, derive_status
from ..calendar.models import Call, call_regions, coordination_members
from ..dialogues import public as dialogues
from ..dialogues.models import DialogueRound, round_agencies
from ..dialogues.models_followup import FollowUpAction
from ..extensions import db
from ..formatting import STOCKHOLM
from ..priorities import public as matching
from ..priorities.matching_service import MatchRun, run
from ..projects import checking
from ..projects.models import FundingLine, ProjectPartner, project_regions
from ..stateaid.project_document import DocumentError
from .models import Organisation, Region, organisation_regions
from .queries import organisation_areas, region_priorities

MATCHES_PER_PRIORITY = 5
REGIONS_PER_AREA = 5
ROW_LIMIT = 200
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


def today_local() -> date:
    from ..db_types import utcnow

    return utcnow().astimezone(STOCKHOLM).date()


# --- matching ---------------------------------------------------------------------------------------


def _match_row(m: dict, area: dict | None = None, region: dict | None = None) -> MatchRow:
    return MatchRow(
        priority_slug=m["slug"], priority_title=m["title"], area_slug=m["area_slug"], area_title=m["area_title"],
        organisation_name=(area or {}).get("organisation_name", ""),
        region_slug=(region or {}).get("region_slug", ""), region_name=(region or {}).get("region_name", ""),
        score=m["score"], decision=m["decision"], explanation_sv=m["explanation_sv"],
        explanation_en=m["explanation_en"])


def _priority_rows(region: Region, run_: MatchRun) -> tuple[PriorityRow, ...]:
    """Each active priority with its best areas; planners' decisions first, rejected pairs never."""
    by_priority: dict[str, list[MatchRow]] = defaultdict(list)
    if f"region:{region.slug}" in run_.graph:
        for rank in matching.area_ranks(run_, region.slug):
            for m in rank["priorities"]:
                by_priority[m["slug"]].append(_match_row(m, area=rank))
    rows = []
    for p in region_priorities(region):
        matches = sorted(by_priority.get(p.slug, []), key=lambda r: (not r.decided, -r.score, r.area_title))
        rows.append(PriorityRow(p.slug, p.title, p.title_en, tuple(matches[:MATCHES_PER_PRIORITY])))
    return tuple(rows)


def _area_rows(organisation: Organisation, run_: MatchRun) -> tuple[AreaRow, ...]:
    rows = []
    for area in organisation_areas(organisation):
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
    for r in _rounds(DialogueRound.id.in_(ids)):
        booking, invitation = bookings.get(r.id), invitations.get(r.id)
        at = booking.slot.starts_at if booking and booking.slot else _first_meeting(r)
        rows.append(DialogueRow(r.id, r.theme, r.kind, r.status, r.lead_organisation.name, at,
                                invitation.answer if invitation else None, booking is not None,
                                "booked" if booking else "invited"))
    return _by_date(rows)


def _agency_dialogues(organisation: Organisation) -> tuple[DialogueRow, ...]:
    in_round = exists().where(round_agencies.c.round_id == DialogueRound.id,
                              round_agencies.c.organisation_id == organisation.id)
    rows = [DialogueRow(r.id, r.theme, r.kind, r.status, r.lead_organisation.name, _first_meeting(r), None, False,
                        "lead" if r.lead_organisation_id == organisation.id else "agency")
            for r in _rounds(or_(DialogueRound.lead_organisation_id == organisation.id, in_round))]
    return _by_date(rows)


def _rounds(condition) -> list[DialogueRound]:
    # A round still in draft has sent no invitations: it is not published yet.
    return list(db.session.scalars(
        select(DialogueRound).where(condition, DialogueRound.status != "draft")
        .options(selectinload(DialogueRound.lead_organisation), selectinload(DialogueRound.meetings))
        .order_by(DialogueRound.created_at.desc(), DialogueRound.id.desc()).limit(ROW_LIMIT)))


def _first_meeting(round_: DialogueRound) -> datetime | None:
    return round_.meetings[0].starts_at if round_.meetings else None


def _by_date(rows: list[DialogueRow]) -> tuple[DialogueRow, ...]:
    """Latest meeting first; rounds without a meeting date last."""
    far_past = datetime.min.replace(tzinfo=STOCKHOLM)
    return tuple(sorted(rows, key=lambda r: (r.meeting_at is None, -(r.meeting_at or far_past).timestamp(),
                                             -r.round_id)))


def _open_actions(condition, today: date) -> tuple[ActionRow, ...]:
    actions = db.session.scalars(
        select(FollowUpAction).join(DialogueRound, DialogueRound.id == FollowUpAction.round_id)
        .where(condition, FollowUpAction.status == "open", DialogueRound.status != "draft")
        .options(selectinload(FollowUpAction.round), selectinload(FollowUpAction.region),
                 selectinload(FollowUpAction.owner_organisation))
        .order_by(FollowUpAction.due_date, FollowUpAction.id).limit(ROW_LIMIT))
    return tuple(ActionRow(a.id, a.round_id, a.round.theme, a.description, a.owner_organisation.name,
                           a.region.name if a.region else None, a.due_date, a.is_overdue(today)) for a in actions)


# --- calls --------------------------------------------------------------------------------------------


def _call_rows(ids: list[int], today: date, targets: dict[int, str], funders: dict[int, str]) -> tuple[CallRow, ...]:
    calls = calendar.call_data_for_ids(ids)
    alignment = _alignment(calls)
    rows = []
    for c in calls:
        cid = int(c.extra["id"])
        upcoming = next((e for e in c.events() if e.on >= today), None)
        flags = alignment.get(c.identity, []) if (c.uid or c.reference) else []
        rows.append(CallRow(
            cid, c.title, funders.get(cid, c.funder_slug), c.programme, derive_status(c, today).value,
            targets.get(cid, "funder"), c.opens_date, c.last_deadline,
            upcoming.kind.value if upcoming else None, upcoming.on if upcoming else None, c.budget_sek, c.url,
            tuple(f.message_sv for f in flags), tuple(f.message_en for f in flags)))
    rows.sort(key=lambda r: (r.next_on is None, r.next_on or date.max, r.title))
    return tuple(rows)


def _alignment(calls: list[CallData]) -> dict[str, list]:
    """Alignment flags per call identity: each call checked with the calls coordinated with it."""
    ids = [int(c.extra["id"]) for c in calls if c.uid or c.reference]
    if not ids:
        return {}
    partners: dict[int, set[int]] = {i: {i} for i in ids}
    members = coordination_members
    rows = db.session.execute(
        select(members.c.set_id, members.c.call_id).where(members.c.set_id.in_(
            select(members.c.set_id).where(members.c.call_id.in_(ids))))).all()
    sets: dict[int, set[int]] = defaultdict(set)
    for set_id, call_id in rows:
        sets[set_id].add(call_id)
    for group in sets.values():
        for call_id in group & set(ids):
            partners[call_id] |= group
    found: dict[str, list] = defaultdict(list)
    identity = {int(c.extra["id"]): c.identity for c in calls}
    for call_id, group in partners.items():
        for flag in calendar.alignment_for_ids(sorted(group)):
            if identity[call_id] in flag.calls and flag not in found[identity[call_id]]:
                found[identity[call_id]].append(flag)
    return found


def _recent_or_later(today: date):
    since = today - timedelta(days=CALLS_CLOSED_WITHIN_DAYS)
    return or_(Call.last_deadline_on.is_(None), Call.last_deadline_on >= since)


def _region_calls(region: Region, today: date) -> tuple[CallRow, ...]:
    """Calls naming the region, and national calls open to every region (they name none)."""
    names_region = exists().where(call_regions.c.call_id == Call.id, call_regions.c.region_id == region.id)
    names_any = exists().where(call_regions.c.call_id == Call.id)
    rows = db.session.execute(
        select(Call.id, names_region.label("named"), Organisation.name)
        .join(Organisation, Organisation.id == Call.funder_id)
        .where(Call.archived.is_(False), or_(names_region, ~names_any),
               or_(Call.last_deadline_on.is_(None), Call.last_deadline_on >= today))
        .order_by(Call.opens_on, Call.id).limit(ROW_LIMIT)).all()
    return _call_rows([r.id for r in rows], today, {r.id: "region" if r.named else "national" for r in rows},
                      {r.id: r.name for r in rows})


def _agency_calls(organisation: Organisation, today: date) -> tuple[CallRow, ...]:
    ids = list(db.session.scalars(
        select(Call.id).where(Call.archived.is_(False), Call.funder_id == organisation.id, _recent_or_later(today))
        .order_by(Call.opens_on, Call.id).limit(ROW_LIMIT)))
    return _call_rows(ids, today, {}, dict.fromkeys(ids, organisation.name))


# --- projects -----------------------------------------------------------------------------------------


def _project_rows(roles: dict[int, set[str]], funder_id: int) -> tuple[ProjectRow, ...]:
    rows = []
    for project_id in sorted(roles)[:ROW_LIMIT]:
        project = checking.load_project(project_id)
        if project is None:
            continue
        try:
            result = checking.run_check(project).result
        except DocumentError as exc:
            result, reason = None, exc
        else:
            reason = None
        _per_partner, whole = checking.totals(project)
        flags = tuple(ProjectFlag(f.severity, f.code, f.message_sv, f.message_en)
                      for f in sorted(result.flags, key=lambda f: (_SEVERITY.get(f.severity, 9), f.code))
                      ) if result else ()
        rows.append(ProjectRow(
            project.id, project.title, project.status, tuple(r for r in PROJECT_ROLES if r in roles[project_id]),
            project.start_date or project.work_start, project.end_date, whole.total_costs,
            sum(line.amount_ore for line in project.funding_lines if line.funder_id == funder_id),
            result.count("error") if result else 0, result.count("warning") if result else 0, flags,
            _message(reason, "sv"), _message(reason, "en")))
    rows.sort(key=lambda r: (r.title.lower(), r.project_id))
    return tuple(rows)


PROJECT_ROLES = ("project_region", "partner", "partner_in_region", "funder")
_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def _message(exc: DocumentError | None, lang: str) -> str | None:
    if exc is None:
        return None
    for name in (f"message_{lang}", "message"):
        value = getattr(exc, name, None)
        if isinstance(value, str) and value:
            return value
    return str(exc)


def _region_projects(region: Region) -> tuple[ProjectRow, ...]:
    roles: dict[int, set[str]] = defaultdict(set)
    for (pid,) in db.session.execute(select(project_regions.c.project_id)
                                     .where(project_regions.c.region_id == region.id).limit(ROW_LIMIT)):
        roles[pid].add("project_region")
    for (pid,) in db.session.execute(select(ProjectPartner.project_id)
                                     .where(ProjectPartner.organisation_id == region.organisation_id)):
        roles[pid].add("partner")
    located = select(organisation_regions.c.organisation_id).where(organisation_regions.c.region_id == region.id)
    for (pid,) in db.session.execute(select(ProjectPartner.project_id)
                                     .where(ProjectPartner.organisation_id.in_(located))):
        roles[pid].add("partner_in_region")
    for (pid,) in db.session.execute(select(FundingLine.project_id)
                                     .where(FundingLine.funder_id == region.organisation_id)):
        roles[pid].add("funder")
    return _project_rows(roles, region.organisation_id)


def _agency_projects(organisation: Organisation) -> tuple[ProjectRow, ...]:
    ids = db.session.scalars(select(FundingLine.project_id).where(FundingLine.funder_id == organisation.id)
                             .distinct())
    return _project_rows({pid: {"funder"} for pid in ids}, organisation.id)


# --- the dossiers ---------------------------------------------------------------------------------------


def region_dossier(region: Region, today: date | None = None) -> Dossier:
    today = today or today_local()
    region_match = or_(FollowUpAction.region_id == region.id,
                       FollowUpAction.owner_organisation_id == region.organisation_id)
    return Dossier(
        kind="region", key=region.slug, name=region.name, generated_on=today,
        priorities=_priority_rows(region, run()),
        dialogues=_region_dialogues(region),
        actions=_open_actions(region_match, today),
        calls=_region_calls(region, today),
        projects=_region_projects(region),
    )


def agency_dossier(organisation: Organisation, today: date | None = None) -> Dossier:
    today = today or today_local()
    rounds = select(DialogueRound.id).where(or_(
        DialogueRound.lead_organisation_id == organisation.id,
        DialogueRound.id.in_(select(round_agencies.c.round_id)
                             .where(round_agencies.c.organisation_id == organisation.id))))
    action_match = or_(FollowUpAction.round_id.in_(rounds), FollowUpAction.owner_organisation_id == organisation.id)
    return Dossier(
        kind="agency", key=organisation.slug, name=organisation.name, generated_on=today,
        areas=_area_rows(organisation, run()),
        dialogues=_agency_dialogues(organisation),
        actions=_open_actions(action_match, today),
        calls=_agency_calls(organisation, today),
        projects=_agency_projects(organisation),
    )


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
    "agency_dossier",
    "has_dossier",
    "region_dossier",
]
