"""A strategist saves an unfinished presentation and comes back to it: required fields are required for
"ready", not for a draft; errors are summarised at the top of the form with a link to each field."""

from __future__ import annotations

import re

from sqlalchemy import select, text

from synergy_app.dialogues.models_followup import Presentation
from tests.dialogues import followup_support as fs


def _url(round_) -> str:
    return f"/dialogues/rounds/{round_.id}/regions/ostergotland/presentation"


def _stored(db_session, round_) -> Presentation | None:
    db_session.expire_all()
    return db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id))


UNFINISHED = {k: v for k, v in fs.GOOD_CONTENT.items() if k not in ("international", "continue_dialogue")}
TYPED = "Halvfärdig text om cirkulär tillverkning som strategen vill fortsätta med i morgon."


def test_unfinished_draft_saves_and_comes_back(client, db_session, make_user, login):
    round_ = fs.make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    response = client.post(_url(round_), data={**UNFINISHED, "region_s3": TYPED, "save": "draft"})
    assert response.status_code == 302
    stored = _stored(db_session, round_)
    assert stored is not None and stored.ready is False and stored.content["region_s3"] == TYPED

    page = client.get(_url(round_)).get_data(as_text=True)
    assert TYPED in page and "Utkast: inte klar" in page
    start = client.get("/start").get_data(as_text=True)
    assert "Utkast sparat, inte klart" in start


def test_ready_needs_the_required_fields_and_summarises_the_errors(client, db_session, make_user, login):
    round_ = fs.make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    client.post(_url(round_), data={**UNFINISHED, "region_s3": TYPED, "save": "draft"})

    response = client.post(_url(round_), data={**UNFINISHED, "region_s3": TYPED + " Ändrad.", "save": "ready"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary" role="alert" id="errors".*?</div>', html, re.S).group(0)
    assert '<a href="#f-international">' in summary and '<a href="#f-continue_dialogue">' in summary
    assert 'id="f-international"' in html and 'id="f-continue_dialogue"' in html  # the links lead somewhere
    assert html.index('class="error-summary"') < html.index('id="f-region_s3"'), "the summary opens the form"
    assert TYPED + " Ändrad." in html, "what was typed stays in the form"
    stored = _stored(db_session, round_)
    assert stored.ready is False and stored.content["region_s3"] == TYPED, "a refused save changes nothing"


def test_ready_presentation_clears_the_start_page_step(client, db_session, make_user, login):
    round_ = fs.make_round(db_session, start=fs.START.replace(year=2030))
    login(make_user("strategist", region="ostergotland"))
    client.post(_url(round_), data={**UNFINISHED, "save": "draft"})
    assert "Förbered presentationen" in client.get("/start").get_data(as_text=True)
    assert client.post(_url(round_), data={**fs.GOOD_CONTENT, "save": "ready"}).status_code == 302
    assert _stored(db_session, round_).ready is True
    start = client.get("/start").get_data(as_text=True)
    assert f'href="{_url(round_)}"' not in start


def test_a_draft_still_checks_what_is_filled_in(client, db_session, make_user, login):
    round_ = fs.make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    data = {**UNFINISHED, "contacts-1-name": "Kalle", "contacts-1-email": "not-an-email", "save": "draft"}
    assert client.post(_url(round_), data=data).status_code == 400
    assert _stored(db_session, round_) is None


def test_presentations_saved_before_drafts_existed_are_ready(db_session):
    # A row written without the column, as every row before the migration: the database's default applies.
    round_ = fs.make_round(db_session)
    db_session.execute(text("INSERT INTO dialogue_presentations (round_id, region_id, template_id, content) "
                            "VALUES (:r, :g, 'region', '{}')"),
                       {"r": round_.id, "g": fs.region(db_session, "ostergotland").id})
    assert _stored(db_session, round_).ready is True


def test_english_form_says_draft_and_ready(client, db_session, make_user, login):
    round_ = fs.make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    html = client.get(_url(round_) + "?lang=en").get_data(as_text=True)
    assert "Save draft" in html and "Save as ready and estimate speaking time" in html
    assert "Spara utkast" not in html
