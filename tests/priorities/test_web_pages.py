"""Priority matching pages: the Done-when on the shipped data, matrix, graph, lists, exports."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

HALLBAR = "vinnova-hallbar-industri"


@pytest.fixture
def reader(make_user, login):
    return login(make_user("reader"))


def _ranked_regions(html: str) -> list[str]:
    return re.findall(r'<li id="region-([a-z-]+)" class="card">', html)


def test_hallbar_industri_puts_manufacturing_regions_on_top_with_reasons(client, reader):
    response = client.get(f"/priorities/areas/{HALLBAR}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    ranked = _ranked_regions(html)
    assert len(ranked) >= 5
    # Regions known for manufacturing and materials (the Vinnova 2023 pilots, the regions' S3).
    industrial = {"vastmanland", "jonkoping", "ostergotland", "vastra-gotaland", "orebro", "dalarna",
                  "norrbotten", "gavleborg", "kronoberg", "sodermanland", "varmland"}
    assert len(set(ranked[:5]) & industrial) >= 3, ranked[:8]
    # Every region carries its reason: shared codes or terms.
    first = html.split(f'id="region-{ranked[0]}"', 1)[1].split("</li>", 1)[0]
    assert "Delar " in first and "gemensamma ord: " in first


def test_matrix_shows_numbers_sorts_by_region_and_exports(client, reader):
    html = client.get("/priorities/matrix").get_data(as_text=True)
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert re.search(r'class="heat-[1-5]"><a [^>]*>\d,\d\d</a>', html)
    sorted_html = client.get("/priorities/matrix?sort=vastmanland").get_data(as_text=True)
    assert '<span aria-current="true" title="Region Västmanland">Västmanland ↓</span>' in sorted_html
    # Västmanland's column (the same position in every row) is highest in the first row.
    rows = sorted_html.split("<tbody>", 1)[1].split("</tr>")[:3]
    column = [r.count("<td") for r in rows]
    assert len(set(column)) == 1
    assert client.get("/priorities/matrix?sort=nowhere").status_code == 400

    csv_response = client.get("/priorities/matrix?format=csv")
    assert csv_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    text = csv_response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Område;Organisation;")
    assert "Hållbar industri" in text

    xlsx = client.get("/priorities/matrix?format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet.cell(1, 1).value == "Område"
    assert sheet.max_row > 20
    assert client.get("/priorities/matrix?format=pdf").status_code == 400


def test_graph_page_and_svg(client, reader):
    html = client.get("/priorities/graph").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    svg = client.get("/priorities/graph.svg?min=0.3")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert client.get("/priorities/graph?min=two").status_code == 400


def test_region_page_lists_areas_with_agencies_and_exports(client, reader):
    response = client.get("/priorities/regions/vastmanland")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Vinnova" in html and "Organisationerna bakom områdena" in html
    assert client.get("/priorities/regions/19").status_code == 200  # county code
    xlsx = client.get("/priorities/regions/vastmanland?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet.cell(1, 2).value == "Område" and sheet.max_row > 2
    missing = client.get("/priorities/regions/vastmanlnd")
    assert missing.status_code == 404 and "vastmanland" in missing.get_data(as_text=True)


def test_area_list_exports_csv_with_explanations(client, reader):
    text = client.get(f"/priorities/areas/{HALLBAR}?format=csv").get_data().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Rang;Region;Länskod;Prioritering;Poäng;Beslut;Förklaring")
    assert "Delar " in lines[1] and len(lines) > 5
    missing = client.get("/priorities/areas/vinnova-hallbar-industr")
    assert missing.status_code == 404 and HALLBAR in missing.get_data(as_text=True)


def test_collaboration_suggestions_and_export(client, reader):
    html = client.get("/priorities/collaboration").get_data(as_text=True)
    assert "Grupper av regioner" in html and "<caption>" in html
    assert re.search(r"<th scope=\"row\">[^<]+ – [^<]+</th>", html)
    text = client.get("/priorities/collaboration?format=csv").get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Region;Region;Styrka")


def test_theme_view_by_policy_objective_and_nace(client, reader):
    html = client.get("/priorities/themes?theme=advanced_manufacturing").get_data(as_text=True)
    assert "regioner har prioriterat temat" in html
    assert "Västmanland" in html or "Jönköping" in html
    nace = client.get("/priorities/themes?theme=C").get_data(as_text=True)
    assert "regioner har prioriterat temat" in nace
    assert client.get("/priorities/themes?theme=C&format=xlsx").status_code == 200
    bad = client.get("/priorities/themes?theme=advanced_manufacturin")
    assert bad.status_code == 400 and "advanced_manufacturing" in bad.get_data(as_text=True)
    assert client.get("/priorities/themes").status_code == 200


def test_index_links_the_views(client, reader):
    html = client.get("/priorities/").get_data(as_text=True)
    for endpoint in ("/priorities/matrix", "/priorities/graph", "/priorities/collaboration", "/priorities/themes",
                     f"/priorities/areas/{HALLBAR}", "/priorities/regions/vastmanland"):
        assert endpoint in html


def test_pages_need_login(client):
    assert client.get("/priorities/matrix").status_code == 302


def test_area_page_in_english_explains_in_english(client, reader):
    html = client.get(f"/priorities/areas/{HALLBAR}?lang=en").get_data(as_text=True)
    assert "Shares " in html and "common terms: " in html and "Technical details" in html


def test_weights_come_from_app_config(app, db_session):
    from synergy_app.priorities import public

    with app.test_request_context():
        default = public.regions_for_area(HALLBAR, top=1)[0]["score"]
        app.config["MATCH_WEIGHTS"] = {"text": 0.0}
        try:
            codes_only = public.regions_for_area(HALLBAR, top=1)[0]["score"]
        finally:
            app.config.pop("MATCH_WEIGHTS")
    assert codes_only != default
