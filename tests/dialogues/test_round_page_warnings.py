"""The planner's box on a round's page tells her about unacknowledged schedule warnings, with their number
and a link to the schedule page, before she tries to send the invitations."""

from __future__ import annotations

import re

from synergy_app.dialogues import service

from .rounds_support import make_round, region


def _round_with_warnings(db_session, planner):
    round_ = make_round(db_session, planner, open_for_booking=False, agencies=[])
    service.invite_regions(round_, [region(db_session, "vastmanland").id], planner)
    return round_


def _planner_box(html: str) -> str:
    start = html.index('id="plan-heading"')
    return html[start:html.index("</section>", start)]


def test_round_page_counts_unacknowledged_warnings_and_links_to_the_schedule(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = _round_with_warnings(db_session, planner)
    warnings = service.pending_warnings(round_)
    assert len(warnings) >= 2  # Västmanland's themes point to several agencies not in the round
    login(planner)

    box = _planner_box(client.get(f"/dialogues/{round_.id}").get_data(as_text=True))
    assert 'id="pending-warnings"' in box
    assert f"{len(warnings)} varningar är inte kvitterade" in box
    assert f'href="/dialogues/{round_.id}/schedule"' in box.split('id="pending-warnings"', 1)[1].split("</div>")[0]
    assert box.index('id="pending-warnings"') < box.index(f'/dialogues/{round_.id}/send')

    service.acknowledge_warnings(round_, [warnings[0].key], planner)
    box = _planner_box(client.get(f"/dialogues/{round_.id}").get_data(as_text=True))
    assert f"{len(warnings) - 1} varning" in box

    service.acknowledge_warnings(round_, [w.key for w in warnings], planner)
    assert 'id="pending-warnings"' not in client.get(f"/dialogues/{round_.id}").get_data(as_text=True)


def test_round_page_in_english_and_without_warnings(client, make_user, login, db_session):
    planner = make_user("planner")
    quiet = make_round(db_session, planner, open_for_booking=False)
    login(planner)
    assert 'id="pending-warnings"' not in client.get(f"/dialogues/{quiet.id}").get_data(as_text=True)
    round_ = _round_with_warnings(db_session, planner)
    n = len(service.pending_warnings(round_))
    page = client.get(f"/dialogues/{round_.id}?lang=en").get_data(as_text=True)
    assert f"{n} warnings have not been acknowledged" in _planner_box(page)


# ---------------------------------------------------------------------------------------------
# återkoppling dated in the future is refused, naming the field


def test_feedback_dated_in_the_future_is_refused_naming_the_field(client, make_user, login, db_session):
    from datetime import timedelta

    import pytest
    from sqlalchemy import select

    from synergy_app.db_types import utcnow
    from synergy_app.dialogues import service_followup
    from synergy_app.dialogues.models_followup import Feedback
    from synergy_app.errors import InputError
    from synergy_app.formatting import STOCKHOLM

    from .followup_support import make_round as make_followup_round

    planner = make_user("planner")
    round_ = make_followup_round(db_session)
    ostergotland = region(db_session, "ostergotland")
    today = utcnow().astimezone(STOCKHOLM).date()
    tomorrow = (today + timedelta(days=1)).isoformat()
    with pytest.raises(InputError) as err:
        service_followup.add_feedback(round_, region=ostergotland, organisation=ostergotland.organisation,
                                      led_to="En ansökan", reported_on=tomorrow, actor=planner)
    assert [e.field for e in err.value.errors] == ["reported_on"]
    assert db_session.scalar(select(Feedback).where(Feedback.round_id == round_.id)) is None
    entry = service_followup.add_feedback(round_, region=ostergotland, organisation=ostergotland.organisation,
                                          led_to="En ansökan", reported_on=today, actor=planner)
    assert entry.reported_on == today

    login(make_user("strategist", region="ostergotland"))
    response = client.post(f"/dialogues/rounds/{round_.id}/follow-up/feedback", data={
        "feedback-region": "ostergotland", "feedback-organisation": "region-ostergotland",
        "feedback-led_to": "Framtida återkoppling", "feedback-reported_on": tomorrow})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Datum: återkopplingen kan inte vara daterad i framtiden." in page
    [field] = re.findall(r'<input[^>]*id="feedback-reported_on"[^>]*>', page)
    assert 'aria-invalid="true"' in field
    assert db_session.scalar(select(Feedback).where(Feedback.led_to == "Framtida återkoppling")) is None
