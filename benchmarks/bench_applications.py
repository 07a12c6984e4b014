"""One description for every funder: the requirement matrix of a 20-partner project across five funders,
and one application export (DOCX + XLSX)."""

from __future__ import annotations

from decimal import Decimal

from benchmarks.common import Figure, median_ms
from synergy_app.funding_profiles.conversion import BudgetLine
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
    return [
        Figure("applications: requirement matrix, 20 partners x 5 funders (median)", matrix, "ms", 50),
        Figure("applications: export DOCX + XLSX (median)", export, "s", 1),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
