"""What other capabilities may use from the call calendar (e.g. projects linking calls to a joint project,
the dossiers listing a region's or a funder's calls)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_, select

from ..directory.models import Organisation
from ..extensions import db
from . import queries
from .alignment import AlignmentSettings, Flag, call_flags, check_alignment, pair_flags
from .call_data import CallData, EventKind
from .models import (
    Call,
    CallDateChange,
    CallEventRecord,
    CallTheme,
    CoordinationSet,
    call_followers,
    call_regions,
    coordination_members,
)


def calls_for_choice(limit: int = 400) -> list[tuple[int, str]]:
    """(id, "Funder: title (opens – last deadline)") for calls not closed more than a year ago."""
    return queries.calls_for_choice(limit=limit)


def call_data_for_ids(ids: Iterable[int]) -> list[CallData]:
    """Stored calls as CallData in the order given; `extra["id"]` is the call's id. Unknown ids are left out."""
    return queries.call_data_for_ids(list(ids))


def alignment_for_ids(ids: Iterable[int], settings: AlignmentSettings | None = None) -> list[Flag]:
    """Alignment flags for calls meant to co-fund one project (each flag names the clashing dates and a shift)."""
    return check_alignment(queries.call_data_for_ids(list(ids)), settings or AlignmentSettings())


def alignment_by_call(calls: Sequence[CallData], settings: AlignmentSettings | None = None,
                      at_hand: Sequence[CallData] = ()) -> dict[int, list[Flag]]:
    """Each call's alignment flags, checked with every call it shares a coordination set with: the flags
    `alignment_for_ids` gives for the call and its partners that name the call, in the same order.

    One pass for many calls: the calls given are reused, their partners looked up among them and
    `at_hand` (calls the caller has loaded anyway) and otherwise loaded in one query, and each call's
    own flags and each pair's flags worked out once however many groups they are in."""
    settings = settings or AlignmentSettings()
    checked = {int(c.extra["id"]): c for c in calls}
    partners = coordinated_with(checked)
    by_id = {int(c.extra["id"]): c for c in at_hand} | checked
    missing = sorted(set().union(*partners.values()) - set(by_id)) if partners else []
    by_id.update((int(c.extra["id"]), c) for c in queries.call_data_for_ids(missing))
    own: dict[int, list[Flag]] = {}
    pairs: dict[tuple[int, int], list[Flag]] = {}
    found: dict[int, list[Flag]] = {}
    for call_id, group in partners.items():
        if call_id not in own:
            own[call_id] = call_flags(by_id[call_id], settings)
        flags = list(own[call_id])
        for other in sorted(group - {call_id}):
            if other not in by_id:
                continue
            pair = (min(call_id, other), max(call_id, other))
            if pair not in pairs:
                pairs[pair] = pair_flags(by_id[pair[0]], by_id[pair[1]], settings)
            flags += pairs[pair]
        found[call_id] = []
        for flag in flags:
            if flag not in found[call_id]:
                found[call_id].append(flag)
    return found


def open_calls_for_areas(area_ids: Iterable[int], horizon_days: int = 365) -> list[CallData]:
    """Calls on any of the given national areas that are open or open within `horizon_days`, by opening."""
    area_ids = list(area_ids)
    if not area_ids:
        return []
    today = queries.today_local()
    ids = list(db.session.scalars(
        select(Call.id).where(
            Call.archived.is_(False),
            Call.id.in_(select(CallTheme.call_id).where(CallTheme.area_id.in_(area_ids))),
            (Call.last_deadline_on.is_(None)) | (Call.last_deadline_on >= today),
            (Call.opens_on.is_(None)) | (Call.opens_on <= today + timedelta(days=horizon_days)),
        ).order_by(Call.opens_on, Call.id).limit(200)
    ))
    return queries.call_data_for_ids(ids)


# --- work lists for the start page ------------------------------------------------------------------------

WORKLIST_LIMIT = 20


def _names(region_id: int):
    return exists().where(call_regions.c.call_id == Call.id, call_regions.c.region_id == region_id)


def _open_to(region_id: int):
    """Calls open to a region: those naming it, and national calls naming no region."""
    return or_(_names(region_id), ~exists().where(call_regions.c.call_id == Call.id))


def calls_closing(within_days: int, region_id: int | None = None, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Calls with a deadline from today to `within_days` ahead, soonest first: {id, title, funder, deadline}.

    With a region, only the calls open to it: those naming it and national calls naming no region.
    """
    today = queries.today_local()
    stmt = (select(Call.id, Call.title, Organisation.name, func.min(CallEventRecord.on_date))
            .join(CallEventRecord, CallEventRecord.call_id == Call.id)
            .join(Organisation, Organisation.id == Call.funder_id)
            .where(Call.archived.is_(False), CallEventRecord.kind == EventKind.DEADLINE.value,
                   CallEventRecord.on_date.between(today, today + timedelta(days=within_days)))
            .group_by(Call.id, Call.title, Organisation.name))
    if region_id is not None:
        stmt = stmt.where(_open_to(region_id))
    rows = db.session.execute(stmt.order_by(func.min(CallEventRecord.on_date), Call.id).limit(limit)).all()
    return [{"id": cid, "title": title, "funder": funder, "deadline": day} for cid, title, funder, day in rows]


def followed_set_warnings(user_id: int, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Alignment flags of the coordinated sets a user follows (made, or holding a call the user follows):
    {set_id, set_name, message_sv, message_en}, set by set."""
    followed_calls = select(call_followers.c.call_id).where(call_followers.c.user_id == user_id)
    sets = db.session.scalars(
        select(CoordinationSet).where(
            CoordinationSet.archived.is_(False),
            or_(CoordinationSet.created_by_id == user_id,
                CoordinationSet.id.in_(select(coordination_members.c.set_id)
                                       .where(coordination_members.c.call_id.in_(followed_calls)))))
        .order_by(CoordinationSet.name, CoordinationSet.id).limit(50))
    out = []
    for cset in sets:
        for flag in alignment_for_ids(c.id for c in cset.calls if not c.archived):
            out.append({"set_id": cset.id, "set_name": cset.name,
                        "message_sv": flag.message_sv, "message_en": flag.message_en})
            if len(out) >= limit:
                return out
    return out


def date_changes_since(since: datetime, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Call dates moved since a moment, latest first: {call_id, title, label, old, new, changed_at}."""
    rows = db.session.execute(
        select(CallDateChange.call_id, Call.title, CallDateChange.label, CallDateChange.old_value,
               CallDateChange.new_value, CallDateChange.changed_at)
        .join(Call, Call.id == CallDateChange.call_id)
        .where(CallDateChange.changed_at >= since, Call.archived.is_(False))
        .order_by(CallDateChange.changed_at.desc(), CallDateChange.id.desc()).limit(limit)).all()
    return [{"call_id": cid, "title": title, "label": label, "old": old, "new": new, "changed_at": at}
            for cid, title, label, old, new, at in rows]


def calls_added_since(since: datetime, limit: int = WORKLIST_LIMIT) -> list[dict]:
    """Calls entered since a moment, latest first: {id, title, funder, created_at}."""
    rows = db.session.execute(
        select(Call.id, Call.title, Organisation.name, Call.created_at)
        .join(Organisation, Organisation.id == Call.funder_id)
        .where(Call.created_at >= since, Call.archived.is_(False))
        .order_by(Call.created_at.desc(), Call.id.desc()).limit(limit)).all()
    return [{"id": cid, "title": title, "funder": funder, "created_at": at} for cid, title, funder, at in rows]


def region_calls(region_id: int, today: date, limit: int) -> list[tuple[int, bool, str]]:
    """(id, names the region, funder name) of calls not archived and not closed before `today` that name
    the region, or that name no region at all (national calls open to every region), by opening."""
    names_region = _names(region_id)
    rows = db.session.execute(
        select(Call.id, names_region.label("named"), Organisation.name)
        .join(Organisation, Organisation.id == Call.funder_id)
        .where(Call.archived.is_(False), _open_to(region_id),
               or_(Call.last_deadline_on.is_(None), Call.last_deadline_on >= today))
        .order_by(Call.opens_on, Call.id).limit(limit)).all()
    return [(r.id, bool(r.named), r.name) for r in rows]


def funder_call_ids(organisation_id: int, closed_since: date, limit: int) -> list[int]:
    """Ids of the funder's calls not archived and not closed before `closed_since`, by opening."""
    return list(db.session.scalars(
        select(Call.id).where(Call.archived.is_(False), Call.funder_id == organisation_id,
                              or_(Call.last_deadline_on.is_(None), Call.last_deadline_on >= closed_since))
        .order_by(Call.opens_on, Call.id).limit(limit)))


def coordinated_with(ids: Iterable[int]) -> dict[int, set[int]]:
    """Each call with every call it shares a coordination set with (itself included)."""
    ids = list(ids)
    partners: dict[int, set[int]] = {i: {i} for i in ids}
    if not ids:
        return partners
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
    return partners
