"""Reading actual costs from an SIE 4 file (the Swedish accounting export) by account ranges.

Pure: bytes and the user's account ranges in; the cost per cost type out, or ``SieError`` naming the
first bad line by its number. Only transactions (#TRANS inside #VER) are read; their amounts are
debits (positive) or credits (negative) in kronor with up to two decimals, summed as integer öre.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .profiles import COST_TYPES

_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\{[^}]*\})|(\S+)')
MAX_LINES = 500_000


class SieError(ValueError):
    def __init__(self, line: int, message_sv: str, message_en: str):
        self.line = line
        self.message_sv = f"Rad {line}: {message_sv}" if line else message_sv
        self.message_en = f"Line {line}: {message_en}" if line else message_en
        super().__init__(self.message_en)


@dataclass(frozen=True)
class AccountRange:
    first: int
    last: int
    cost_type: str

    def __contains__(self, account: int) -> bool:
        return self.first <= account <= self.last


def parse_ranges(spec: Mapping[str, str]) -> list[AccountRange]:
    """``{"personnel": "7000-7699", "equipment": "1200-1299, 5400"}`` as ranges; raises ValueError naming the type."""
    ranges = []
    for cost_type, text in spec.items():
        if cost_type not in COST_TYPES:
            raise ValueError(f"{cost_type}: not a cost type ({', '.join(COST_TYPES)})")
        for part in (p.strip() for p in str(text or "").split(",")):
            if not part:
                continue
            match = re.fullmatch(r"(\d{1,6})\s*(?:-\s*(\d{1,6}))?", part)
            if not match or int(match.group(2) or match.group(1)) < int(match.group(1)):
                raise ValueError(f"{cost_type}: {part[:20]!r} is not an account or a range like 7000-7699")
            ranges.append(AccountRange(int(match.group(1)), int(match.group(2) or match.group(1)), cost_type))
    return ranges


@dataclass
class SieActuals:
    """Cost per cost type (öre) from the transactions within the period, and what was left out."""

    by_type: dict[str, int] = field(default_factory=dict)
    by_account: dict[int, int] = field(default_factory=dict)
    transactions: int = 0
    outside_period: int = 0
    unmapped_accounts: set[int] = field(default_factory=set)


def _tokens(line: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else (m.group(2) or m.group(3)) for m in _TOKEN.finditer(line)]


def _date(text: str, number: int) -> date:
    if re.fullmatch(r"\d{8}", text):
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            pass
    raise SieError(number, f"datumet {text[:12]!r} är inte ÅÅÅÅMMDD", f"the date {text[:12]!r} is not YYYYMMDD")


def decode(content: bytes) -> str:
    # SIE files are written in the PC8 (IBM 437) character set; UTF-8 files are read as such.
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp437")


def read_sie(content: bytes, ranges: list[AccountRange], start: date, end: date) -> SieActuals:
    """Sum the transactions dated ``start``..``end`` per cost type by ``ranges``; all lines must be valid."""
    lines = decode(content).splitlines()
    if len(lines) > MAX_LINES:
        raise SieError(0, f"filen har fler än {MAX_LINES} rader", f"the file has more than {MAX_LINES} lines")
    if not any(line.strip().upper().startswith("#SIETYP") for line in lines[:50]):
        raise SieError(0, "filen saknar #SIETYP; är det en SIE-fil?", "the file has no #SIETYP; is it an SIE file?")
    reader = _Reader(SieActuals(), ranges, start, end)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line:
            reader.line(number, _tokens(line))
    if reader.in_voucher:
        raise SieError(len(lines), "en verifikation avslutas inte med }", "a voucher is not closed with }")
    return reader.result


class _Reader:
    """The state of one pass over an SIE file: inside a voucher or not, and the voucher's date."""

    def __init__(self, result: SieActuals, ranges: list[AccountRange], start: date, end: date) -> None:
        self.result, self.ranges, self.start, self.end = result, ranges, start, end
        self.in_voucher = False
        self.voucher_date: date | None = None

    def line(self, number: int, tokens: list[str]) -> None:
        label = tokens[0].upper()
        if label == "#VER":
            if len(tokens) < 4:
                raise SieError(number, "#VER saknar serie, nummer eller datum", "#VER lacks series, number or date")
            self.voucher_date = _date(tokens[3], number)
        elif label == "{":
            if self.voucher_date is None:
                raise SieError(number, "{ utan #VER före", "{ without a #VER before it")
            self.in_voucher = True
        elif label == "}":
            self.in_voucher, self.voucher_date = False, None
        elif label == "#TRANS":
            self.transaction(number, tokens)
        elif not label.startswith("#"):
            raise SieError(number, "raden börjar inte med en #-etikett", "the line does not start with a # label")

    def transaction(self, number: int, tokens: list[str]) -> None:
        if not self.in_voucher:
            raise SieError(number, "#TRANS utanför en verifikation", "#TRANS outside a voucher")
        if len(tokens) < 4 or not tokens[1].isdigit():
            raise SieError(number, "#TRANS ska ha konto, objektlista och belopp",
                           "#TRANS must have an account, an object list and an amount")
        amount = _amount(tokens[3], number)
        on = _date(tokens[4], number) if len(tokens) > 4 and tokens[4] else self.voucher_date
        account, result = int(tokens[1]), self.result
        result.transactions += 1
        if not self.start <= on <= self.end:
            result.outside_period += 1
            return
        ore = int(amount * 100)
        cost_type = next((r.cost_type for r in self.ranges if account in r), None)
        if cost_type is None:
            result.unmapped_accounts.add(account)
            return
        result.by_type[cost_type] = result.by_type.get(cost_type, 0) + ore
        result.by_account[account] = result.by_account.get(account, 0) + ore


def _amount(text: str, number: int) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) \
            or abs(amount) > Decimal("1e13"):
        raise SieError(number, f"beloppet {text[:20]!r} är inte kronor med högst två decimaler",
                       f"the amount {text[:20]!r} is not kronor with at most two decimals")
    return amount
