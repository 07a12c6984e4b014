"""The columns of the CSV/XLSX call template, shared by import, export and the template file.

See IMPORT_TEMPLATE.md for the rules a user reads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header_sv: str
    header_en: str
    required: bool  # the column must be present in the file (a cell may still be empty)
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("funder", "finansiär", "funder", True, "vinnova"),
    Column("reference", "referens", "reference", True, "2027-00123"),
    Column("uid", "uid", "uid", False, ""),
    Column("title", "titel", "title", True, "Hållbar industri – genomförandeprojekt"),
    Column("programme", "program", "programme", False, "Hållbar industri"),
    Column("url", "länk", "url", False, "https://www.vinnova.se/e/exempel/"),
    Column("opens_on", "öppnar", "opens", True, "2027-02-01"),
    Column("deadlines", "sista ansökningsdag", "deadlines", True, "Steg 1=2027-04-15 14:00; Steg 2=2027-09-15 14:00"),
    Column("decision_on", "beslut", "decision", False, "2027-11-30"),
    Column("earliest_start", "tidigaste projektstart", "earliest start", False, "2027-12-01"),
    Column("latest_start", "senaste projektstart", "latest start", False, "2028-03-01"),
    Column("budget_sek", "budget (kr)", "budget (SEK)", False, "40 000 000"),
    Column("max_grant_sek", "högsta bidrag (kr)", "maximum grant (SEK)", False, "5 000 000"),
    Column("funding_rate", "stödnivå (%)", "funding rate (%)", False, "50"),
    Column("eligible_applicants", "vem kan söka", "eligible applicants", False, "företag; universitet och högskolor"),
    Column("themes", "teman", "themes", False, "hallbar-industri; cirkular-ekonomi"),
    Column("regions", "regioner", "regions", False, "vastra-gotaland; skane"),
    Column("series", "serie", "series", False, "hallbar-industri-genomforande"),
)

COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def normalise_header(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").split())


# Any of key, Swedish header or English header identifies a column, case-insensitively.
HEADER_LOOKUP: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.key, _c.header_sv, _c.header_en):
        HEADER_LOOKUP[normalise_header(_name)] = _c.key


def headers(lang: str = "sv") -> list[str]:
    return [c.header_sv if lang == "sv" else c.header_en for c in COLUMNS]
