"""The schedule page slot by slot (grouped by day, each slot locked, unlocked or accepted on its own) and the
round page leading with what the round's state asks for: what is missing before, follow-up after."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlalchemy import func, select

from synergy_app.dialogues import service
from synergy_app.dialogues.models import Booking, Invitation, Slot
from synergy_app.dialogues.models_followup import FollowUpAction

from .rounds_support import DAY, make_round, region, slots_of

NEXT_WEEK = DAY + timedelta(days=7)


def _yes(db_session, round_, slug, people):
    invitation = db_session.scalar(select(Invitation).where(
        Invitation.round_id == round_.id, Invitation.region_id == region(db_session, slug).id))
    service.answer_invitation(invitation, "yes", people, "", "", None)


def _two_day_round(db_session, planner, *slugs):
    round_ = make_round(db_session, planner, open_for_booking=False, agencies=[], meetings=[
        service.local_interval(DAY, time(9, 0), time(9, 20)),
        service.local_interval(NEXT_WEEK, time(13, 0), time(13, 20))])
    service.invite_regions(round_, [region(db_session, s).id for s in slugs], planner)
    for n, slug in enumerate(slugs):
        _yes(db_session, round_, slug, f"Person {n} <p{n}@test.invalid>")
    pending = [w.key for w in service.pending_warnings(round_)]
    if pending:
        service.acknowledge_warnings(round_, pending, planner)
    return round_


def _proposed(round_) -> dict[str, str]:
    """Region slug -> slot id the proposal gives it."""
    return {a.region: a.slot_id for a in service.compute_schedule(round_).running_order[round_.id]}


def _bookings(db_session, round_) -> list[Booking]:
    return list(db_session.scalars(select(Booking).where(Booking.round_id == round_.id,
                                                         Booking.cancelled_at.is_(None))))


def test_schedule_page_groups_slots_by_day_in_both_languages(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = _two_day_round(db_session, planner, "ostergotland", "vastmanland")
    login(planner)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    first, second = page.index("tisdag 10 september 2030"), page.index("tisdag 17 september 2030")
    assert first < page.index("09:00–09:10") < second < page.index("13:00–13:10")
    assert page.count('class="day-heading"') == 2
    english = client.get(f"/dialogues/{round_.id}/schedule?lang=en").get_data(as_text=True)
    assert "Tuesday 10 September 2030" in english and "Lock" in english and "Accept" in english
    assert "Godkänn" not in english


def test_a_locked_region_stays_in_its_slot_and_the_others_move_around_it(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = _two_day_round(db_session, planner, "ostergotland", "vastmanland")
    slots = slots_of(db_session, round_)
    last = slots[-1]
    assert _proposed(round_)["ostergotland"] != str(last.id)
    login(planner)
    response = client.post(f"/dialogues/{round_.id}/schedule/slots/{last.id}/lock", data={"region": "ostergotland"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#slot-{last.id}")
    db_session.refresh(last)
    assert last.pinned and last.pinned_region_id == region(db_session, "ostergotland").id
    assert _proposed(round_)["ostergotland"] == str(last.id)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    row = page[page.index(f'id="slot-{last.id}"'):]
    row = row[:row.index("</li>")]
    assert "låst" in row and "Lås upp" in row and "Region Östergötland" in row
    assert not _bookings(db_session, round_)  # a lock books nobody

    # Locking the same region elsewhere moves the lock; unlocking frees the slot for the proposal again.
    client.post(f"/dialogues/{round_.id}/schedule/slots/{slots[1].id}/lock", data={"region": "ostergotland"})
    db_session.refresh(last)
    assert not last.pinned
    client.post(f"/dialogues/{round_.id}/schedule/slots/{slots[1].id}/unlock")
    assert db_session.scalar(select(func.count(Slot.id)).where(Slot.round_id == round_.id, Slot.pinned)) == 0


def test_placing_another_region_in_a_slot_is_a_lock_and_refuses_regions_not_presenting(client, make_user, login,
                                                                                      db_session):
    planner = make_user("planner")
    round_ = _two_day_round(db_session, planner, "ostergotland", "vastmanland")
    first = slots_of(db_session, round_)[0]
    login(planner)
    client.post(f"/dialogues/{round_.id}/schedule/slots/{first.id}/lock", data={"region": "skane"})
    db_session.refresh(first)
    assert not first.pinned
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "Välj en av regionerna som presenterar i omgången." in page
    client.post(f"/dialogues/{round_.id}/schedule/slots/{first.id}/lock", data={"region": "vastmanland"})
    assert _proposed(round_)["vastmanland"] == str(first.id)


def test_accepting_one_placement_books_only_that_region(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = _two_day_round(db_session, planner, "ostergotland", "vastmanland")
    proposed = _proposed(round_)
    slot_id = int(proposed["vastmanland"])
    login(planner)
    response = client.post(f"/dialogues/{round_.id}/schedule/slots/{slot_id}/accept",
                           data={"region": "vastmanland"})
    assert response.status_code == 303
    bookings = _bookings(db_session, round_)
    assert [(b.region.slug, b.slot_id) for b in bookings] == [("vastmanland", slot_id)]
    slot = db_session.get(Slot, slot_id)
    assert slot.pinned and slot.pinned_region_id == region(db_session, "vastmanland").id
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    row = page[page.index(f'id="slot-{slot_id}"'):]
    row = row[:row.index("</li>")]
    assert "bokad" in row and "låst" in row and "/accept" not in row
    # Östergötland is still only proposed, with its own accept button.
    other = page[page.index(f'id="slot-{proposed["ostergotland"]}"'):]
    assert "/accept" in other[:other.index("</li>")]


def test_accepting_a_placement_that_is_no_longer_proposed_books_nothing(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = _two_day_round(db_session, planner, "ostergotland", "vastmanland")
    slot_id = int(_proposed(round_)["vastmanland"])
    login(planner)
    client.post(f"/dialogues/{round_.id}/schedule/slots/{slot_id}/accept", data={"region": "ostergotland"})
    assert not _bookings(db_session, round_)
    page = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "Förslaget för passet har ändrats" in page


def test_planned_round_page_leads_with_what_is_missing(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner, open_for_booking=False, agencies=[])
    service.invite_regions(round_, [region(db_session, s).id for s in ("ostergotland", "vastmanland", "skane")],
                           planner)
    _yes(db_session, round_, "vastmanland", "V <v@test.invalid>")
    login(planner)
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    state = page[page.index('id="round-state"'):]
    state = state[:state.index("</section>")]
    assert page.index('id="round-state"') < page.index('id="plan-heading"')
    assert "Det här saknas inför mötet" in state
    assert "2 regioner har inte svarat: Region Skåne, Region Östergötland." in state
    assert "1 region har tackat ja men har inget pass: Region Västmanland." in state
    assert "Inbjudningarna är inte skickade." in state
    assert "Skicka inbjudningar" in page
    english = client.get(f"/dialogues/{round_.id}?lang=en").get_data(as_text=True)
    assert "2 regions have not answered" in english and "What is missing before the meeting" in english


def test_held_round_page_leads_with_follow_up_not_invitations(client, make_user, login, db_session):
    planner = make_user("planner")
    round_ = make_round(db_session, planner)
    from synergy_app.dialogues import service_followup
    from synergy_app.directory.models import Organisation

    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    service_followup.add_action(round_, region=None, owner_kind="agency", owner=vinnova,
                                description="Skicka underlag", due_date=date(2020, 1, 1), actor=planner)
    service.set_status(round_, "held", planner)
    login(planner)
    page = client.get(f"/dialogues/{round_.id}").get_data(as_text=True)
    state = page[page.index('id="round-state"'):]
    state = state[:state.index("</section>")]
    assert "Ingen återkoppling är rapporterad ännu." in state
    assert "1 åtgärd är öppen." in state and "1 är försenad." in state
    assert "/follow-up#feedback-h" in state and "/follow-up#actions-h" in state
    assert "Skicka uppdaterade inbjudningar" not in page and f"/dialogues/{round_.id}/send" not in page
    assert db_session.scalar(select(func.count(FollowUpAction.id)).where(FollowUpAction.round_id == round_.id)) == 1
    english = client.get(f"/dialogues/{round_.id}?lang=en").get_data(as_text=True)
    assert "No feedback has been reported yet." in english

    # A held round's schedule is a record: no controls, and a lock is refused.
    schedule = client.get(f"/dialogues/{round_.id}/schedule").get_data(as_text=True)
    assert "/lock" not in schedule and "Lägg hela schemat" not in schedule
    slot = slots_of(db_session, round_)[0]
    client.post(f"/dialogues/{round_.id}/schedule/slots/{slot.id}/lock", data={"region": "ostergotland"})
    db_session.refresh(slot)
    assert not slot.pinned


def _visible_text(html: str, heading_id: str) -> str:
    """The words of the section under `heading_id`, as a reader sees them (no attribute values)."""
    start = html.index(f'id="{heading_id}"')
    section = html[start:html.index("</section>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", section.split(">", 1)[1]).split())


SLUGS = ("ostergotland", "vastmanland", "skane")


def test_schedule_messages_name_regions_by_name_never_by_slug(client, make_user, login, db_session):
    planner = make_user("planner")
    login(planner)
    # One slot, and Östergötland has said it cannot come then: a warning to acknowledge.
    warned = make_round(db_session, planner, open_for_booking=False, agencies=[], theme="Testbäddar",
                        meetings=[service.local_interval(DAY, time(9, 0), time(9, 10))])
    service.invite_regions(warned, [region(db_session, "ostergotland").id], planner)
    invitation = db_session.scalar(select(Invitation).where(Invitation.round_id == warned.id))
    service.answer_invitation(invitation, "yes", "Anna Andersson <anna@test.invalid>", "2030-09-10 09:00–09:10",
                              "", None)
    for lang, words in (("sv", "har angett att de inte kan"), ("en", "said they cannot attend")):
        text = _visible_text(client.get(f"/dialogues/{warned.id}/schedule?lang={lang}").get_data(as_text=True),
                             "warn-heading")
        assert f"Region Östergötland {words} 2030-09-10 09:00–09:10" in text
        assert not any(slug in text for slug in SLUGS), text

    # One slot for two presenting regions: no schedule, and the reason names the round and both regions.
    crowded = make_round(db_session, planner, open_for_booking=False, agencies=[], theme="Cirkulär produktion",
                         meetings=[service.local_interval(DAY, time(11, 0), time(11, 10))])
    service.invite_regions(crowded, [region(db_session, s).id for s in ("ostergotland", "vastmanland")], planner)
    for n, slug in enumerate(("ostergotland", "vastmanland")):
        _yes(db_session, crowded, slug, f"Person {n} <p{n}@test.invalid>")
    for lang, round_words, rule in (("sv", "Omgången ”Cirkulär produktion”", "en region per pass"),
                                    ("en", "The round “Cirkulär produktion”", "one region per slot")):
        text = _visible_text(client.get(f"/dialogues/{crowded.id}/schedule?lang={lang}").get_data(as_text=True),
                             "conflict-heading")
        assert round_words in text and "Region Östergötland" in text and "Region Västmanland" in text
        assert rule in text
        assert not any(slug in text for slug in SLUGS), text
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no rule by its code name

    # Laying the schedule anyway (a page left open before a region said yes) is refused in the same words.
    for lang, refused in (("sv", "kan bara placeras i 1 pass"), ("en", "can only be placed in 1 slot")):
        html = client.post(f"/dialogues/{crowded.id}/schedule/apply?lang={lang}",
                           follow_redirects=True).get_data(as_text=True)
        flashes = html[html.index('class="flashes"'):html.index("</div>", html.index('class="flashes"'))]
        text = " ".join(re.sub(r"<[^>]+>", " ", flashes.split(">", 1)[1]).split())
        assert refused in text and "Region Östergötland" in text and "Region Västmanland" in text, text
        assert not any(slug in text for slug in SLUGS), text
    assert db_session.scalar(select(func.count(Booking.id)).where(Booking.round_id == crowded.id)) == 0
