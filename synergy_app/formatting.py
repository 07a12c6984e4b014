"""Display helpers (Jinja filters): times in Europe/Stockholm; money and shares are in synergy_app.money."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from markupsafe import Markup, escape

from .clock import STOCKHOLM, to_local
from .reports.cells import FORMULA_STARTS
from .reports.cells import safe_cell as spreadsheet_safe

__all__ = ["FORMULA_STARTS", "STOCKHOLM", "format_datetime", "spreadsheet_safe", "to_local"]


def format_datetime(value: datetime | date | None, with_time: bool = True) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        local = to_local(value)
        return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")
    return value.isoformat()


# EU acts are cited in each language's own official form: the Swedish Official Journal writes
# "(EU) nr 651/2014" and "i lydelse enligt" where the English writes "No" and "as amended by".
_SWEDISH_CITATION = ((", as amended by ", ", i lydelse enligt "), (" as amended by ", " i lydelse enligt "),
                     ("(EU) No ", "(EU) nr "), ("(EC) No ", "(EG) nr "), ("(EU, Euratom) No ", "(EU, Euratom) nr "),
                     ("Annex I ", "bilaga I "), (" TFEU", " EUF-fördraget"), (" and the programme decision",
                                                                            " och programbeslutet"),
                     ("Framework for State aid for R&D&I", "Rambestämmelser för statligt stöd till forskning, "
                                                           "utveckling och innovation"),
                     (", section ", ", avsnitt "), (" (eligible costs)", " (stödberättigande kostnader)"))


# The citations are a few dozen texts from the rulesets, repeated on every flag and category of a page or report.
@lru_cache(maxsize=1024)
def legal_citation(text: str | None, locale: str) -> str:
    """A citation of an EU act as the reader's language writes it."""
    if not text or str(locale).split("_")[0] != "sv":
        return text or ""
    for english, swedish in _SWEDISH_CITATION:
        text = text.replace(english, swedish)
    return text


# A date written inside a sentence ("beslutar 2027-11-20") may otherwise wrap at its hyphens on a phone.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?")


def unbroken_dates(text: str | None) -> Markup:
    """The text, escaped, with each ISO date (and its time) kept on one line."""
    escaped = escape(text or "")
    wrapped = _ISO_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', str(escaped))
    return Markup(wrapped)  # noqa: S704 - escaped above; a date is digits, hyphens, a colon and a space
