"""Regressions found by walking the snabbdialog pages in a browser: hints that lost text, a
cancellation named like the invitation, a multi-day agenda without dates, a long chair's note
that ended on a bare error page, and e-mail addresses that were not addresses."""

from __future__ import annotations

import io
import re
from datetime import time, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from synergy_app.dialogues import service
from synergy_app.dialogues.models_followup import Presentation, SlotNote
from tests.dialogues import followup_support as fs
from tests.dialogues.rounds_support import DAY, make_round, region


def test_answer_form_asks_for_name_and_email_in_their_own_fields(client, db_session, make_user, login):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    service.invite_regions(round_, [region(db_session, "ostergotland").id], planner)
    login(make_user("strategist", region="ostergotland"))
    page = client.get(f"/dialogues/{round_.id}/answer").get_data(as_text=True)
    assert '<label for="new-0-name">' in page and 'id="new-0-email" name="new-0-email" type="email"' in page
    assert "<e-post>" not in page


def test_presenter_with_a_malformed_email_is_refused(client, db_session, make_user, login):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    service.invite_regions(round_, [region(db_session, "ostergotland").id], planner)
    login(make_user("strategist", region="ostergotland"))
    bad = client.post(f"/dialogues/{round_.id}/answer",
                      data={"answer": "yes", "new-0-name": "Stina", "new-0-email": "stina@@bad"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and '<a href="#new-0-email">' in html and "ingen giltig e-postadress" in html


def test_cancellation_downloads_under_its_own_name(client, db_session, make_user, login):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    login(planner)
    request = client.get(f"/dialogues/{round_.id}/invitation.ics")
    cancel = client.get(f"/dialogues/{round_.id}/invitation.ics?method=CANCEL")
    assert f'snabbdialog-{round_.id}.ics"' in request.headers["Content-Disposition"]
    assert f"snabbdialog-{round_.id}-installd.ics" in cancel.headers["Content-Disposition"]
    assert b"METHOD:CANCEL" in cancel.data
    eml = client.get(f"/dialogues/{round_.id}/invitation.eml?method=CANCEL")
    assert f"snabbdialog-{round_.id}-installd.eml" in eml.headers["Content-Disposition"]


def test_agenda_of_a_round_over_two_days_dates_each_day(client, db_session, make_user, login):
    planner = make_user("planner")
    meetings = [service.local_interval(DAY, time(9, 0), time(9, 30)),
                service.local_interval(DAY + timedelta(days=7), time(13, 0), time(13, 30))]
    round_ = make_round(db_session, planner, meetings=meetings)
    login(planner)
    response = client.get(f"/dialogues/rounds/{round_.id}/agenda.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    # Both meetings, each with its own date, in the facts and as day rows in the running order.
    assert "tisdag 10 september 2030 kl. 09:00–09:30" in text
    assert "tisdag 17 september 2030 kl. 13:00–13:30" in text
    assert text.count("tisdag 17 september 2030") >= 2
    assert "09:00–13:30" not in text


def test_overlong_chair_note_shows_the_running_order_with_the_text_kept(client, db_session, make_user, login):
    round_ = fs.make_round(db_session)
    slot = fs.slots_of(db_session, round_)[0]
    login(make_user("planner"))
    page = client.get(f"/dialogues/rounds/{round_.id}/run").get_data(as_text=True)
    assert 'maxlength="5000"' in page
    typed = "Bra fråga om testbäddar. " + "x" * 5000
    response = client.post(f"/dialogues/slots/{slot.id}/note", data={"text": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The chair's page, not a bare error page: the reason beside the note and the text as typed.
    assert "Körschema med anteckningar" in page
    assert f'id="note-{slot.id}-error"' in page and "högst 5000 tecken" in page
    assert typed in page
    assert db_session.scalar(select(SlotNote).where(SlotNote.slot_id == slot.id)) is None


def test_presentation_contact_with_a_malformed_email_is_not_saved(client, db_session, make_user, login):
    round_ = fs.make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    data = {**fs.GOOD_CONTENT, "contacts-1-name": "Kalle", "contacts-1-email": "not-an-email"}
    response = client.post(f"/dialogues/rounds/{round_.id}/regions/ostergotland/presentation", data=data)
    assert response.status_code == 400
    assert "ingen giltig e-postadress" in response.get_data(as_text=True)
    assert db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id)) is None


def test_invite_scores_use_the_swedish_decimal_comma(client, db_session, make_user, login):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    login(planner)
    page = client.get(f"/dialogues/{round_.id}/invite").get_data(as_text=True)
    scores = page.split("<tbody>")[1].split("</tbody>")[0]
    assert re.search(r"<td>\d,\d\d</td>", scores) and not re.search(r"<td>\d\.\d\d</td>", scores)


def test_round_status_and_answer_labels_are_marked_for_translation():
    # The English page showed "(Schemalagd)": the labels were plain strings the extraction never saw.
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    from synergy_app.dialogues import labels as module

    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = {message for _, message, _, _ in extract_from_file("python", Path(module.__file__), keywords=keywords)}
    labels = {str(v) for v in (*module.STATUS_LABELS.values(), *module.ANSWER_LABELS.values())}
    assert labels <= found
