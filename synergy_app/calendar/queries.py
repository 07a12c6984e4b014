"""Reading calls: list filters as SQL, and stored calls as CallData for the pure core.

CallData is built with a handful of column queries (calls, events, themes, regions) instead of ORM
objects, so a year's timeline or a full ICS feed of ten thousand calls stays fast.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import selectinload

from ..clock import STOCKHOLM, today_local
from ..directory.models import Organisation, Programme, Region
from ..errors import FieldError, InputError, NotFound
from ..extensions import db
from ..priorities.models import Area
from .call_data import DEFAULT_FORTHCOMING_HORIZON_DAYS, CallData, CallSeries, CallStatus, Deadline, EventKind
from .models import Call, CallEventRecord, CallSeriesRecord, CallTheme, call_regions

PAGE_SIZE = 50
MAX_EXPORT = 20_000


@dataclass(frozen=True)
class CallFilters:
    funders: tuple[str, ...] = ()
    theme: str | None = None
    region: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None

    def as_args(self) -> dict[str, object]:
        """The filters as query-string arguments (for links that keep them)."""
        args: dict[str, object] = {}
        if self.funders:
            args["funder"] = list(self.funders)
        for key in ("theme", "region", "status", "q"):
            value = getattr(self, key)
            if value:
                args[key] = value
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        return args


def _parse_date(args: Mapping, key: str, errors: list[FieldError]) -> date | None:
    raw = (args.get(key) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(FieldError(key, f'Ogiltigt datum: "{raw}" (ange ÅÅÅÅ-MM-DD).',
                                 f'Invalid date: "{raw}" (give YYYY-MM-DD).'))
        return None


def filters_from_args(args) -> CallFilters:
    """The list filters from a query string (web and API); a bad value is an InputError naming it."""
    errors: list[FieldError] = []
    getlist = getattr(args, "getlist", None)
    funders = getlist("funder") if getlist else ([args["funder"]] if args.get("funder") else [])
    funders = tuple(s.strip() for f in funders for s in str(f).split(",") if s.strip())
    status = (args.get("status") or "").strip() or None
    if status and status not in {s.value for s in CallStatus}:
        values = ", ".join(s.value for s in CallStatus)
        errors.append(FieldError("status", f"Okänd status. Välj en av: {values}.",
                                 f"Unknown status. Choose one of: {values}."))
    date_from = _parse_date(args, "from", errors)
    date_to = _parse_date(args, "to", errors)
    if date_from and date_to and date_to < date_from:
        errors.append(FieldError("to", "Slutdatum ligger före startdatum.", "The end date is before the start date."))
    if errors:
        raise InputError(errors)
    return CallFilters(
        funders=funders,
        theme=(args.get("theme") or "").strip() or None,
        region=(args.get("region") or "").strip() or None,
        status=status,
        date_from=date_from,
        date_to=date_to,
        q=(args.get("q") or "").strip()[:200] or None,
    )


def status_clause(status: str, today: date, horizon_days: int = DEFAULT_FORTHCOMING_HORIZON_DAYS):
    """derive_status() as SQL over the denormalised dates."""
    not_closed = or_(Call.last_deadline_on.is_(None), Call.last_deadline_on >= today)
    horizon = today + timedelta(days=horizon_days)
    if status == CallStatus.CLOSED:
        return Call.last_deadline_on < today
    if status == CallStatus.OPEN:
        return and_(not_closed, Call.opens_on <= today)
    if status == CallStatus.FORTHCOMING:
        return and_(not_closed, Call.opens_on > today, Call.opens_on <= horizon)
    return and_(not_closed, or_(Call.opens_on.is_(None), Call.opens_on > horizon))


def filtered_ids(filters: CallFilters, today: date | None = None) -> Select:
    """SELECT Call.id for the filters, ordered by opening (then deadline, then id)."""
    today = today or today_local()
    stmt = select(Call.id).where(Call.archived.is_(False))
    if filters.funders:
        stmt = stmt.join(Organisation, Organisation.id == Call.funder_id).where(Organisation.slug.in_(filters.funders))
    if filters.theme:
        stmt = stmt.where(Call.id.in_(select(CallTheme.call_id).where(CallTheme.slug == filters.theme)))
    if filters.region:
        stmt = stmt.where(Call.id.in_(
            select(call_regions.c.call_id).join(Region, Region.id == call_regions.c.region_id)
            .where(or_(Region.slug == filters.region, Region.county_code == filters.region))
        ))
    if filters.status:
        stmt = stmt.where(status_clause(filters.status, today))
    if filters.date_from:
        stmt = stmt.where(Call.ends_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Call.starts_on <= filters.date_to)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Call.title).like(like), func.lower(Call.reference).like(like)))
    return stmt.order_by(Call.opens_on.is_(None), Call.opens_on, Call.last_deadline_on, Call.id)


def count(filters: CallFilters, today: date | None = None) -> int:
    sub = filtered_ids(filters, today).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(sub)) or 0


def page_of_calls(filters: CallFilters, page: int, page_size: int = PAGE_SIZE,
                  today: date | None = None) -> tuple[list[CallData], int]:
    total = count(filters, today)
    ids = list(db.session.scalars(filtered_ids(filters, today).limit(page_size).offset((page - 1) * page_size)))
    return call_data_for_ids(ids), total


def all_calls(filters: CallFilters, limit: int = MAX_EXPORT, today: date | None = None) -> list[CallData]:
    ids = list(db.session.scalars(filtered_ids(filters, today).limit(limit)))
    return call_data_for_ids(ids)


def _chunks(items: Sequence[int], size: int = 2000) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def call_data_for_ids(ids: Sequence[int]) -> list[CallData]:
    """CallData for stored calls, in the order of `ids`; `extra["id"]` is the database id."""
    if not ids:
        return []
    base: dict[int, tuple] = {}
    events: dict[int, list] = defaultdict(list)
    themes: dict[int, list[str]] = defaultdict(list)
    regions: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(list(ids)):
        for row in db.session.execute(
            select(Call.id, Call.uid, Call.reference, Organisation.slug, Programme.slug, Call.programme_label,
                   Call.title, Call.url, Call.description, Call.budget_ore, Call.max_grant_ore, Call.funding_rate,
                   # Read as text: decoding JSON for every row of a big feed costs more than the rest.
                   type_coerce(Call.eligible_applicants, String), CallSeriesRecord.key, CallSeriesRecord.rrule,
                   Call.series_occurrence, Call.revision)
            .join(Organisation, Organisation.id == Call.funder_id)
            .outerjoin(Programme, Programme.id == Call.programme_id)
            .outerjoin(CallSeriesRecord, CallSeriesRecord.id == Call.series_id)
            .where(Call.id.in_(chunk))
        ):
            base[row[0]] = row
        for row in db.session.execute(
            select(CallEventRecord.call_id, CallEventRecord.kind, CallEventRecord.position, CallEventRecord.label,
                   CallEventRecord.on_date, CallEventRecord.at)
            .where(CallEventRecord.call_id.in_(chunk))
        ):
            events[row[0]].append(row)
        for call_id, slug in db.session.execute(
            select(CallTheme.call_id, CallTheme.slug).where(CallTheme.call_id.in_(chunk))
        ):
            themes[call_id].append(slug)
        for call_id, slug in db.session.execute(
            select(call_regions.c.call_id, Region.slug).join(Region, Region.id == call_regions.c.region_id)
            .where(call_regions.c.call_id.in_(chunk))
        ):
            regions[call_id].append(slug)
    result = []
    for call_id in ids:
        row = base.get(call_id)
        if row is None:
            continue
        result.append(_build(row, events[call_id], themes[call_id], regions[call_id]))
    return result


def _build(row, event_rows, theme_slugs, region_slugs) -> CallData:
    (call_id, uid, reference, funder, programme_slug, programme_label, title, url, description, budget, max_grant,
     rate, applicants, series_key, rrule, occurrence, revision) = row
    by_kind: dict[str, list] = defaultdict(list)
    for _, kind, position, label, on_date, at in event_rows:
        by_kind[kind].append((position, label, at if at is not None else on_date))
    for items in by_kind.values():
        items.sort(key=lambda t: t[0])

    def single(kind: EventKind):
        items = by_kind.get(kind.value)
        return items[0][2] if items else None

    def day(kind: EventKind):
        value = single(kind)
        return value.astimezone(STOCKHOLM).date() if hasattr(value, "astimezone") else value

    return CallData(
        funder_slug=funder,
        title=title,
        reference=reference,
        uid=uid,
        programme=programme_label or programme_slug,
        url=url,
        opens_on=single(EventKind.OPENING),
        deadlines=tuple(Deadline(label or "", at) for _, label, at in by_kind.get(EventKind.DEADLINE.value, [])),
        decision_on=day(EventKind.DECISION),
        earliest_start=day(EventKind.EARLIEST_START),
        latest_start=day(EventKind.LATEST_START),
        budget_sek=budget,
        max_grant_sek=max_grant,
        funding_rate=Decimal(rate) if rate is not None else None,
        eligible_applicants=_applicants(applicants),
        themes=tuple(sorted(theme_slugs)),
        regions=tuple(sorted(region_slugs)),
        series=CallSeries(series_key, rrule, occurrence) if series_key else None,
        revision=revision or 0,
        description=description,
        extra={"id": str(call_id)},
    )


def _applicants(value) -> tuple[str, ...]:
    # SQLite hands the JSON over as text; PostgreSQL's driver has already decoded it.
    if not value or value == "[]":
        return ()
    return tuple(json.loads(value) if isinstance(value, str) else value)


def normalised(call: CallData) -> CallData:
    """A call in the stored shape (sorted themes and regions, no revision) for "unchanged?" comparisons."""
    return replace(call, themes=tuple(sorted(set(call.themes))), regions=tuple(sorted(set(call.regions))),
                   revision=0, extra={})


def existing_by_identity(identities: Iterable[str]) -> dict[str, CallData]:
    identities = [i for i in set(identities) if i]
    result: dict[str, CallData] = {}
    for chunk in _chunks(identities, 2000):
        ids = list(db.session.scalars(select(Call.id).where(Call.identity.in_(chunk))))
        for data in call_data_for_ids(ids):
            result[data.identity] = data
    return result


def get_call(call_id: int) -> Call:
    call = db.session.scalar(
        select(Call).where(Call.id == call_id)
        .options(selectinload(Call.events), selectinload(Call.themes).selectinload(CallTheme.area),
                 selectinload(Call.regions), selectinload(Call.date_changes))
    )
    if call is None:
        raise NotFound("call", str(call_id))
    return call


def funder_by_slug(slug: str) -> Organisation:
    funder = db.session.scalar(select(Organisation).where(Organisation.slug == slug, Organisation.is_funder.is_(True)))
    if funder is None:
        slugs = funder_slugs()
        raise NotFound("funder", slug, difflib.get_close_matches(slug, slugs, n=3, cutoff=0.5))
    return funder


def funder_slugs() -> list[str]:
    return list(db.session.scalars(select(Organisation.slug).where(Organisation.is_funder.is_(True))
                                   .order_by(Organisation.slug)))


def funder_choices() -> list[tuple[str, str]]:
    return [(slug, name) for slug, name in db.session.execute(
        select(Organisation.slug, Organisation.name).where(Organisation.is_funder.is_(True)).order_by(Organisation.name)
    )]


def funder_names(slugs: Iterable[str] | None = None) -> dict[str, str]:
    stmt = select(Organisation.slug, Organisation.name).where(Organisation.is_funder.is_(True))
    if slugs is not None:
        stmt = stmt.where(Organisation.slug.in_(list(set(slugs))))
    return dict(db.session.execute(stmt).all())


def theme_choices() -> list[str]:
    return list(db.session.scalars(select(CallTheme.slug).distinct().order_by(CallTheme.slug)))


def theme_area_titles() -> dict[str, str]:
    """Title of each call theme that is a national/EU area (slug -> title)."""
    return dict(db.session.execute(
        select(CallTheme.slug, Area.title).join(Area, Area.id == CallTheme.area_id).distinct()).all())


def area_theme_choices(language: str) -> list[tuple[str, str]]:
    """Every national and EU area a call can be themed with, by its name in ``language`` (slug, name)."""
    rows = db.session.execute(select(Area.slug, Area.title, Area.title_en).where(Area.archived.is_(False)))
    return [(slug, (title_en or title) if language == "en" else title) for slug, title, title_en in rows]


def region_choices() -> list[tuple[str, str]]:
    return [(s, n) for s, n in db.session.execute(select(Region.slug, Region.name).order_by(Region.name))]


def span_ids(start: date, end: date, filters: CallFilters, today: date | None = None) -> list[int]:
    """Calls whose dates touch [start, end] (for the timeline and month views)."""
    stmt = filtered_ids(replace(filters, date_from=start, date_to=end), today)
    return list(db.session.scalars(stmt.limit(MAX_EXPORT)))


def calls_for_choice(exclude: int | None = None, limit: int = 400) -> list[tuple[int, str]]:
    """Calls not yet closed (and the most recent closed ones) for a choice list, labelled with funder and dates."""
    today = today_local()
    stmt = (select(Call.id, Call.title, Organisation.name, Call.opens_on, Call.last_deadline_on)
            .join(Organisation, Organisation.id == Call.funder_id)
            .where(Call.archived.is_(False), (Call.last_deadline_on.is_(None))
                   | (Call.last_deadline_on >= today - timedelta(days=365)))
            .order_by(Call.opens_on, Call.id).limit(limit))
    result = []
    for cid, title, funder, opens, last in db.session.execute(stmt):
        if cid == exclude:
            continue
        span = f"{opens.isoformat() if opens else '?'} – {last.isoformat() if last else '?'}"
        result.append((cid, f"{funder}: {title} ({span})"))
    return result
