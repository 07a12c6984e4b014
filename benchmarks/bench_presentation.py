"""Rendering a region's snabbdialog presentation: PDF (target < 2 s median) and PPTX."""

from __future__ import annotations

from datetime import UTC, datetime

from benchmarks.common import Figure, median_ms
from synergy_app.dialogues.presentation import get_template, load_templates
from synergy_app.dialogues.rendering import (
    DEFAULT_TEMPLATE_DIR,
    render_presentation_pdf,
    render_presentation_pptx,
)

# A full deck near the template's word limits, so the figure is for a realistic worst case.
CONTENT = {
    "region_s3": " ".join(["Regionens S3-strategi bygger på styrkor i industrin."] * 12),
    "focus_areas": [" ".join(["Fokusområde med aktörer, mål och resultat hittills."] * 10)] * 3,
    "international": ["Vanguard Initiative", "S3-partnerskap", "Interreg Östersjöprogrammet"],
    "continue_dialogue": ["Fullskalig systemdemonstrator", "Svenskt deltagande i EU-partnerskap"],
    "contacts": [{"name": f"Kontakt {i}", "role": "Strateg", "email": f"k{i}@example.se"} for i in range(4)],
}
CONTEXT = {
    "region": {"name": "Region Östergötland"},
    "round": {"theme": "Hållbar industri", "lead_agency": "Vinnova",
              "starts_at": datetime(2026, 3, 30, 7, 0, tzinfo=UTC)},
    "presenters": ["Åsa Öberg"],
}


def run() -> list[Figure]:
    template = get_template(load_templates(DEFAULT_TEMPLATE_DIR), "snabbdialog-region")
    pdf_ms = median_ms(lambda: render_presentation_pdf(template, CONTENT, CONTEXT), repeat=5)
    pptx_ms = median_ms(lambda: render_presentation_pptx(template, CONTENT, CONTEXT), repeat=5)
    return [
        Figure("snabbdialog presentation PDF, 6 slides (median)", pdf_ms / 1000, "s", 2.0),
        Figure("snabbdialog presentation PPTX, 6 slides (median)", pptx_ms / 1000, "s"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(figure.line())
