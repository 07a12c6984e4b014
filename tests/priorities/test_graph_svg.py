"""The graph picture with the shipped data: legend, planners' decisions drawn on top, full labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from synergy_app.auth.demo import seed_demo as seed_users
from synergy_app.priorities.demo import seed_demo

NS = "{http://www.w3.org/2000/svg}"


def test_graph_has_a_legend_and_draws_decided_links_last(db_session, client, make_user, login):
    seed_users()
    seed_demo()
    login(make_user("reader"))
    svg = client.get("/priorities/graph.svg?min=0.3").get_data(as_text=True)
    root = ET.fromstring(svg)  # noqa: S314 -- our own output
    legend = "".join(root.find(f"{NS}g[@class='legend']").itertext())
    assert "bekräftad eller tillagd av handläggare" in legend and "0,30" in legend
    groups = [g.get("class") for g in root.findall(f"{NS}g")]
    assert groups.index("edges decided") == groups.index("edges") + 1
    decided = root.findall(f"{NS}g[@class='edges decided']/{NS}path")
    assert len(decided) == 3  # Stockholm, Värmland, Östergötland on Hållbar industri; Skåne's was rejected
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Forskning och innovation för omställning av energisystemet" in texts


def test_matrix_keeps_the_area_and_its_organisation_in_the_row_header(client, make_user, login):
    login(make_user("reader"))
    html = client.get("/priorities/matrix").get_data(as_text=True)
    # Sorted by organisation, the rows come in one group per organisation, named once above them.
    group = r'<th scope="rowgroup">Vinnova <span class="count">\(\d+ områden\)</span></th><td colspan="\d+"></td>'
    assert re.search(group, html)
    assert 'class="table-scroll" tabindex="0" role="region"' in html
    by_name = client.get("/priorities/matrix?sort=title").get_data(as_text=True)
    assert '<span class="org-inline">Vinnova</span></th>' in by_name and 'scope="rowgroup"' not in by_name
