"""Alignment checks for calls meant to co-fund one project, and the coordination view by theme.

Calls that are not coordinated in time and short application periods are two of the obstacles to
co-financing named in Vinnova's 2023 report (seeds/002, 2.1.7). Each flag names the dates that clash
and the smallest date shift that resolves it, so a planner can act on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import combinations

import holidays

from .call_data import CallData


class FlagCode(StrEnum):
    DECISION_AFTER_LATEST_START = "decision_after_latest_start"
    WINDOWS_DO_NOT_OVERLAP = "windows_do_not_overlap"
    NO_COMMON_START = "no_common_start"
    SHORT_APPLICATION_PERIOD = "short_application_period"
    DEADLINE_ON_HOLIDAY = "deadline_on_holiday"
    DEADLINE_IN_JULY = "deadline_in_july"
    DEADLINE_ON_WEEKEND = "deadline_on_weekend"


@dataclass(frozen=True)
class AlignmentSettings:
    # Six weeks is the product's default minimum (issue "Shared call calendar"); planners can change it.
    min_application_days: int = 42
    # Planning assumption, used only when a call states no latest project start: how long after the
    # decision a project may still start. Not a rule of any funder.
    assumed_start_window_days: int = 90
    flag_weekends: bool = True
    # Midsummer, Christmas and New Year's Eve are not public holidays (Lag (1989:253) om allmänna
    # helgdagar, 1 §) nor in the `holidays` data, but most offices are closed on them.
    include_eves: bool = True


@dataclass(frozen=True)
class ClashDate:
    call: str  # call identity
    field: str  # opens_on, deadline, decision_on, earliest_start, latest_start
    on: date


@dataclass(frozen=True)
class Shift:
    """Move `field` of `call` from `from_date` to `to_date` (`days` > 0 later, < 0 earlier)."""

    call: str
    field: str
    from_date: date
    to_date: date

    @property
    def days(self) -> int:
        return (self.to_date - self.from_date).days


@dataclass(frozen=True)
class Flag:
    code: FlagCode
    calls: tuple[str, ...]
    dates: tuple[ClashDate, ...]
    message_sv: str
    message_en: str
    # Options sorted smallest first; `shift` is the smallest.
    options: tuple[Shift, ...] = ()

    @property
    def shift(self) -> Shift | None:
        return self.options[0] if self.options else None


def _options(*shifts: Shift) -> tuple[Shift, ...]:
    # Smallest first; at equal size prefer moving later (it never shortens an application period).
    return tuple(sorted(shifts, key=lambda s: (abs(s.days), s.days < 0)))


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> dict[date, str]:
    days = dict(holidays.country_holidays("SE", years=year, include_sundays=False, language="sv"))
    return days


@lru_cache(maxsize=64)
def _eves(year: int) -> dict[date, str]:
    # Midsommarafton is the Friday between 19 and 25 June.
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return {midsummer_eve: "Midsommarafton", date(year, 12, 24): "Julafton", date(year, 12, 31): "Nyårsafton"}


def non_working_reason(day: date, settings: AlignmentSettings = AlignmentSettings()) -> FlagCode | None:
    """Why a deadline on `day` is a problem, if it is: holiday, July or weekend."""
    if day in _swedish_holidays(day.year) or (settings.include_eves and day in _eves(day.year)):
        return FlagCode.DEADLINE_ON_HOLIDAY
    if day.month == 7:
        return FlagCode.DEADLINE_IN_JULY
    if settings.flag_weekends and day.weekday() >= 5:
        return FlagCode.DEADLINE_ON_WEEKEND
    return None


def holiday_name(day: date) -> str | None:
    return _swedish_holidays(day.year).get(day) or _eves(day.year).get(day)


def nearest_working_day(day: date, settings: AlignmentSettings = AlignmentSettings()) -> tuple[date, date]:
    """The nearest acceptable day before and after `day`."""
    before = day
    while non_working_reason(before, settings) is not None:
        before -= timedelta(days=1)
    after = day
    while non_working_reason(after, settings) is not None:
        after += timedelta(days=1)
    return before, after


def _window(call: CallData) -> tuple[date, date] | None:
    opens, last = call.opens_date, call.last_deadline
    return (opens, last) if opens is not None and last is not None else None


def _start_window(call: CallData, settings: AlignmentSettings) -> tuple[date, date, bool] | None:
    """When a project funded by `call` may start: from decision (or earliest start) to latest start.

    The third value says whether the end is the planning assumption rather than the call's own date.
    """
    begin_candidates = [d for d in (call.decision_on, call.earliest_start) if d is not None]
    if not begin_candidates:
        return None
    begin = max(begin_candidates)
    if call.latest_start is not None:
        return begin, call.latest_start, False
    return begin, begin + timedelta(days=settings.assumed_start_window_days), True


def check_alignment(calls: Sequence[CallData], settings: AlignmentSettings = AlignmentSettings()) -> list[Flag]:
    """All flags for a set of calls meant to co-fund one project (or marked as coordinated)."""
    flags: list[Flag] = []
    for call in calls:
        flags.extend(_single_call_flags(call, settings))
    for a, b in combinations(calls, 2):
        flags.extend(_pair_flags(a, b, settings))
    return flags


def call_flags(call: CallData, settings: AlignmentSettings = AlignmentSettings()) -> list[Flag]:
    """The flags of one call on its own (short application period, deadlines on days off)."""
    return list(_single_call_flags(call, settings))


def pair_flags(a: CallData, b: CallData, settings: AlignmentSettings = AlignmentSettings()) -> list[Flag]:
    """The flags of two calls meant to co-fund one project, as `check_alignment` gives them for the pair."""
    return list(_pair_flags(a, b, settings))


def _single_call_flags(call: CallData, settings: AlignmentSettings) -> Iterable[Flag]:
    cid = call.identity
    opens, first = call.opens_date, call.first_deadline
    if opens is not None and first is not None:
        length = (first - opens).days
        if length < settings.min_application_days:
            missing = settings.min_application_days - length
            yield Flag(
                FlagCode.SHORT_APPLICATION_PERIOD,
                (cid,),
                (ClashDate(cid, "opens_on", opens), ClashDate(cid, "deadline", first)),
                f"Ansökningstiden för {call.title} är {length} dagar, kortare än minimum "
                f"{settings.min_application_days} dagar.",
                f"The application period of {call.title} is {length} days, shorter than the minimum "
                f"{settings.min_application_days} days.",
                _options(
                    Shift(cid, "deadline", first, first + timedelta(days=missing)),
                    Shift(cid, "opens_on", opens, opens - timedelta(days=missing)),
                ),
            )
    for deadline in call.deadlines:
        day = deadline.on
        reason = non_working_reason(day, settings)
        if reason is None:
            continue
        before, after = nearest_working_day(day, settings)
        what_sv = {
            FlagCode.DEADLINE_ON_HOLIDAY: f"en helgdag ({holiday_name(day)})",
            FlagCode.DEADLINE_IN_JULY: "juli, då de flesta har semester",
            FlagCode.DEADLINE_ON_WEEKEND: "en helg",
        }[reason]
        what_en = {
            FlagCode.DEADLINE_ON_HOLIDAY: f"a Swedish public holiday ({holiday_name(day)})",
            FlagCode.DEADLINE_IN_JULY: "July, the main holiday month",
            FlagCode.DEADLINE_ON_WEEKEND: "a weekend",
        }[reason]
        yield Flag(
            reason,
            (cid,),
            (ClashDate(cid, "deadline", day),),
            f"Sista ansökningsdag för {call.title} ({day.isoformat()}) infaller under {what_sv}.",
            f"The deadline of {call.title} ({day.isoformat()}) falls on {what_en}.",
            _options(Shift(cid, "deadline", day, before), Shift(cid, "deadline", day, after)),
        )


def _pair_flags(a: CallData, b: CallData, settings: AlignmentSettings) -> Iterable[Flag]:
    aid, bid = a.identity, b.identity
    decided_late = False
    for x, y in ((a, b), (b, a)):
        if x.decision_on is not None and y.latest_start is not None and x.decision_on > y.latest_start:
            decided_late = True
            gap = x.decision_on - y.latest_start
            yield Flag(
                FlagCode.DECISION_AFTER_LATEST_START,
                (x.identity, y.identity),
                (
                    ClashDate(x.identity, "decision_on", x.decision_on),
                    ClashDate(y.identity, "latest_start", y.latest_start),
                ),
                f"{x.title} beslutar {x.decision_on.isoformat()}, efter senaste projektstart för "
                f"{y.title} ({y.latest_start.isoformat()}).",
                f"{x.title} decides on {x.decision_on.isoformat()}, after the latest project start of "
                f"{y.title} ({y.latest_start.isoformat()}).",
                _options(
                    Shift(x.identity, "decision_on", x.decision_on, y.latest_start),
                    Shift(y.identity, "latest_start", y.latest_start, y.latest_start + gap),
                ),
            )

    wa, wb = _window(a), _window(b)
    if wa and wb:
        (first, fw), (second, sw) = sorted(((a, wa), (b, wb)), key=lambda p: p[1][0])
        if sw[0] > fw[1]:
            gap = sw[0] - fw[1]
            yield Flag(
                FlagCode.WINDOWS_DO_NOT_OVERLAP,
                (aid, bid),
                (ClashDate(first.identity, "deadline", fw[1]), ClashDate(second.identity, "opens_on", sw[0])),
                f"Ansökningsperioderna överlappar inte: {first.title} stänger {fw[1].isoformat()}, "
                f"{second.title} öppnar {sw[0].isoformat()}.",
                f"The application windows do not overlap: {first.title} closes {fw[1].isoformat()}, "
                f"{second.title} opens {sw[0].isoformat()}.",
                _options(
                    Shift(first.identity, "deadline", fw[1], fw[1] + gap),
                    Shift(second.identity, "opens_on", sw[0], sw[0] - gap),
                ),
            )

    if decided_late:
        return  # the sharper flag above already says the project cannot start on both
    sa, sb = _start_window(a, settings), _start_window(b, settings)
    if sa and sb:
        (first, fs), (second, ss) = sorted(((a, sa), (b, sb)), key=lambda p: p[1][0])
        if ss[0] > fs[1]:
            gap = ss[0] - fs[1]
            field_name = "decision_on" if second.decision_on == ss[0] else "earliest_start"
            assumed_sv = " (antagen, utlysningen anger ingen senaste start)" if fs[2] else ""
            assumed_en = " (assumed; the call states no latest start)" if fs[2] else ""
            yield Flag(
                FlagCode.NO_COMMON_START,
                (aid, bid),
                (ClashDate(first.identity, "latest_start", fs[1]), ClashDate(second.identity, field_name, ss[0])),
                f"Besluten ligger för långt isär: ett projekt i {first.title} måste starta senast "
                f"{fs[1].isoformat()}{assumed_sv}, men {second.title} tillåter start först {ss[0].isoformat()}.",
                f"The decisions are too far apart: a project in {first.title} must start by "
                f"{fs[1].isoformat()}{assumed_en}, but {second.title} allows a start only from {ss[0].isoformat()}.",
                _options(
                    Shift(first.identity, "latest_start", fs[1], fs[1] + gap),
                    Shift(second.identity, field_name, ss[0], ss[0] - gap),
                ),
            )


# --- Coordination view (calls by theme over a year) -------------------------------------------


@dataclass(frozen=True)
class ThemeGap:
    theme: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class AlignablePair:
    theme: str
    a: str
    b: str
    flags: tuple[Flag, ...]


@dataclass
class ThemeRow:
    theme: str
    calls: list[CallData] = field(default_factory=list)
    gaps: list[ThemeGap] = field(default_factory=list)
    alignable: list[AlignablePair] = field(default_factory=list)


def coordination_view(
    calls: Iterable[CallData],
    year: int,
    min_gap_days: int = 90,
    max_align_distance_days: int = 120,
    settings: AlignmentSettings = AlignmentSettings(),
) -> list[ThemeRow]:
    """Calls grouped by theme for one year: stretches with no open call, and pairs worth aligning.

    A pair is worth aligning when two different funders' calls on the same theme are within
    `max_align_distance_days` of each other (window to window) yet get alignment flags.
    """
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    by_theme: dict[str, ThemeRow] = {}
    for call in calls:
        w = _window(call)
        if w is None or w[1] < year_start or w[0] > year_end:
            continue
        for theme in call.themes:
            by_theme.setdefault(theme, ThemeRow(theme)).calls.append(call)
    for row in by_theme.values():
        row.calls.sort(key=lambda c: (c.opens_date, c.identity))
        row.gaps = _gaps(row.theme, row.calls, year_start, year_end, min_gap_days)
        for a, b in combinations(row.calls, 2):
            if a.funder_slug == b.funder_slug:
                continue
            wa, wb = _window(a), _window(b)
            distance = max((wb[0] - wa[1]).days, (wa[0] - wb[1]).days, 0)
            if distance > max_align_distance_days:
                continue
            pair_flags = tuple(_pair_flags(a, b, settings))
            if pair_flags:
                row.alignable.append(AlignablePair(row.theme, a.identity, b.identity, pair_flags))
    return sorted(by_theme.values(), key=lambda r: r.theme)


def _gaps(theme: str, calls: list[CallData], start: date, end: date, min_days: int) -> list[ThemeGap]:
    gaps: list[ThemeGap] = []
    cursor = start  # first day not yet covered by an open call
    for call in calls:
        opens, closes = _window(call)
        if opens > cursor:
            gap_end = min(opens - timedelta(days=1), end)
            if (gap_end - cursor).days + 1 >= min_days:
                gaps.append(ThemeGap(theme, cursor, gap_end))
        cursor = max(cursor, closes + timedelta(days=1))
        if cursor > end:
            break
    if cursor <= end and (end - cursor).days + 1 >= min_days:
        gaps.append(ThemeGap(theme, cursor, end))
    return gaps
