"""Write operations of the call calendar: validate -> change -> audit -> commit, in one transaction each."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from time import sleep

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ..audit.service import record, transaction
from ..auth.access import permit
from ..clock import local_date
from ..db_types import utcnow
from ..directory.models import Organisation, Programme, Region
from ..errors import Conflict, FieldError, InputError, NotFound
from ..extensions import db
from ..priorities.models import Area
from ..secret_tokens import hash_secret, new_secret
from ..shipped_data import read_yaml
from . import queries
from .access import can_edit_calls
from .call_data import CallData, EventKind, validate_call
from .call_data import FieldError as CoreFieldError
from .call_notices import notify_call_dates_changed
from .import_ics import parse_ics
from .import_preview import ImportPreview, RowAction
from .import_tabular import parse_csv, parse_xlsx
from .models import (
    CalendarFeedToken,
    Call,
    CallDateChange,
    CallEventRecord,
    CallImportDraft,
    CallSeriesRecord,
    CallTheme,
    CoordinationSet,
    call_followers,
    call_regions,
)

FILE_KINDS = ("ics", "csv", "xlsx")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DRAFT_LIFETIME = timedelta(days=1)


def _errors(core_errors: Iterable[CoreFieldError]) -> list[FieldError]:
    return [FieldError(e.field, e.message_sv, e.message_en) for e in core_errors]


@lru_cache(maxsize=1)
def policy_labels() -> dict[str, tuple[str, str]]:
    """Eye@RIS3 policy objectives (slug -> Swedish and English label) from the shipped vocabularies."""
    path = Path(__file__).resolve().parent.parent / "reference" / "data" / "vocabularies.yaml"
    data = read_yaml(path.read_text(encoding="utf-8"))
    return {o["slug"]: (o.get("label_sv") or o["slug"], o.get("label_en") or o["slug"])
            for o in (data.get("policy") or {}).get("objectives") or []}


def policy_objectives() -> frozenset[str]:
    return frozenset(policy_labels())


# --- Saving one call ---------------------------------------------------------------------------


def _event_map(call: CallData) -> dict[str, tuple[str, date | datetime]]:
    return {f"{ev.kind.value}:{ev.index}": (ev.label, ev.at) for ev in call.events()}


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _reference_problems(call: CallData) -> tuple[list[CoreFieldError], dict[str, Region]]:
    """Regions must be known; themes may be areas, policy objectives or free slugs."""
    problems: list[CoreFieldError] = []
    regions = {r.slug: r for r in db.session.scalars(select(Region).where(Region.slug.in_(call.regions)))} \
        if call.regions else {}
    for slug in call.regions:
        if slug not in regions:
            problems.append(CoreFieldError("regions", f'Okänd region: "{slug}".', f'Unknown region: "{slug}".'))
    return problems, regions


def save_call(data: CallData, *, actor=None, source: str = "form", expected_id: int | None = None) -> Call:
    """Create or update a call by identity, keeping every moved date in its history."""
    permit(actor, can_edit_calls)
    with transaction():
        call = _save_call(data, actor=actor, source=source, expected_id=expected_id)
    return call


def _save_call(data: CallData, *, actor, source: str, expected_id: int | None = None,
               funders: dict[str, Organisation] | None = None) -> Call:
    funder, regions = _checked(data, funders)
    call = _stored_call(data, expected_id)
    before = None
    if call is not None:
        before = queries.call_data_for_ids([call.id])[0]
        if queries.normalised(before) == queries.normalised(data):
            return call
    created = call is None
    if created:
        call = Call(identity=data.identity, funder_id=funder.id, title=data.title, revision=0)
        db.session.add(call)
    else:
        call.revision = (call.revision or 0) + 1
    _set_fields(call, data, funder)
    _set_series(call, data, funder)
    _set_dates(call, data)
    db.session.flush()
    _replace_links(call, data, regions)
    if created:
        record("calendar.call.create", call, summary=f"{data.title} ({data.identity})", actor=actor)
    else:
        _record_moved_dates(call, before, data, actor, source)
    return call


def _checked(data: CallData, funders: dict[str, Organisation] | None) -> tuple[Organisation, dict[str, Region]]:
    """The call's funder and regions; InputError naming every field that is wrong."""
    errors = list(validate_call(data))
    problems, regions = _reference_problems(data)
    errors += problems
    funder = (funders or {}).get(data.funder_slug) or db.session.scalar(
        select(Organisation).where(Organisation.slug == data.funder_slug, Organisation.is_funder.is_(True)))
    if funder is None:
        errors.append(CoreFieldError("funder", f'Okänd finansiär: "{data.funder_slug}".',
                                     f'Unknown funder: "{data.funder_slug}".'))
    if errors:
        raise InputError(_errors(errors))
    return funder, regions


def _stored_call(data: CallData, expected_id: int | None) -> Call | None:
    # Lock the stored call (PostgreSQL; SQLite's writers queue anyway): two imports of the same
    # changed file then compare with what the other saved, so each moved date is recorded once.
    call = db.session.scalar(select(Call).where(Call.identity == data.identity).with_for_update()
                             .execution_options(populate_existing=True))
    if expected_id is not None and call is not None and call.id != expected_id:
        raise InputError(FieldError("reference", "En annan utlysning har redan denna referens.",
                                    "Another call already has this reference."))
    if expected_id is not None and call is None:
        # The identity (funder or reference) was edited: update the call being edited.
        call = db.session.get(Call, expected_id)
    return call


def _set_fields(call: Call, data: CallData, funder: Organisation) -> None:
    created = call.id is None
    call.identity = data.identity
    call.uid = data.uid
    call.reference = data.reference
    call.funder_id = funder.id
    call.title = data.title
    call.url = data.url
    if data.description is not None or created:
        call.description = data.description
    call.budget_ore = data.budget_sek
    call.max_grant_ore = data.max_grant_sek
    call.funding_rate = data.funding_rate
    call.eligible_applicants = list(data.eligible_applicants)
    call.programme_label = data.programme
    call.programme_id = None
    if data.programme:
        call.programme_id = db.session.scalar(
            select(Programme.id).where(Programme.funder_id == funder.id,
                                       (Programme.slug == data.programme) | (Programme.name == data.programme)))


def _set_series(call: Call, data: CallData, funder: Organisation) -> None:
    call.series_id = None
    call.series_occurrence = None
    if not data.series:
        return
    series = db.session.scalar(select(CallSeriesRecord).where(
        CallSeriesRecord.funder_id == funder.id, CallSeriesRecord.key == data.series.key))
    if series is None:
        series = CallSeriesRecord(funder_id=funder.id, key=data.series.key, rrule=data.series.rrule)
        db.session.add(series)
    elif data.series.rrule and series.rrule != data.series.rrule:
        series.rrule = data.series.rrule
    call.series = series
    call.series_occurrence = data.series.occurrence


def _record_moved_dates(call: Call, before: CallData, data: CallData, actor, source: str) -> None:
    """The date history of this revision, its audit entry, and the announcement to the call's followers."""
    old_events, new_events = _event_map(before), _event_map(data)
    rows = []
    for key in sorted(set(old_events) | set(new_events)):
        old = old_events.get(key, ("", None))[1]
        new = new_events.get(key, ("", None))[1]
        if old != new:
            label = (new_events.get(key) or old_events.get(key))[0]
            rows.append(CallDateChange(
                call_id=call.id, field=key, label=label, old_value=_iso(old), new_value=_iso(new),
                revision=call.revision, changed_by_id=getattr(actor, "id", None),
                changed_by_label=getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system"),
                source=source,
            ))
    db.session.add_all(rows)
    changed = [row.field for row in rows]
    record("calendar.call.update", call, summary=f"{data.title} ({data.identity}), revision {call.revision}",
           changes={"dates_moved": changed} if changed else None, actor=actor)
    # In this transaction: whatever a receiver writes commits or rolls back with the change.
    notify_call_dates_changed(call, rows)


def _set_dates(call: Call, data: CallData) -> None:
    """The denormalised dates used by list filters and the status rule."""
    call.opens_on = data.opens_date
    call.last_deadline_on = data.last_deadline
    days = [ev.on for ev in data.events()]
    call.starts_on = min(days) if days else None
    call.ends_on = max(days) if days else None


def _replace_links(call: Call, data: CallData, regions: dict[str, Region]) -> None:
    # Each dated event is its own row (a call with several cut-offs has several deadline rows).
    db.session.execute(delete(CallEventRecord).where(CallEventRecord.call_id == call.id))
    rows = [
        {"call_id": call.id, "kind": ev.kind.value, "position": ev.index,
         # Only a deadline's own label is stored (e.g. "Steg 2"); standard labels come from EVENT_LABELS.
         "label": data.deadlines[ev.index].label[:200] if ev.kind == EventKind.DEADLINE else "",
         "on_date": local_date(ev.at), "at": ev.at if isinstance(ev.at, datetime) else None}
        for ev in data.events()
    ]
    if rows:
        db.session.execute(insert(CallEventRecord), rows)
    db.session.execute(delete(CallTheme).where(CallTheme.call_id == call.id))
    db.session.execute(delete(call_regions).where(call_regions.c.call_id == call.id))
    themes = sorted(set(data.themes))
    if themes:
        areas = dict(db.session.execute(select(Area.slug, Area.id).where(Area.slug.in_(themes))).all())
        policy = policy_objectives()
        db.session.execute(insert(CallTheme), [
            {"call_id": call.id, "slug": t[:160], "area_id": areas.get(t),
             "kind": "area" if t in areas else ("policy" if t in policy else "free")}
            for t in themes
        ])
    if regions:
        db.session.execute(insert(call_regions), [{"call_id": call.id, "region_id": r.id} for r in regions.values()])
    db.session.expire(call, ["events", "themes", "regions"])


def archive_call(call: Call, *, actor=None) -> None:
    permit(actor, can_edit_calls)
    with transaction():
        call.archived = True
        call.revision = (call.revision or 0) + 1
        record("calendar.call.archive", call, summary=call.title, actor=actor)


# --- Import: preview, then all or nothing -------------------------------------------------------


def file_kind_for(filename: str, requested: str | None = None) -> str:
    if requested in FILE_KINDS:
        return requested
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if suffix in ("ics", "ical", "ifb", "icalendar"):
        return "ics"
    if suffix in ("csv", "txt"):
        return "csv"
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    raise InputError(FieldError("file", "Okänd filtyp: ladda upp en .ics-, .csv- eller .xlsx-fil.",
                                "Unknown file type: upload an .ics, .csv or .xlsx file."))


def preview_import(content: bytes, file_kind: str, funder_slug: str | None = None,
                   today: date | None = None) -> ImportPreview:
    """Parse and check every row against the database (funders, regions, existing calls); saves nothing."""
    today = today or queries.today_local()
    known = set(queries.funder_slugs())
    if file_kind == "ics":
        if not funder_slug:
            return ImportPreview([], [CoreFieldError("funder", "Välj finansiären som filen kommer från.",
                                                     "Choose the funder the file comes from.")])
        preview = parse_ics(content, funder_slug, known, window_start=date(today.year - 3, 1, 1),
                            window_end=date(today.year + 10, 12, 31))
    elif file_kind == "csv":
        if funder_slug and funder_slug not in known:
            return ImportPreview([], [CoreFieldError("funder", f'Okänd finansiär: "{funder_slug}".',
                                                     f'Unknown funder: "{funder_slug}".')])
        preview = parse_csv(content, known, None, funder_slug or None)
    else:
        if funder_slug and funder_slug not in known:
            return ImportPreview([], [CoreFieldError("funder", f'Okänd finansiär: "{funder_slug}".',
                                                     f'Unknown funder: "{funder_slug}".')])
        preview = parse_xlsx(content, known, None, funder_slug or None)
    _check_against_database(preview)
    return preview


def _check_against_database(preview: ImportPreview) -> None:
    all_regions = set(db.session.scalars(select(Region.slug)))
    for row in preview.rows:
        if row.call is None:
            continue
        for slug in row.call.regions:
            if slug not in all_regions:
                row.errors.append(CoreFieldError("regions", f'Okänd region: "{slug}".', f'Unknown region: "{slug}".'))
        if row.errors:
            row.call = None
            row.action = RowAction.REJECT
    existing = queries.existing_by_identity(r.identity for r in preview.rows if r.call is not None)
    for row in preview.rows:
        if row.call is None or row.errors:
            continue
        before = existing.get(row.identity)
        if before is None:
            row.action = RowAction.CREATE
        elif queries.normalised(before) == queries.normalised(replace(row.call, description=before.description)):
            row.action = RowAction.UNCHANGED
        else:
            row.action = RowAction.UPDATE


def commit_import(preview: ImportPreview, *, actor=None, filename: str = "",
                  source: str = "import") -> dict[str, int]:
    """Save every row of a valid preview in one transaction; an invalid preview saves nothing."""
    permit(actor, can_edit_calls)
    if not preview.ok:
        problems = [FieldError("file", e.message_sv, e.message_en) for e in preview.file_errors]
        for row in preview.rows:
            for e in row.errors:
                problems.append(FieldError(f"row {row.row_number}: {e.field}", f"Rad {row.row_number}: {e.message_sv}",
                                           f"Row {row.row_number}: {e.message_en}"))
        raise InputError(problems or [FieldError("file", "Importen har fel.", "The import has errors.")])
    funders = {o.slug: o for o in db.session.scalars(select(Organisation).where(Organisation.is_funder.is_(True)))}
    counts = preview.counts()
    with transaction():
        for row in preview.rows:
            if row.action in (RowAction.CREATE, RowAction.UPDATE) and row.call is not None:
                _save_call(row.call, actor=actor, source=source, funders=funders)
        record("calendar.import", None, object_type="calls", summary=f"{filename}: {counts}", actor=actor,
               changes={"counts": counts})
    return counts


def store_draft(content: bytes, filename: str, file_kind: str, funder_slug: str | None, user) -> CallImportDraft:
    """Keep an uploaded file in the database between preview and confirmation."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise InputError(FieldError("file", "Filen är större än 10 MB.", "The file is larger than 10 MB."))
    with transaction():
        db.session.execute(delete(CallImportDraft).where(CallImportDraft.created_at < utcnow() - DRAFT_LIFETIME))
        draft = CallImportDraft(token=secrets.token_urlsafe(24), user_id=getattr(user, "id", None),
                                filename=(filename or "upload")[:300], file_kind=file_kind,
                                funder_slug=funder_slug or None, content=content)
        db.session.add(draft)
    return draft


def draft_for(token: str, user) -> CallImportDraft:
    draft = db.session.scalar(select(CallImportDraft).where(CallImportDraft.token == (token or "")))
    if draft is None or draft.user_id != getattr(user, "id", None):
        raise NotFound("import", token or "-")
    return draft


IMPORT_ATTEMPTS = 4


def _import_race() -> Conflict:
    return Conflict("file", "Samma utlysningar sparades av någon annan i samma stund och importen kunde inte "
                    "sparas. Ladda upp filen igen; det som redan är sparat visas då som oförändrat.",
                    "The same calls were being saved by someone else at the same moment and the import could not "
                    "be saved. Upload the file again; what is already saved then shows as unchanged.",
                    code="import_conflict")


def confirm_draft(draft: CallImportDraft, *, actor=None) -> dict[str, int]:
    """Save a previewed import. When the same calls are imported at the same moment (another
    instance, another person), the database's unique identity lets one insert win; the other
    checks the file again against what is now stored, so its rows become updates or unchanged."""
    draft_id = draft.id
    counts = import_file(draft.content, draft.file_kind, draft.funder_slug, actor=actor, filename=draft.filename)
    with transaction():
        db.session.execute(delete(CallImportDraft).where(CallImportDraft.id == draft_id))
    return counts


def import_file(content: bytes, kind: str, funder: str, *, actor=None, filename: str = "",
                source: str = "import") -> dict[str, int]:
    """Check a file against what is stored and save it; a lost race is checked again (Conflict at last)."""
    for attempt in range(IMPORT_ATTEMPTS):
        try:
            return commit_import(preview_import(content, kind, funder), actor=actor, filename=filename,
                                 source=source)
        except (IntegrityError, OperationalError) as exc:
            # OperationalError: SQLite's "database is locked" when another process held the write lock too long.
            if isinstance(exc, OperationalError) and db.session.get_bind().dialect.name != "sqlite":
                raise
            if attempt == IMPORT_ATTEMPTS - 1:
                raise _import_race() from None
            sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


# --- Following, coordination and feeds ----------------------------------------------------------


def follow(call: Call, user) -> None:
    with transaction():
        exists = db.session.scalar(select(call_followers.c.call_id).where(
            call_followers.c.call_id == call.id, call_followers.c.user_id == user.id))
        if exists is None:
            db.session.execute(insert(call_followers).values(call_id=call.id, user_id=user.id, created_at=utcnow()))
            record("calendar.call.follow", call, summary=call.title, actor=user)


def unfollow(call: Call, user) -> None:
    with transaction():
        db.session.execute(delete(call_followers).where(
            call_followers.c.call_id == call.id, call_followers.c.user_id == user.id))
        record("calendar.call.unfollow", call, summary=call.title, actor=user)


def is_following(call_id: int, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(call_followers.c.call_id).where(
        call_followers.c.call_id == call_id, call_followers.c.user_id == user.id)) is not None


def mark_coordinated(call_ids: list[int], *, name: str, actor=None, set_id: int | None = None,
                     note: str | None = None) -> CoordinationSet:
    """Mark calls as coordinated (meant to co-fund one project); they are then checked together."""
    permit(actor, can_edit_calls)
    ids = sorted(set(call_ids))
    calls = list(db.session.scalars(select(Call).where(Call.id.in_(ids), Call.archived.is_(False)))) if ids else []
    if len(calls) != len(ids):
        missing = sorted(set(ids) - {c.id for c in calls})
        raise InputError(FieldError("call_ids", f"Okända utlysningar: {missing}.", f"Unknown calls: {missing}."))
    with transaction():
        if set_id is not None:
            cset = db.session.get(CoordinationSet, set_id)
            if cset is None:
                raise NotFound("coordination set", str(set_id))
            for call in calls:
                if call not in cset.calls:
                    cset.calls.append(call)
            record("calendar.coordination.add", cset, summary=f"{cset.name}: +{ids}", actor=actor)
        else:
            name = (name or "").strip()
            if not name:
                raise InputError(FieldError("name", "Ge samordningen ett namn.", "Give the coordination a name."))
            if len(calls) < 2:
                raise InputError(FieldError("call_ids", "Välj minst två utlysningar.", "Choose at least two calls."))
            cset = CoordinationSet(name=name[:300], note=note, created_by_id=getattr(actor, "id", None), calls=calls)
            db.session.add(cset)
            db.session.flush()
            record("calendar.coordination.create", cset, summary=f"{cset.name}: {ids}", actor=actor)
    return cset


def remove_from_set(cset: CoordinationSet, call: Call, *, actor=None) -> None:
    permit(actor, can_edit_calls)
    with transaction():
        if call in cset.calls:
            cset.calls.remove(call)
        record("calendar.coordination.remove", cset, summary=f"{cset.name}: -{call.id}", actor=actor)


def new_feed_token(user) -> str:
    """A new secret for the user's personal feed, returned this once; every earlier link stops working."""
    token = new_secret()
    with transaction():
        renew = has_feed_token(user)
        db.session.execute(delete(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id))
        db.session.add(CalendarFeedToken(user_id=user.id, token_hash=hash_secret(token)))
        record("calendar.feed.token", None, object_type="calendar_feed_tokens", object_id=user.id,
               summary="personal feed link renewed" if renew else "new personal feed link", actor=user)
    return token


def user_for_feed_token(token: str):
    """The active user whose feed the secret opens, or None (unknown, replaced or deactivated)."""
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token_hash == hash_secret(token or "")))
    if row is None or not row.user.active:
        return None
    return row.user


def has_feed_token(user) -> bool:
    return db.session.scalar(select(CalendarFeedToken.id).where(CalendarFeedToken.user_id == user.id)
                             .limit(1)) is not None


def revoke_feed_token(user) -> None:
    """The user's personal feed link stops working (the account's access has ended); the caller commits."""
    db.session.execute(delete(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id))


EVENT_KINDS = tuple(k.value for k in EventKind)
