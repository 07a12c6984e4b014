"""The project page leads with the check's verdict (counts with the catalogue's plurals, the one thing to fix
first), each partner's flags sit inside that partner's folded section, the list shows each project's flag
counts, and the budget editor recounts its totals without JavaScript and without saving."""

from __future__ import annotations

import html
import re

import pytest
from flask import render_template_string

from synergy_app.money import format_sek, kronor_text
from synergy_app.projects import checking
from synergy_app.projects.budget_form import parse_budget, running_totals
from synergy_app.stateaid.fixes import suggestion_for

COUNTS = '{% from "projects/_counts.html" import flag_counts %}{{ flag_counts(c) }}'


def _words(text: str) -> str:
    return " ".join(text.split())


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("sv", "1 fel, 1 varning, 1 upplysning", "2 fel, 2 varningar, 2 upplysningar"),
    ("en", "1 error, 1 warning, 1 info", "2 errors, 2 warnings, 2 infos"),
])
def test_counts_use_the_catalogues_plural_forms(app, lang, one, two):
    with app.test_request_context(f"/?lang={lang}"):
        from flask_babel import refresh

        refresh()
        for counts, expected in (({"error": 1, "warning": 1, "info": 1}, one),
                                 ({"error": 2, "warning": 2, "info": 2}, two)):
            rendered = " ".join(re.sub(r"<[^>]+>", " ", render_template_string(COUNTS, c=counts)).split())
            assert rendered.replace(" ,", ",") == expected


def test_project_page_leads_with_the_verdict_and_the_first_thing_to_fix(client, planner, demo_project):
    result = checking.run_check(demo_project).result
    response = client.get(f"/projects/{demo_project.id}")
    page = response.get_data(as_text=True)
    text = _text(response).replace(" ,", ",")
    errors, warnings = result.count("error"), result.count("warning")
    assert warnings == 1 and errors >= 2  # the demo's findings, which the words below depend on
    verdict = text.index("Kontrollens resultat")
    assert verdict < text.index("Flaggor för hela projektet") < text.index("Hela projektet")
    assert f"{errors} fel, 1 varning," in text[verdict:]
    first = next(f for f in result.flags if f.severity == "error")
    fix = text.index("Rätta det här först")
    assert _words(first.message_sv) in text[fix:] and _words(suggestion_for(first).text("sv")) in text[fix:]
    anchor = re.search(r'<a href="#(flag-\d+)">Till flaggan', page).group(1)
    assert page.count(f'id="{anchor}"') == 1
    # The flag it links to is the one shown, and its partner's folded section is open.
    partner = next(p for p in demo_project.partners if p.key == first.partner)
    section = re.search(rf'<details class="card partner" id="p-{partner.id}"( open)?>(.*?)</details>\s*(?=<details '
                        rf'class="card partner"|</section>)', page, re.S)
    assert section.group(1) == " open" and f'id="{anchor}"' in section.group(2)


def test_each_flag_sits_in_the_section_of_the_partner_it_names(client, planner, demo_project):
    result = checking.run_check(demo_project).result
    page = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    sections = {m.group(1): m.group(2) for m in re.finditer(
        r'<details class="card partner" id="p-(\d+)"[^>]*>(.*?)</details>\s*'
        r'(?=<details class="card partner"|</section>)', page, re.S)}
    ids = {p.key: str(p.id) for p in demo_project.partners}
    assert len(sections) == len(ids)
    for i, flag in enumerate(result.flags):
        if flag.partner:
            assert f'id="flag-{i}"' in sections[ids[flag.partner]], flag.code
            others = [s for k, s in sections.items() if k != ids[flag.partner]]
            assert not any(f'id="flag-{i}"' in s for s in others)
    # A folded partner says what it holds: its costs and its flags in words.
    assert re.search(r"<summary>.*?Kostnader .*?(fel|varning)", page, re.S)


def test_project_list_shows_each_projects_flag_counts(client, planner, demo_project):
    result = checking.run_check(demo_project).result
    text = _text(client.get("/projects/")).replace(" ,", ",")
    assert f"{result.count('error')} fel, 1 varning, {result.count('info')} upplysning" in text
    english = _text(client.get("/projects/?lang=en")).replace(" ,", ",")
    assert f"{result.count('error')} errors, 1 warning," in english


def _form(project, **overrides):
    data = {}
    keys = {p.id: p.key for p in project.partners}
    for i, c in enumerate(project.cost_lines):
        data |= {f"cost-{i}-partner": keys[c.partner_id], f"cost-{i}-category": c.category,
                 f"cost-{i}-amount": kronor_text(c.amount_ore), f"cost-{i}-in_kind": "cash"}
    for i, f in enumerate(project.funding_lines):
        data |= {f"fund-{i}-partner": keys[f.partner_id], f"fund-{i}-source": f.source, f"fund-{i}-kind": f.source_kind,
                 f"fund-{i}-category": f.category or "", f"fund-{i}-amount": kronor_text(f.amount_ore),
                 f"fund-{i}-in_kind": "cash"}
    return data | overrides


def _stored(project_id):
    project = checking.load_project(project_id)
    return ([(c.partner_id, c.category, c.amount_ore) for c in project.cost_lines],
            [(f.partner_id, f.source, f.amount_ore) for f in project.funding_lines])


def test_update_totals_without_javascript_keeps_the_entries_and_saves_nothing(client, planner, demo_project,
                                                                              db_session):
    before = _stored(demo_project.id)
    first = demo_project.cost_lines[0]
    partner = next(p for p in demo_project.partners if p.id == first.partner_id)
    others = sum(c.amount_ore for c in demo_project.cost_lines[1:] if c.partner_id == partner.id)
    form = _form(demo_project, **{"cost-0-amount": "12 345 678,90", "action": "totals"})
    response = client.post(f"/projects/{demo_project.id}/budget", data=form)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="12 345 678,90"' in page  # the entry is kept as typed
    text = _text(response)
    assert "Inget är sparat ännu" in text
    section = re.search(rf'data-partner="{partner.key}"[^>]*>\s*<summary>(.*?)</summary>', page, re.S).group(1)
    assert _words(format_sek(1_234_567_890 + others, "sv")) in _words(html.unescape(section))
    db_session.expire_all()
    assert _stored(demo_project.id) == before


def test_funders_are_shown_and_chosen_by_name(client, planner, demo_project, db_session):
    page = client.get(f"/projects/{demo_project.id}/budget").get_data(as_text=True)
    sources = re.findall(r'class="source" id="fund-\d+-source"[^>]*value="([^"]*)"', page)
    assert "Vinnova" in sources and "vinnova" not in sources
    assert '<option value="Vinnova">' in page
    form = _form(demo_project, **{"fund-0-source": "VINNOVA", "action": "save"})
    assert client.post(f"/projects/{demo_project.id}/budget", data=form).status_code == 302
    db_session.expire_all()
    assert checking.load_project(demo_project.id).funding_lines[0].source == "vinnova"


def test_running_totals_count_what_the_reader_accepts():
    rows = parse_budget({"cost-0-partner": "a", "cost-0-category": "non_economic", "cost-0-amount": "1 000",
                         "cost-1-partner": "a", "cost-1-category": "non_economic", "cost-1-amount": "tusen",
                         "cost-2-partner": "b", "cost-2-category": "non_economic", "cost-2-amount": "50,50",
                         "cost-2-delete": "1",
                         "fund-0-partner": "a", "fund-0-source": "Vinnova", "fund-0-kind": "state",
                         "fund-0-category": "non_economic", "fund-0-amount": "600",
                         "fund-1-partner": "a", "fund-1-source": "a", "fund-1-kind": "private", "fund-1-amount": "400"},
                        {"a", "b"}, {"vinnova": "vinnova"})
    totals = running_totals(rows.raw_costs, rows.raw_funding)
    assert totals.partner("a") == {"costs": 100_000, "funding": 100_000, "public": 60_000}
    assert totals.partner("b") == {"costs": 0, "funding": 0, "public": 0}
    assert totals.funders == {"vinnova": 60_000, "a": 40_000}
    assert (totals.costs, totals.funding) == (100_000, 100_000)


def test_infos_alone_leave_nothing_to_fix():
    from synergy_app.projects.views import verdict
    from synergy_app.stateaid.check_result import CheckResult
    from synergy_app.stateaid.flags import Flag

    note = Flag("NOT_STATE_AID", "info", "ltu", "non_economic", "Inte statsstöd.", "Not State aid.", None)
    warning = Flag("X", "warning", None, None, "Varning.", "Warning.", None)
    only_infos = verdict(CheckResult("P", "2026-03-01", {}, None, (), (note,)))
    assert only_infos["first"] is None and only_infos["counts"] == {"error": 0, "warning": 0, "info": 1}
    assert only_infos["per_partner"] == {"ltu": {"error": 0, "warning": 0, "info": 1}}
    mixed = verdict(CheckResult("P", "2026-03-01", {}, None, (), (note, warning)))
    assert mixed["first"] is warning and mixed["anchor"](warning) == "flag-1"
