"""The reply form offers choices: presenters picked from the region's people or added inline, and the
times the region cannot present as date + from/to fields. Answers stored before (or through the API)
show in the same fields."""

from __future__ import annotations

from sqlalchemy import select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Invitation
from synergy_app.directory.models import Membership, Person
from tests.dialogues.rounds_support import make_round, region


def _invited(db_session, make_user):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False)
    service.invite_regions(round_, [region(db_session, "ostergotland").id], planner)
    invitation = db_session.scalar(select(Invitation).where(Invitation.round_id == round_.id))
    return round_, invitation


def _person(db_session, slug: str, name: str, email: str) -> Person:
    person = Person(name=name, email=email)
    db_session.add(person)
    db_session.flush()
    db_session.add(Membership(person_id=person.id, organisation_id=region(db_session, slug).organisation_id,
                              title="Analytiker"))
    db_session.flush()
    return person


def test_presenters_are_picked_from_the_regions_people(client, db_session, make_user, login):
    round_, invitation = _invited(db_session, make_user)
    person = _person(db_session, "ostergotland", "Olle Analytiker", "olle@test.invalid")
    _person(db_session, "vastmanland", "Vera Annanregion", "vera@test.invalid")
    login(make_user("strategist", region="ostergotland", name="Stina Strateg"))
    page = client.get(f"/dialogues/{round_.id}/answer").get_data(as_text=True)
    assert "Stina Strateg" in page and "Olle Analytiker, Analytiker" in page
    assert "Vera Annanregion" not in page, "only the region's own people are offered"
    assert 'type="date"' in page and 'type="time"' in page

    response = client.post(f"/dialogues/{round_.id}/answer", data={
        "answer": "yes", "presenter": [f"p{person.id}"], "new-0-name": "Gäst Gästsson", "new-0-email": "",
        "unavailable-0-date": "2030-09-10", "unavailable-0-start": "09:00", "unavailable-0-end": "09:20",
        "unavailable-1-date": "", "unavailable-1-start": "", "unavailable-1-end": ""})
    assert response.status_code == 303
    db_session.refresh(invitation)
    assert invitation.presenters == [{"name": "Olle Analytiker", "email": "olle@test.invalid"},
                                     {"name": "Gäst Gästsson", "email": None}]
    assert invitation.unavailable == [{"start": "2030-09-10T07:00:00+00:00", "end": "2030-09-10T07:20:00+00:00"}]


def test_an_earlier_answer_shows_in_the_fields(client, db_session, make_user, login):
    round_, invitation = _invited(db_session, make_user)
    strategist = make_user("strategist", region="ostergotland", name="Stina Strateg")
    presenters = f"Stina Strateg <{strategist.email}>\nExtern Expert <ext@test.invalid>"
    service.answer_invitation(invitation, "yes", presenters, "2030-09-10 13:00–14:30", "", None)
    login(strategist)
    page = client.get(f"/dialogues/{round_.id}/answer").get_data(as_text=True)
    assert f'id="presenter-u{strategist.id}" name="presenter" value="u{strategist.id}" checked' in page
    assert 'value="Extern Expert"' in page and 'value="ext@test.invalid"' in page
    assert 'id="unavailable-0-date" name="unavailable-0-date" type="date" value="2030-09-10"' in page
    assert 'value="13:00"' in page and 'value="14:30"' in page


def test_an_end_before_the_start_is_refused_and_changes_nothing(client, db_session, make_user, login):
    round_, invitation = _invited(db_session, make_user)
    login(make_user("strategist", region="ostergotland"))
    response = client.post(f"/dialogues/{round_.id}/answer", data={
        "answer": "yes", "new-0-name": "Stina", "new-0-email": "stina@test.invalid",
        "unavailable-0-date": "2030-09-10", "unavailable-0-start": "10:00", "unavailable-0-end": "09:00"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and '<a href="#unavailable-0-end">' in html
    assert 'value="10:00"' in html, "what was typed stays in the form"
    db_session.refresh(invitation)
    assert invitation.answer == "pending" and invitation.unavailable == []


def test_yes_without_a_presenter_points_at_the_presenters(client, db_session, make_user, login):
    round_, invitation = _invited(db_session, make_user)
    login(make_user("strategist", region="ostergotland"))
    response = client.post(f"/dialogues/{round_.id}/answer?lang=en", data={"answer": "yes"})
    assert response.status_code == 400
    assert '<a href="#presenters">Name at least one presenter when the region presents.</a>' in \
        response.get_data(as_text=True)


def test_an_error_links_to_the_row_as_the_form_shows_it_again(client, db_session, make_user, login):
    round_, _invitation = _invited(db_session, make_user)
    login(make_user("strategist", region="ostergotland"))
    response = client.post(f"/dialogues/{round_.id}/answer", data={
        "answer": "no", "unavailable-0-date": "", "unavailable-0-start": "", "unavailable-0-end": "",
        "unavailable-1-date": "2030-09-10", "unavailable-1-start": "11:00", "unavailable-1-end": "10:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#unavailable-0-end">Tid ni inte kan 1: till-tiden måste vara efter från-tiden.</a>' in html
    assert 'id="unavailable-0-end" name="unavailable-0-end" type="time" value="10:00"' in html
