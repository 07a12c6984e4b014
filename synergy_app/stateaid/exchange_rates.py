"""Dated EUR/SEK reference rates from ``exchange_rates.yaml`` (a rule in EUR needs one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

RATES_PATH = Path(__file__).with_name("exchange_rates.yaml")
_ENTRY_KEYS = {"valid_from", "valid_to", "eur_sek", "source", "url", "verified"}


class ExchangeRateFileError(ValueError):
    """The rates file is malformed; names the entry and the problem."""


@dataclass(frozen=True)
class ExchangeRate:
    eur_sek: Decimal
    valid_from: date
    valid_to: date
    source: str
    url: str = ""


@dataclass(frozen=True)
class ExchangeRateTable:
    rates: tuple[ExchangeRate, ...] = ()

    def rate_on(self, on: date) -> ExchangeRate | None:
        for rate in self.rates:
            if rate.valid_from <= on <= rate.valid_to:
                return rate
        return None


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ExchangeRateFileError(f"{where}: not a date: {value!r}") from exc


def table_from_entries(entries: Iterable[dict]) -> ExchangeRateTable:
    rates = []
    for i, entry in enumerate(entries):
        where = f"rates[{i}]"
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise ExchangeRateFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        if entry.get("verified") is not True:
            raise ExchangeRateFileError(f"{where}: only rates read at their source (verified: true) may be listed")
        try:
            eur_sek = Decimal(str(entry["eur_sek"]))
        except (KeyError, InvalidOperation) as exc:
            raise ExchangeRateFileError(f"{where}.eur_sek: missing or not a number") from exc
        rates.append(ExchangeRate(eur_sek, _as_date(entry.get("valid_from"), f"{where}.valid_from"),
                                  _as_date(entry.get("valid_to"), f"{where}.valid_to"),
                                  str(entry.get("source", "")), str(entry.get("url", ""))))
    rates.sort(key=lambda r: r.valid_from)
    for earlier, later in zip(rates, rates[1:], strict=False):
        if later.valid_from <= earlier.valid_to:
            raise ExchangeRateFileError(f"rates from {later.valid_from} overlap those from {earlier.valid_from}")
    return ExchangeRateTable(tuple(rates))


def load_exchange_rates(path: Path | str | None = None) -> ExchangeRateTable:
    data = yaml.safe_load(Path(path or RATES_PATH).read_text(encoding="utf-8")) or {}
    return table_from_entries(data.get("rates") or [])
