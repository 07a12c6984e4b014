"""Display helpers (Jinja filters): times in Europe/Stockholm; money and shares are in synergy_app.money."""

from __future__ import annotations

from datetime import date, datetime

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


def legal_citation(text: str | None, locale: str) -> str:
    """A citation of an EU act as the reader's language writes it."""
    if not text or str(locale).split("_")[0] != "sv":
        return text or ""
    for english, swedish in _SWEDISH_CITATION:
        text = text.replace(english, swedish)
    return text
