"""When the rulesets end: the words a check says for a grant date after a ruleset ended, and the
warning shown while a ruleset in use is about to run out.

Pure: a ruleset library and dates in, text out. ``today`` is always passed in, so the web layer
decides what today is (and tests can set it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .rulesets import Ruleset, RulesetLibrary

WARN_DAYS = 60

_FAMILY = {"gber": ("gruppundantag", "block exemption"),
           "de_minimis": ("de minimis-förordning", "de minimis regulation")}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Dec + 6 months = 30 Jun)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _quote_en(ruleset: Ruleset, key: str) -> str:
    ref = ruleset.legal_references.get(key)
    if not (ref and ref.quote):
        return ""
    return f" ({ref.cite()}: “{ref.quote.text}”)"


def ended_detail(library: RulesetLibrary, family: str, on: date) -> tuple[str, str]:
    """Why no ruleset applies on ``on`` when the last one has ended: in Swedish and English.

    Empty strings when no ruleset of the family ended before ``on`` (a date before the first one).
    """
    ended = library.last_ended_before(family, on)
    if ended is None:
        return "", ""
    kind_sv, kind_en = _FAMILY[family]
    end = ended.valid_to
    sv = (f" Inget {kind_sv} är inläst för {on.isoformat()}: {ended.title.split(' / ')[0]} gällde till och med "
          f"{end.isoformat()}, och ingen rättsakt som förlänger eller ersätter den har lästs in.")
    en = (f" No {kind_en} is loaded for {on.isoformat()}: {ended.title.split(' / ')[-1]} applied until "
          f"{end.isoformat()}{_quote_en(ended, 'period_of_application')}, and no act prolonging or replacing "
          f"it has been loaded.")
    try:
        months = int(ended.param("validity.adjustment_period_months").value)
    except KeyError:
        months = 0
    if months:
        adjustment_end = add_months(end, months)
        quote = _quote_en(ended, "adjustment_period")
        if on <= adjustment_end:
            sv += (f" Stödordningar som var undantagna enligt den förblir undantagna under en anpassningsperiod "
                   f"på {months} månader, till och med {adjustment_end.isoformat()}; stöd enligt en sådan "
                   f"ordning ska prövas mot ordningen.")
            en += (f" Aid schemes exempted under it remain exempted during an adjustment period of {months} months, "
                   f"until {adjustment_end.isoformat()}{quote}; aid under such a scheme is to be checked against "
                   f"the scheme.")
        else:
            sv += f" Anpassningsperioden på {months} månader för stödordningar slutade {adjustment_end.isoformat()}."
            en += (f" The {months}-month adjustment period for aid schemes ended on "
                   f"{adjustment_end.isoformat()}{quote}.")
    return sv, en


@dataclass(frozen=True)
class ExpiryWarning:
    ruleset_id: str
    title: str
    valid_to: date
    days_left: int

    def text_sv(self) -> str:
        return (f"{self.title.split(' / ')[0]} gäller till och med {self.valid_to.isoformat()} "
                f"({self.days_left} dagar kvar). Inget regelverk som tar vid efter den dagen är inläst; "
                f"kontroller med senare beviljandedag kan inte prövas.")

    def text_en(self) -> str:
        return (f"{self.title.split(' / ')[-1]} applies until {self.valid_to.isoformat()} "
                f"({self.days_left} days left). No ruleset that takes over after that day is loaded; "
                f"checks with a later grant date cannot be made.")


def expiry_warnings(library: RulesetLibrary, today: date, within_days: int = WARN_DAYS) -> list[ExpiryWarning]:
    """A warning for each ruleset in force ``today`` that ends within ``within_days`` days and has no
    successor of its family starting the day after."""
    warnings = []
    for ruleset in library.expiring(today, within_days):
        successor = library.ruleset_for(ruleset.family, date.fromordinal(ruleset.valid_to.toordinal() + 1))
        if successor is None:
            warnings.append(ExpiryWarning(ruleset.id, ruleset.title, ruleset.valid_to,
                                          (ruleset.valid_to - today).days))
    return warnings
