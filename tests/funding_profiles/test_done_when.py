"""The issue's acceptance, through the web pages: the demo's system demonstrator is described once, its
matrix shows what each of its funders needs, a planner downloads the Vinnova and ERUF drafts and the budget
in each structure, and one period's actual costs, entered once, produce both funders' reports; every
total reconciles to the öre."""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

from docx import Document
from openpyxl import load_workbook

from synergy_app.funding_profiles.demo import DEMO_TEXTS, DEMO_TYPES
from synergy_app.funding_profiles.profiles import default_profiles
from synergy_app.projects import checking
from synergy_app.projects.demo import DEMO_TITLE, seed_demo
from synergy_app.projects.models import Project

FUNDERS = ("vinnova", "eruf-tillvaxtverket")
# One period's actual costs, entered once: (partner, cost type, kronor as typed, öre).
ACTUALS = [("norrstal", "personnel", "1 234 567,89", 123_456_789),
           ("norrstal", "equipment", "250000", 25_000_000),
           ("varmauto", "consultancy", "80 000,01", 8_000_001),
           ("ltu", "personnel", "400 000", 40_000_000)]
PERIOD = ("2026-04-01", "2026-09-30")  # ERUF's first six months; inside Vinnova's first year


def _as_ore(cell) -> int:
    """A report cell (kronor, two decimals) as öre, exactly."""
    return int((Decimal(str(cell)) * 100).to_integral_value())


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _rows(content: bytes, sheet: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content))[sheet].iter_rows(min_row=2, values_only=True))


def test_described_once_matrix_drafts_budgets_and_both_reports(client, planner, db_session):
    seed_demo()
    project_id = db_session.query(Project.id).filter(Project.title == DEMO_TITLE).scalar()
    base = f"/projects/{project_id}"

    # Described once, in the browser.
    form = {f"section-{key}": text for key, text in DEMO_TEXTS.items()}
    assert client.post(f"{base}/description", data={**form, "language": "sv", "status": "draft"}).status_code == 302
    project = checking.load_project(project_id)
    types: dict[str, str] = {}
    for line in project.cost_lines:
        cost_type, hours, rate, annual = DEMO_TYPES[(line.partner.key, line.category)]
        types[f"line-{line.id}-type"] = cost_type
        for key, value in (("hours", hours), ("rate", rate), ("annual", annual)):
            if value is not None:
                types[f"line-{line.id}-{key}"] = value
    assert client.post(f"{base}/cost-types", data=types).status_code == 302
    canonical_total = sum(line.amount_ore for line in project.cost_lines)

    # The matrix on the project page shows what each funder needs.
    page = client.get(base).get_data(as_text=True)
    matrix = page[page.index('id="requirement-matrix"'):page.index("</table>", page.index('id="requirement-matrix"'))]
    for slug in (*FUNDERS, "region-1-1"):
        assert default_profiles().get(slug).title["sv"] in matrix
    statuses = re.findall(r'data-label="([^"]+)" data-status="([a-z_]+)"', unescape(matrix))
    eruf_title = default_profiles().get("eruf-tillvaxtverket").title["sv"]
    eruf_statuses = {status for label, status in statuses if label == eruf_title}
    assert {"covered", "missing", "own_question", "mapped", "flat_rate"} <= eruf_statuses

    # The drafts and the budget in each funder's structure, downloaded from the page's links.
    for slug in FUNDERS:
        profile = default_profiles().get(slug)
        docx_link = f"{base}/applications/{slug}.docx"
        assert docx_link in page
        document = Document(io.BytesIO(client.get(docx_link).data))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == [s.name["sv"] for s in profile.sections]
        assert DEMO_TEXTS["aim"] in "\n".join(p.text for p in document.paragraphs)
        budget = client.get(f"{base}/applications/{slug}.xlsx")
        reconciliation = _rows(budget.data, "Avstämning")
        assert reconciliation[0][1] == canonical_total
        assert reconciliation[0][1] + reconciliation[1][1] == reconciliation[2][1]
        assert reconciliation[3][1] == "ja"

    # One period's actual costs, entered once on the actuals page.
    for partner, cost_type, typed, _ore in ACTUALS:
        response = client.post(f"{base}/actuals", data={"action": "entry", "partner": partner, "cost_type": cost_type,
                                                       "period_start": PERIOD[0], "period_end": PERIOD[1],
                                                       "amount": typed})
        assert response.status_code == 302
    entered = sum(ore for *_rest, ore in ACTUALS)
    actuals_page = client.get(f"{base}/actuals").get_data(as_text=True)
    staff = {"norrstal": 123_456_789, "ltu": 40_000_000}
    expected = {  # by hand: each funder's flat rate on each partner's direct staff costs, rounded half up once
        "vinnova": entered + sum(_half_up(Decimal(ore) * Decimal("0.30")) for ore in staff.values()),
        "eruf-tillvaxtverket": entered + sum(_half_up(Decimal(ore) * Decimal("0.15")) for ore in staff.values()),
    }
    assert expected == {"vinnova": 196_456_790 + 37_037_037 + 12_000_000,
                        "eruf-tillvaxtverket": 196_456_790 + 18_518_518 + 6_000_000}
    for slug in FUNDERS:
        link = re.search(rf'href="({re.escape(base)}/reports/{slug}\.xlsx\?period=2026-04-01\.\.[0-9-]+)"',
                         actuals_page).group(1)
        report = client.get(unescape(link))
        assert report.status_code == 200
        rows = _rows(report.data, "Rapport")
        body, total = rows[:-1], rows[-1]
        assert _as_ore(total[3]) == sum(_as_ore(r[3]) for r in body) == expected[slug]
        steps = [r for r in _rows(report.data, "Omräkningar") if isinstance(r[2], int | float)]
        # actuals + conversions = report, to the öre
        assert entered + sum(_as_ore(r[3]) - _as_ore(r[2]) for r in steps) == _as_ore(total[3])
        assert _as_ore(total[2]) == reconciliation_total(client, base, slug)  # the budget column is the funder's budget
        assert _as_ore(total[4]) == _as_ore(total[2]) - _as_ore(total[3])


def reconciliation_total(client, base: str, slug: str) -> int:
    return _rows(client.get(f"{base}/applications/{slug}.xlsx").data, "Avstämning")[2][1]
