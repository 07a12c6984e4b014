"""The start page is each role's work list: it names the next task, links to where it is done, and
doing it takes it off the list. In Swedish and in English."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from synergy_app.dialogues.models import Invitation, Slot
from synergy_app.stateaid import rulings_service
from tests.dialogues.followup_support import make_round, region

FUTURE = (datetime.now(UTC) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)

WORDS = {
    "sv": {"answer": "Svara på inbjudan", "book": "Boka ett pass", "prepare": "Förbered presentationen",
           "not_answered": "1 region har inte svarat: Region Östergötland",
           "all_answered": "Alla inbjudna regioner har svarat",
           "drafts": "Utkast till avgöranden", "no_drafts": "Inga utkast väntar.",
           "changed": "har ändrats de senaste 7 dagarna", "nothing": "Inget att göra i snabbdialogerna just nu"},
    "en": {"answer": "Respond to the invitation", "book": "Book a slot", "prepare": "Prepare the presentation",
           "not_answered": "1 region has not answered: Region Östergötland",
           "all_answered": "Every invited region has answered",
           "drafts": "Draft rulings", "no_drafts": "No drafts are waiting.",
           "changed": "has changed in the last 7 days", "nothing": "Nothing to do in the snabbdialog rounds right now"},
}


def _invited_round(db_session, theme="Startsidans runda"):
    round_ = make_round(db_session, start=FUTURE, booked=(), theme=theme)
    round_.status = "invitations_sent"
    db_session.add(Invitation(round_id=round_.id, region_id=region(db_session, "ostergotland").id, answer="pending"))
    db_session.flush()
    return round_


def _start(client, lang: str) -> str:
    response = client.get(f"/start?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _next_step(html: str) -> tuple[str, str]:
    """(href, words) of the 'next step' button of the first round card."""
    match = re.search(r'class="next-step">.*?<a class="button small" href="([^"]+)">([^<]+)</a>', html, re.S)
    assert match, "no next step on the page"
    return match.group(1), match.group(2)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_strategist_is_led_step_by_step_and_each_step_clears(client, db_session, make_user, login, lang):
    round_ = _invited_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    words = WORDS[lang]

    html = _start(client, lang)
    assert "Startsidans runda" in html
    assert _next_step(html) == (f"/dialogues/{round_.id}/answer", words["answer"])

    # Answering clears the step: the next one is booking a slot, on the round page.
    answer = {"answer": "yes", "new-0-name": "Stina Strateg", "new-0-email": "stina@test.invalid"}
    assert client.post(f"/dialogues/{round_.id}/answer", data=answer).status_code == 303
    html = _start(client, lang)
    assert _next_step(html) == (f"/dialogues/{round_.id}#book-heading", words["book"])
    assert f'href="/dialogues/{round_.id}/answer"' not in html

    slot = db_session.scalar(select(Slot).where(Slot.round_id == round_.id).order_by(Slot.starts_at))
    assert client.post(f"/dialogues/slots/{slot.id}/book").status_code == 303
    href, text = _next_step(_start(client, lang))
    assert text == words["prepare"] and href == f"/dialogues/rounds/{round_.id}/regions/ostergotland/presentation"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_strategist_who_declines_has_nothing_left_for_the_round(client, db_session, make_user, login, lang):
    round_ = _invited_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    assert client.post(f"/dialogues/{round_.id}/answer", data={"answer": "no"}).status_code == 303
    html = _start(client, lang)
    assert "Startsidans runda" not in html.split('id="rounds-h"')[1].split("</section>")[0]
    assert WORDS[lang]["nothing"] in html


def test_other_regions_do_not_see_the_invitation(client, db_session, make_user, login):
    _invited_round(db_session)
    login(make_user("strategist", region="vastmanland"))
    assert "Startsidans runda" not in _start(client, "sv")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planner_sees_missing_answers_until_the_region_answers(client, db_session, make_user, login, lang):
    round_ = _invited_round(db_session)
    login(make_user("planner"))
    html = _start(client, lang)
    gaps = html.split('id="gaps-h"')[1].split("</section>")[0]
    assert "Startsidans runda" in gaps and WORDS[lang]["not_answered"] in gaps
    assert f'href="/dialogues/{round_.id}"' in gaps

    invitation = db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id))
    invitation.answer = "listening"
    db_session.flush()
    gaps = _start(client, lang).split('id="gaps-h"')[1].split("</section>")[0]
    assert "Startsidans runda" not in gaps and WORDS[lang]["all_answered"] in gaps


def test_planner_of_another_agency_does_not_see_the_round(client, db_session, make_user, login):
    _invited_round(db_session)
    login(make_user("planner", organisation="energimyndigheten"))
    assert "Startsidans runda" not in _start(client, "sv")


RULING = {
    "title": "Startsidans utkast", "question": "Är det statsstöd?", "conclusion": "Nej.",
    "legal_basis": "TFEU art. 107(1)", "topics": ["intermediary_services"], "agencies": ["vinnova"],
    "flag_codes": [], "decided_on": "2026-03-01",
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_taskforce_sees_drafts_until_agreed(client, db_session, make_user, login, lang):
    tf = make_user("taskforce")
    ruling = rulings_service.create_ruling(RULING, tf)
    login(tf)
    drafts = _start(client, lang).split('id="drafts-h"')[1].split("</section>")[0]
    assert WORDS[lang]["drafts"] in drafts and "Startsidans utkast" in drafts
    assert f'href="/stateaid/rulings/{ruling.id}"' in drafts

    assert client.post(f"/stateaid/rulings/{ruling.id}/agree").status_code in (302, 303)
    drafts = _start(client, lang).split('id="drafts-h"')[1].split("</section>")[0]
    assert "Startsidans utkast" not in drafts and WORDS[lang]["no_drafts"] in drafts


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_taskforce_sees_a_draft_once_and_a_revision_with_its_reason(client, db_session, make_user, login, lang):
    tf = make_user("taskforce")
    rulings_service.create_ruling(RULING, tf)
    revised = rulings_service.create_ruling({**RULING, "title": "Startsidans reviderade"}, tf)
    rulings_service.agree_ruling(revised, tf)
    rulings_service.revise_ruling(revised, {**RULING, "title": "Startsidans reviderade",
                                            "conclusion": "Nej, inte heller efter ny praxis."}, "Ny praxis", tf)
    login(tf)
    html = _start(client, lang)
    recent = html.split('id="revised-h"')[1].split("</section>")[0]
    assert "Startsidans utkast" not in recent, "a draft is listed once, as a draft to finish"
    assert "Startsidans utkast" in html.split('id="drafts-h"')[1].split("</section>")[0]
    line = recent.split("Startsidans reviderade")[1].split("</li>")[0]
    assert {"sv": "Skäl: Ny praxis", "en": "Reason: Ny praxis"}[lang] in line
    assert "Version 2" in line


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_reader_sees_what_changed_this_week(client, db_session, make_user, login, lang):
    _invited_round(db_session, theme="Veckans runda")
    login(make_user("reader"))
    html = _start(client, lang)
    assert WORDS[lang]["changed"] in html
    rounds = html.split('id="rounds-h"')[1].split("</section>")[0]
    assert "Veckans runda" in rounds


def test_start_page_is_one_language(client, db_session, make_user, login):
    _invited_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    english = _start(client, "en")
    for swedish in ("Svara på inbjudan", "Nästa steg", "Öppna åtgärder för", "Utlysningar som stänger"):
        assert swedish not in english


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planner_acknowledges_a_soft_conflict_from_the_start_page(client, db_session, make_user, login, lang):
    from synergy_app.dialogues import service
    from tests.dialogues import rounds_support

    planner = make_user("planner")
    # Västmanland's energy priorities point to Energimyndigheten, which is not in this round.
    round_ = rounds_support.make_round(db_session, planner, open_for_booking=False, agencies=[],
                                       theme="Runda med lucka")
    service.invite_regions(round_, [rounds_support.region(db_session, "vastmanland").id], planner)
    login(planner)
    warnings = _start(client, lang).split('id="warnings-h"')[1].split("</section>")[0]
    assert "Runda med lucka" in warnings and "Energimyndigheten" in warnings
    assert f'href="/dialogues/{round_.id}/schedule"' in warnings

    keys = [w.key for w in service.pending_warnings(round_)]
    client.post(f"/dialogues/{round_.id}/schedule/acknowledge", data={"keys": keys})
    warnings = _start(client, lang).split('id="warnings-h"')[1].split("</section>")[0]
    assert "Runda med lucka" not in warnings


def test_taskforce_assesses_a_flagged_project_and_it_clears(client, db_session, make_user, login):
    from synergy_app.projects import demo as project_demo
    from synergy_app.projects.models import Project

    project_demo.seed_demo()  # its intermediary asks the taskforce for an assessment
    project = db_session.scalar(select(Project).where(Project.title == project_demo.DEMO_TITLE))
    tf = make_user("taskforce")
    ruling = rulings_service.create_ruling({**RULING, "flag_codes": ["INDIRECT_AID_VIA_INTERMEDIARY"]}, tf)
    rulings_service.agree_ruling(ruling, tf)
    login(tf)
    section = _start(client, "sv").split('id="assessments-h"')[1].split("</section>")[0]
    assert project.title in section and f'href="/projects/{project.id}#bedomning"' in section
    assert "indirekt statsstöd" in section

    # The link lands on the flag to assess, open at the top of the project page (a partner's own flags are
    # folded further down), with the precedents on the same question and a button to link each.
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assessment = page.split('id="bedomning"')[1].split("</section>")[0]
    assert "INDIRECT_AID_VIA_INTERMEDIARY" in assessment and ruling.number in assessment
    assert f'value="{ruling.id}"' in assessment
    # Each button names its ruling for a screen reader, as the buttons stand side by side.
    assert f'Länka till flaggan<span class="visually-hidden"> ({ruling.number})</span>' in assessment
    assert page.index('id="bedomning"') < page.index('id="flaggor"')

    response = client.post(f"/projects/{project.id}/rulings",
                           data={"flag_code": "INDIRECT_AID_VIA_INTERMEDIARY", "ruling_id": str(ruling.id)})
    assert response.status_code == 302
    section = _start(client, "en").split('id="assessments-h"')[1].split("</section>")[0]
    assert project.title not in section and "No project is waiting for an assessment." in section
    assert 'id="bedomning"' not in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_a_reader_sees_who_assesses_a_flag_but_no_link_button(client, db_session, make_user, login):
    from synergy_app.projects import demo as project_demo
    from synergy_app.projects.models import Project

    project_demo.seed_demo()
    project = db_session.scalar(select(Project).where(Project.title == project_demo.DEMO_TITLE))
    login(make_user("reader"))
    page = client.get(f"/projects/{project.id}?lang=en").get_data(as_text=True)
    assessment = page.split('id="bedomning"')[1].split("</section>")[0]
    assert "Waiting for the taskforce's assessment" in assessment
    assert "The state-aid taskforce assesses the arrangement" in assessment
    assert "Link to the flag" not in assessment and "/stateaid/rulings/new" not in assessment


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_planner_sees_an_overdue_action_until_it_is_done(client, db_session, make_user, login, lang):
    from synergy_app.dialogues import service_followup
    from tests.dialogues.followup_support import organisation

    planner = make_user("planner")
    round_ = make_round(db_session, theme="Runda med försenad åtgärd")
    round_.status = "held"
    action = service_followup.add_action(
        round_, region=region(db_session, "ostergotland"), owner_kind="agency",
        owner=organisation(db_session, "vinnova"), description="Skicka förstudiens underlag till regionen",
        due_date=datetime.now(UTC).date() - timedelta(days=3), actor=planner)
    login(planner)
    overdue = _start(client, lang).split('id="overdue-h"')[1].split("</section>")[0]
    assert "Skicka förstudiens underlag till regionen" in overdue
    assert f'href="/dialogues/rounds/{round_.id}/follow-up"' in overdue
    assert {"sv": "Försenad", "en": "Overdue"}[lang] in overdue

    assert client.post(f"/dialogues/follow-up/actions/{action.id}/status", data={"status": "done"}).status_code == 302
    overdue = _start(client, lang).split('id="overdue-h"')[1].split("</section>")[0]
    assert "Skicka förstudiens underlag till regionen" not in overdue


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_long_list_says_there_are_more_and_links_to_all_of_them(client, db_session, make_user, login, lang):
    from synergy_app.core.start_page import SHOWN

    tf = make_user("taskforce")
    for n in range(SHOWN + 1):
        rulings_service.create_ruling({**RULING, "title": f"Startsidans utkast {n}"}, tf)
    login(tf)
    drafts = _start(client, lang).split('id="drafts-h"')[1].split("</section>")[0]
    more = {"sv": f"(fler än {SHOWN})", "en": f"(more than {SHOWN})"}[lang]
    link = {"sv": "Alla utkast i registret", "en": "All drafts in the register"}[lang]
    assert more in drafts
    assert f'<a href="/stateaid/?status=draft">{link}</a>' in drafts
    assert drafts.count('class="item-title"') == SHOWN


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_strategist_sees_a_held_round_as_held_and_its_late_follow_up_as_late(client, db_session, make_user, login,
                                                                            lang):
    from synergy_app.dialogues import service_followup
    from tests.dialogues.followup_support import organisation

    strategist = make_user("strategist", region="ostergotland")
    round_ = make_round(db_session, theme="Hållen runda")
    round_.status = "held"
    service_followup.add_action(
        round_, region=region(db_session, "ostergotland"), owner_kind="region",
        owner=organisation(db_session, "region-ostergotland") or region(db_session, "ostergotland").organisation,
        description="Skicka testbäddsunderlaget", due_date=datetime.now(UTC).date() - timedelta(days=2),
        actor=strategist)
    login(strategist)
    card = _start(client, lang).split("Hållen runda")[1].split("</article>")[0]
    assert {"sv": "Mötet hölls", "en": "The meeting was held"}[lang] in card
    assert {"sv": "Mötet börjar", "en": "The meeting starts"}[lang] not in card
    late = {"sv": "Försenad", "en": "Overdue"}[lang]
    assert late in card.split('class="next-step"')[1].split("</p>")[0]


def test_reader_sees_rounds_and_feedback_latest_first(client, db_session, make_user, login):
    from synergy_app.dialogues import service_followup
    from tests.dialogues.followup_support import organisation

    now = datetime.now(UTC)
    older = _invited_round(db_session, theme="Runda ändrad i förrgår")
    older.updated_at = now - timedelta(days=2)
    planner = make_user("planner")
    held = make_round(db_session, theme="Runda med färsk återkoppling")
    held.status = "held"
    held.updated_at = now - timedelta(days=3)
    feedback = service_followup.add_feedback(
        held, region=region(db_session, "ostergotland"), organisation=organisation(db_session, "vinnova"),
        led_to="En gemensam förstudie", reported_on=now.date(), actor=planner)
    feedback.created_at = now - timedelta(days=1)
    db_session.flush()
    login(make_user("reader"))
    rounds = _start(client, "sv").split('id="rounds-h"')[1].split("</section>")[0]
    titles = re.findall(r'<p class="item-title"><a href="[^"]+">([^<]+)</a>', rounds)
    # Yesterday's återkoppling, the round changed two days ago, the held round itself three days ago.
    assert titles == ["Runda med färsk återkoppling", "Runda ändrad i förrgår", "Runda med färsk återkoppling"]
    assert rounds.index("En gemensam förstudie") < rounds.index("Runda ändrad i förrgår")
