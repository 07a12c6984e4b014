"""A funder's reporting periods for one project, from its profile's period length, and the co-financing
rate its reports apply where the rate belongs to the programme (pure)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .profiles import Profile, Sourced

MAX_PERIODS = 60


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reporting_periods(profile: Profile, start: date | None, end: date | None) -> list[tuple[date, date]]:
    """Periods of the profile's length from the project's work start; the last ends on the end date."""
    months = int(profile.reporting["period_months"].decimal)
    if start is None or end is None or end < start or months <= 0:
        return []
    out: list[tuple[date, date]] = []
    first = start
    while first <= end and len(out) < MAX_PERIODS:
        last = min(add_months(first, months) - timedelta(days=1), end)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


def parse_period(text: str) -> tuple[date, date] | None:
    """``YYYY-MM-DD..YYYY-MM-DD`` in order, else None."""
    first, sep, last = (text or "").partition("..")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return None
    return (start, end) if sep and start <= end else None


@dataclass(frozen=True)
class ProgrammeRate:
    """A programme's co-financing rate as the directory's reference data gives it."""

    rate: Decimal
    verified: bool
    name: Mapping[str, str]  # sv / en
    source: Mapping[str, str]


@dataclass(frozen=True)
class CoFinancing:
    """The share of eligible costs the funder pays, with where it is read; ``rate`` None when the decision sets it."""

    rate: Decimal | None
    verified: bool
    basis: Mapping[str, str]  # sv / en: where the rate comes from
    source: Mapping[str, str] | None = None  # title, url, retrieved


def co_financing(profile: Profile, funding_sources: list[str],
                 programme_rates: Mapping[str, ProgrammeRate]) -> CoFinancing:
    """The rate the profile gives, or the programme's rate (by the project's funding line for the funder)."""
    by_programme: Sourced | None = profile.reporting.get("co_financing_by_programme")
    if by_programme is not None:
        for slug in funding_sources:
            if slug in programme_rates:
                programme = programme_rates[slug]
                return CoFinancing(programme.rate, programme.verified and by_programme.verified, {
                    "sv": f"medfinansieringsgraden för {programme.name['sv']}",
                    "en": f"the co-financing rate of {programme.name['en']}"}, programme.source)
        return CoFinancing(None, by_programme.verified, {
            "sv": "programmets medfinansieringsgrad; projektet har ingen finansieringsrad med ett känt program",
            "en": "the programme's co-financing rate; the project has no funding line with a known programme"},
            by_programme.source)
    rate: Sourced | None = profile.reporting.get("co_financing_rate")
    if rate is not None:
        return CoFinancing(rate.decimal, rate.verified, {"sv": "finansiärens profil", "en": "the funder's profile"},
                           rate.source)
    return CoFinancing(None, True, {"sv": "beslutet (ingen fast grad i profilen)",
                                    "en": "the decision (no fixed rate in the profile)"})
