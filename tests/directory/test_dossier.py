"""Region and agency dossiers: the page shows every section with the demo's rows, and the XLSX and
CSV extracts hold exactly the rows the page shows."""

from __future__ import annotations

import csv
import html as htmllib
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from synergy_app.directory import queries
from synergy_app.dossiers import dossier as dossiers
from synergy_app.projects import checking

from .conftest import OSTERGOTLAND_PROJECT


def _region():
    return queries.region_by_key("ostergotland")


def _xlsx(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def _csv_rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())  # Excel reads å, ä, ö right only with the BOM
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def _first_column(sheet) -> list:
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_region_dossier_gathers_each_section_from_the_demo(ostergotland_project):
    d = dossiers.region_dossier(_region())
    today = d.generated_on

    # Priorities with their best national/EU matches; a planner's added match ranks first.
    assert len(d.priorities) >= 3 and all(p.matches for p in d.priorities)
    for p in d.priorities:
        assert len(p.matches) <= dossiers.MATCHES_PER_PRIORITY
        decided = [m.decided for m in p.matches]
        assert decided == sorted(decided, reverse=True)
        suggested = [m.score for m in p.matches if not m.decided]
        assert suggested == sorted(suggested, reverse=True)
        assert all(m.organisation_name and m.explanation_sv for m in p.matches)

    # The held round (booked, answered yes) and the demo round (invited, not answered yet).
    by_theme = {r.theme: r for r in d.dialogues}
    held = by_theme["Hållbar industri: snabbdialog med regionerna (genomförd)"]
    assert (held.status, held.booked, held.answer) == ("held", True, "yes")
    upcoming = by_theme["Hållbar industri: regionernas strategiska fokusområden"]
    assert (upcoming.booked, upcoming.answer) == (False, "pending")

    # Open actions only, the overdue one marked.
    assert [(a.description[:30], a.overdue) for a in d.actions] == [
        ("Bjud in Östergötland till förs", True), ("Skicka underlag om regionens t", False)]
    assert all(a.due_date < today for a in d.actions if a.overdue)

    # Calls: the national call open to every region; the calls naming only Värmland/Norrbotten are not here.
    titles = {c.title: c for c in d.calls}
    industriklivet = titles["[Exempel] Industriklivet – genomförandeprojekt"]
    assert industriklivet.targets == "national" and industriklivet.next_on >= today
    assert not any("Hållbar industri – genomför" in t for t in titles)

    # The project: a partner located in the region, and the region funds it (exact öre).
    [project] = d.projects
    assert project.project_id == ostergotland_project.id
    assert project.roles == ("partner_in_region", "funder")
    assert project.funding_ore == 123_456_78
    check = checking.run_check(checking.load_project(project.project_id)).result
    assert (project.errors, project.warnings) == (check.count("error"), check.count("warning"))
    assert {f.code for f in project.flags} == {f.code for f in check.flags}


def test_region_page_shows_every_section(client, make_user, login, ostergotland_project):
    login(make_user("reader"))
    html = htmllib.unescape(client.get("/directory/regions/ostergotland").get_data(as_text=True))
    d = dossiers.region_dossier(_region())
    for heading in ("Områden för smart specialisering", "Snabbdialoger", "Öppna åtgärder", "Utlysningar",
                    "Gemensamma projekt"):
        assert f">{heading}</h2>" in html
    for p in d.priorities:
        for m in p.matches:
            assert m.area_title in html
    for text in ([r.theme for r in d.dialogues] + [a.description for a in d.actions] + [c.title for c in d.calls]
                 + [p.title for p in d.projects]):
        assert text in html
    assert "Försenad" in html and 'class="overdue"' in html
    assert "[Exempel] Industriklivet – genomförandeprojekt" in html
    assert ostergotland_project.title in html
    assert "1\u00a0234\u00a056,78" not in html and "123\u00a0456,78\u00a0kr" in html  # the region's funding, öre kept
    assert 'href="/directory/regions/ostergotland/extract.xlsx"' in html


def test_exports_hold_the_rows_the_page_shows(client, make_user, login, ostergotland_project):
    login(make_user("reader"))
    d = dossiers.region_dossier(_region())
    book = _xlsx(client, "/directory/regions/ostergotland/extract.xlsx")
    assert book.sheetnames == ["Prioriteringar och matchningar", "Snabbdialoger", "Öppna åtgärder", "Utlysningar",
                               "Gemensamma projekt"]

    matches = book["Prioriteringar och matchningar"]
    assert [(r[0], r[1], r[3]) for r in matches.iter_rows(min_row=2, values_only=True)] == [
        (p.title, m.area_title, m.score) for p in d.priorities for m in p.matches]
    assert _first_column(book["Snabbdialoger"]) == [r.theme for r in d.dialogues]
    actions = list(book["Öppna åtgärder"].iter_rows(min_row=2, values_only=True))
    assert [(a[0], a[4].date(), a[5]) for a in actions] == [
        (a.description, a.due_date, "Ja" if a.overdue else "Nej") for a in d.actions]
    assert _first_column(book["Utlysningar"]) == [c.title for c in d.calls]

    projects = book["Gemensamma projekt"]
    header = [c.value for c in projects[1]]
    row = projects[2]
    funding = row[header.index("Finansiering från regionen (kr)")]
    assert funding.value == 123456.78 and funding.number_format == "#,##0.00"
    assert isinstance(row[header.index("Start")].value, datetime)  # a date cell, not text
    assert row[header.index("Start")].value.date() == date(2026, 6, 1)
    costs = row[header.index("Kostnader (kr)")].value
    assert Decimal(str(costs)) == Decimal("1400000")

    rows = _csv_rows(client, "/directory/regions/ostergotland/extract.csv")
    by_section: dict[str, list[dict]] = {}
    for r in rows:
        by_section.setdefault(r["Avsnitt"], []).append(r)
    assert [r["Snabbdialoger: Omgång"] for r in by_section["Snabbdialoger"]] == [r.theme for r in d.dialogues]
    assert [r["Utlysningar: Utlysning"] for r in by_section["Utlysningar"]] == [c.title for c in d.calls]
    [project] = by_section["Gemensamma projekt"]
    assert project["Gemensamma projekt: Finansiering från regionen (kr)"] == "123456.78"
    assert project["Gemensamma projekt: Start"] == "2026-06-01"
    assert len(by_section["Prioriteringar och matchningar"]) == sum(len(p.matches) for p in d.priorities)


def test_agency_dossier_of_vinnova(client, make_user, login, ostergotland_project):
    from synergy_app.projects.demo import DEMO_TITLE

    login(make_user("reader"))
    vinnova = queries.organisation_by_slug("vinnova")
    d = dossiers.agency_dossier(vinnova)

    hallbar = next(a for a in d.areas if a.slug == "vinnova-hallbar-industri")
    from synergy_app.priorities.public import regions_for_area

    ranked = regions_for_area("vinnova-hallbar-industri", dossiers.REGIONS_PER_AREA)
    assert [(m.region_slug, m.priority_slug, m.score) for m in hallbar.matches] == [
        (r["region_slug"], r["priorities"][0]["slug"], r["priorities"][0]["score"]) for r in ranked]
    assert {r.role for r in d.dialogues} == {"lead"} and len(d.dialogues) == 3
    assert any(a.overdue for a in d.actions)
    coordinated = next(c for c in d.calls if c.title.startswith("[Exempel] Hållbar industri – genomförandeprojekt"))
    assert coordinated.alignment_sv  # misaligned with the ERUF call it is coordinated with
    funded = {p.title: p for p in d.projects}
    assert funded[DEMO_TITLE].funding_ore == 6_500_000_00  # Vinnova's four lines in the demo project
    assert funded[OSTERGOTLAND_PROJECT["title"]].funding_ore == 900_000_00

    html = htmllib.unescape(client.get("/directory/organisations/vinnova").get_data(as_text=True))
    for heading in ("Strategiska områden och program", "Snabbdialoger", "Öppna åtgärder", "Utlysningar",
                    "Gemensamma projekt"):
        assert f">{heading}</h2>" in html
    assert coordinated.alignment_sv[0] in html
    assert DEMO_TITLE in html

    book = _xlsx(client, "/directory/organisations/vinnova/extract.xlsx")
    assert book.sheetnames[0] == "Områden och matchande regioner"
    assert _first_column(book["Utlysningar"]) == [c.title for c in d.calls]
    assert _first_column(book["Gemensamma projekt"]) == [p.title for p in d.projects]


def test_draft_rounds_never_appear(demo, make_user):
    from synergy_app.dialogues import service

    planner = make_user("planner")
    draft = service.create_round(service.RoundData(
        theme="Utkast som inte är skickat", lead_organisation="vinnova", lead_area="vinnova-hallbar-industri",
        meetings=[service.local_interval(date.today() + timedelta(days=60), time(9), time(10))]), planner)
    service.invite_regions(draft, [_region().id], planner)
    assert draft.status == "draft"
    assert "Utkast som inte är skickat" not in {r.theme for r in dossiers.region_dossier(_region()).dialogues}
    vinnova = queries.organisation_by_slug("vinnova")
    assert "Utkast som inte är skickat" not in {r.theme for r in dossiers.agency_dossier(vinnova).dialogues}


def test_unknown_region_and_non_agency_extracts_are_not_found(client, make_user, login, db_session):
    from synergy_app.directory.models import Organisation

    login(make_user("reader"))
    assert client.get("/directory/regions/atlantis").status_code == 404
    assert client.get("/directory/regions/atlantis/extract.xlsx").status_code == 404
    assert client.get("/directory/organisations/no-such-agency/extract.csv").status_code == 404
    cluster = db_session.scalar(select(Organisation.slug).where(Organisation.kind == "cluster_initiative"))
    assert client.get(f"/directory/organisations/{cluster}/extract.csv").status_code == 404
    assert client.get("/directory/regions/ostergotland/extract.pdf").status_code == 404


def test_extracts_need_a_login(client, db_session):
    response = client.get("/directory/regions/ostergotland/extract.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _counts(html: str) -> dict[str, str]:
    """Each folded section's id and the count its summary line gives."""
    import re

    return dict(re.findall(r'<details class="dossier-section" id="(\w+)">\s*<summary><h2 id="\w+-h">[^<]*</h2> '
                           r'<span class="count">([^<]*)</span>', html))


def test_region_dossier_leads_with_a_summary_and_folds_each_section_with_its_count(
        client, make_user, login, ostergotland_project):
    login(make_user("reader"))
    html = htmllib.unescape(client.get("/directory/regions/ostergotland").get_data(as_text=True))
    d = dossiers.region_dossier(_region())
    s = dossiers.summary(d)

    # The summary comes before every section and links to each of them.
    summary_at = html.index('id="dossier-summary-h"')
    assert summary_at < html.index('<details class="dossier-section"')
    for key in ("dialogues", "actions", "calls", "projects"):
        assert f'href="#{key}"' in html[summary_at:html.index('<details class="dossier-section"')]
    assert f"{s.actions} öppna åtgärder" in html and "1 försenad" in html
    overdue = next(a for a in d.actions if a.overdue)
    assert s.urgent_actions[0] == overdue  # the overdue action is the most urgent
    assert f"{s.with_errors_count} projekt med fel" in html or s.with_errors_count == 1

    def sv(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    counts = _counts(html)
    assert counts == {
        "priorities": sv(len(d.priorities), "prioritering", "prioriteringar"),
        "dialogues": sv(len(d.dialogues), "omgång", "omgångar"),
        "actions": f"{len(d.actions)} öppna åtgärder, 1 försenad",
        "calls": sv(len(d.calls), "utlysning", "utlysningar"),
        "projects": "1 projekt" + (", 1 med fel" if d.projects[0].errors else ""),
    }


def test_section_counts_use_the_catalogues_plurals_in_english(client, make_user, login, ostergotland_project):
    login(make_user("reader"))
    html = htmllib.unescape(client.get("/directory/regions/ostergotland?lang=en").get_data(as_text=True))
    counts = _counts(html)
    assert counts["actions"] == "2 open actions, 1 overdue"
    assert counts["projects"].startswith("1 project") and not counts["projects"].startswith("1 projects")
    assert counts["dialogues"] == "2 rounds"
    assert ">Overview</h2>" in html and "Översikt" not in html


def test_summary_names_calls_closing_within_30_days_soonest_first(demo):
    d = dossiers.region_dossier(_region())
    s = dossiers.summary(d)
    horizon = d.generated_on + timedelta(days=dossiers.CLOSING_WITHIN_DAYS)
    closing = [c for c in d.calls if c.next_deadline and c.next_deadline <= horizon]
    assert s.closing_count == len(closing)
    assert [c.next_deadline for c in s.closing] == sorted(c.next_deadline for c in closing)[:dossiers.URGENT_ITEMS]


def test_a_long_section_shows_its_first_rows_and_links_to_the_whole_list(
        client, make_user, login, ostergotland_project, monkeypatch):
    from synergy_app.dossiers import views

    monkeypatch.setattr(views, "SECTION_ROWS", 1)
    login(make_user("reader"))
    d = dossiers.region_dossier(_region())
    html = htmllib.unescape(client.get("/directory/regions/ostergotland").get_data(as_text=True))
    assert len(d.actions) == 2
    assert "Visar de 1 första av 2." in html
    assert '<a href="/directory/regions/ostergotland/actions">Visa alla 2</a>' in html
    section = html[html.index('<details class="dossier-section" id="actions">'):]
    section = section[:section.index("</details>")]
    assert d.actions[0].description in section and d.actions[1].description not in section

    full = htmllib.unescape(client.get("/directory/regions/ostergotland/actions").get_data(as_text=True))
    assert all(a.description in full for a in d.actions) and "Visa alla" not in full
    assert '<details class="dossier-section" id="actions" open>' in full
    assert client.get("/directory/organisations/vinnova/actions").status_code == 200
    assert client.get("/directory/organisations/norrstal/actions").status_code == 404


def test_the_page_checks_the_alignment_of_the_calls_it_shows_and_the_full_list_that_of_every_call(
        client, make_user, login, ostergotland_project):
    from dataclasses import replace

    vinnova = queries.organisation_by_slug("vinnova")
    every = dossiers.agency_dossier(vinnova)
    flagged = [n for n, c in enumerate(every.calls) if c.alignment_sv]
    assert flagged
    shown = flagged[0] + 1
    first = dossiers.agency_dossier(vinnova, aligned=shown)
    assert first.calls[:shown] == every.calls[:shown]
    assert not any(c.alignment_sv or c.alignment_en for c in first.calls[shown:])

    def unflagged(calls):
        return [replace(c, alignment_sv=(), alignment_en=()) for c in calls]

    assert unflagged(first.calls) == unflagged(every.calls)  # the same rows in the same order

    login(make_user("reader"))
    full = htmllib.unescape(client.get("/directory/organisations/vinnova/calls").get_data(as_text=True))
    assert all(c.alignment_sv[0] in full for c in every.calls if c.alignment_sv)
