"""One description for every funder: the requirement matrix of a 20-partner project across five funders,
and one application export (DOCX + XLSX)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from benchmarks.common import Figure, median_ms
from synergy_app.funding_profiles.actuals_check import PlannedLine, actual_document, new_flags
from synergy_app.funding_profiles.conversion import BudgetLine, convert
from synergy_app.funding_profiles.exports import docx_bytes, xlsx_bytes
from synergy_app.funding_profiles.matrix import build_matrix
from synergy_app.funding_profiles.profiles import CANONICAL_SECTIONS, COST_TYPES, load_profiles


def run() -> list[Figure]:
    profiles = load_profiles().profiles
    lines = [BudgetLine(f"Part {i}", "industrial_research", cost_type, 1_000_000 + 17 * i, Decimal(1000),
                        Decimal(100_000), 172_000_00 + i) for i in range(20) for cost_type in COST_TYPES]
    texts = {key: "Text om projektet. " * 200 for key in CANONICAL_SECTIONS}
    matrix = median_ms(lambda: build_matrix(texts, lines, profiles), repeat=15)
    vinnova = next(p for p in profiles if p.funder == "vinnova")
    export = median_ms(lambda: (docx_bytes("Projekt", vinnova, texts, "sv"), xlsx_bytes(lines, vinnova, "sv")),
                       repeat=5) / 1000
    actuals = median_ms(lambda: [convert(lines, p) for p in profiles], repeat=15)
    check = _actuals_check_ms()
    return [
        Figure("applications: requirement matrix, 20 partners x 5 funders (median)", matrix, "ms", 50),
        Figure("applications: export DOCX + XLSX (median)", export, "s", 1),
        Figure("applications: one period's actuals in five funders' structures (median)", actuals, "ms"),
        Figure("applications: state-aid check of plan and actuals, 20 partners (median)", check, "ms"),
    ]


def _actuals_check_ms() -> float:
    from synergy_app.stateaid.check import check_with_shipped_data  # noqa: PLC0415
    from synergy_app.stateaid.project_document import document_from_mapping  # noqa: PLC0415

    ids = [f"p{i}" for i in range(20)]
    doc = document_from_mapping({
        "title": "Bench", "grant_date": "2026-03-01", "work_start": "2026-01-01", "end_date": "2027-12-31",
        "partners": [{"id": i, "name": i, "kind": "undertaking", "size": "medium"} for i in ids],
        "costs": [{"partner": i, "category": "experimental_development", "amount_sek": 1000000} for i in ids],
        "funding": [f for i in ids for f in (
            {"source": "vinnova", "kind": "state", "partner": i, "category": "experimental_development",
             "amount_sek": 350000}, {"source": i, "kind": "private", "partner": i, "amount_sek": 650000})]})
    planned = [PlannedLine(i, "experimental_development", False, "personnel", 100_000_000) for i in ids]
    actual = {(i, "personnel"): 40_000_000 + n for n, i in enumerate(ids)}

    def once():
        plan = check_with_shipped_data(doc)
        return new_flags(plan, check_with_shipped_data(actual_document(doc, planned, actual, Fraction(1, 2))))

    return median_ms(once, repeat=5)


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
