"""What is sent and when: changed call dates, reminders, follow-up actions, deadlines; settings and
unsubscribing; the embedded default (.eml files) and the admins' outbox with its resend button."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import insert, select

from synergy_app.calendar import service as calendar_service
from synergy_app.calendar.call_data import Deadline
from synergy_app.calendar.models import call_followers
from synergy_app.clock import STOCKHOLM
from synergy_app.dialogues import service
from synergy_app.dialogues.models_followup import FollowUpAction
from synergy_app.directory.models import Organisation
from synergy_app.jobs import periodic
from synergy_app.notify import unsubscribe
from synergy_app.notify.models import OutboxMessage

from ..calendar.conftest import make_data
from ..dialogues.rounds_support import make_round, region, slots_of
from .conftest import SMTP_PORT


def _rows(db_session, kind: str) -> list[OutboxMessage]:
    return list(db_session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def _follow(db_session, call, user) -> None:
    db_session.execute(insert(call_followers).values(call_id=call.id, user_id=user.id))


def test_a_followed_calls_changed_deadline_reaches_its_followers_once(client, make_user, login, db_session,
                                                                       mailbox):
    follower = make_user("reader", email="follower@calls.test")
    make_user("reader", email="bystander@calls.test")
    call = calendar_service.save_call(make_data("N-1"), actor="test")
    _follow(db_session, call, follower)
    moved = make_data("N-1", deadlines=(Deadline("", datetime(2027, 4, 29, 12, 0, tzinfo=UTC)),))
    calendar_service.save_call(moved, actor="test")
    calendar_service.save_call(moved, actor="test")  # the same content again: no new change, no new notice
    [row] = _rows(db_session, "call_dates_changed")
    assert row.recipient_email == "follower@calls.test"
    login(follower)
    client.get("/")  # without a queue, committed messages go out at the end of a request
    [message] = mailbox.to("follower@calls.test")
    body = message.get_body(("plain",)).get_content()
    assert "Testutlysning N-1" in message["Subject"]
    assert "2027-04-15 14:00 → 2027-04-29 14:00" in body  # old → new, in Swedish time
    assert mailbox.to("bystander@calls.test") == []


def test_reminder_48_hours_before_is_queued_once_however_often_the_pass_runs(db_session, make_user):
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="remind@region.test")
    round_ = make_round(db_session, planner)
    slot = slots_of(db_session, round_)[3]
    booking = service.book_slot(slot, region(db_session, "ostergotland"), None)
    too_early = slot.starts_at - timedelta(hours=49)
    assert [r for r in periodic.run_pass(too_early) if r["kind"] == "session_reminder"] == []
    now = slot.starts_at - timedelta(hours=47)
    first = [r for r in periodic.run_pass(now) if r["kind"] == "session_reminder"]
    second = [r for r in periodic.run_pass(now + timedelta(hours=1)) if r["kind"] == "session_reminder"]
    assert [r["recipient"] for r in first] == ["remind@region.test"] and second == []
    [reminder] = _rows(db_session, "session_reminder")
    assert reminder.payload["booking_id"] == booking.id


def test_follow_up_action_due_then_overdue_weekly(db_session, make_user):
    planner = make_user("planner", email="owner@vinnova.test")
    round_ = make_round(db_session, planner)
    vinnova = db_session.scalar(select(Organisation).where(Organisation.slug == "vinnova"))
    action = FollowUpAction(round_id=round_.id, owner_kind="agency", owner_organisation_id=vinnova.id,
                            description="Ta fram en gemensam utlysningsplan", due_date=date(2031, 3, 10),
                            status="open", created_by_id=planner.id)
    db_session.add(action)
    db_session.commit()

    def keys(day: date) -> list[str]:
        at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        return [r["event_key"] for r in periodic.run_pass(at) if r["kind"] == "followup_due"
                and r["recipient"] == "owner@vinnova.test"]

    assert keys(date(2031, 3, 1)) == []  # more than 7 days ahead
    assert len(keys(date(2031, 3, 4))) == 1  # due within 7 days
    assert keys(date(2031, 3, 5)) == []  # once
    assert len(keys(date(2031, 3, 11))) == 1  # overdue
    assert keys(date(2031, 3, 16)) == []  # not again within the week
    assert len(keys(date(2031, 3, 18))) == 1  # a week later
    action.status = "done"
    db_session.commit()
    assert keys(date(2031, 3, 25)) == []


def test_deadline_notices_14_and_3_days_before(db_session, make_user):
    follower = make_user("reader", email="deadline@calls.test")
    call = calendar_service.save_call(make_data("N-2", deadlines=(Deadline("", date(2027, 4, 20)),)), actor="test")
    _follow(db_session, call, follower)
    db_session.commit()

    def days(day: date) -> list[int]:
        at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        return [r["event_key"] for r in periodic.run_pass(at) if r["kind"] == "call_deadline"]

    assert days(date(2027, 4, 1)) == []
    assert len(days(date(2027, 4, 6))) == 1  # 14 days before
    assert days(date(2027, 4, 10)) == []
    assert len(days(date(2027, 4, 17))) == 1  # 3 days before
    assert days(date(2027, 4, 18)) == []


def test_dry_run_lists_and_changes_nothing(app, db_session, make_user):
    follower = make_user("reader", email="dry@calls.test")
    call = calendar_service.save_call(make_data("N-3", deadlines=(Deadline("", date(2027, 4, 20)),)), actor="test")
    _follow(db_session, call, follower)
    db_session.commit()
    at = datetime(2027, 4, 17, 8, tzinfo=UTC)
    rows = periodic.run_pass(at, dry_run=True)
    assert [r["recipient"] for r in rows if r["kind"] == "call_deadline"] == ["dry@calls.test"]
    assert _rows(db_session, "call_deadline") == []


def test_settings_on_the_profile_turn_a_kind_off(client, make_user, login, db_session):
    user = make_user("reader", email="quiet@calls.test")
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="kinds" value="call_dates_changed" checked' in page
    kinds = ["booking_confirmed", "call_deadline"]
    assert client.post("/profile/notifications", data={"kinds": kinds}).status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert 'value="call_dates_changed" checked' not in page and 'value="call_deadline" checked' in page
    call = calendar_service.save_call(make_data("N-4"), actor="test")
    _follow(db_session, call, user)
    calendar_service.save_call(make_data("N-4", decision_on=date(2027, 6, 20)), actor="test")
    assert _rows(db_session, "call_dates_changed") == []


def test_one_click_unsubscribe(app, client, make_user, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production: no form, no token
    user = make_user("reader", email="unsub@calls.test")
    one_click = unsubscribe.one_click_url(app.config, user.email, "call_dates_changed")
    path = one_click.split("://", 1)[1].split("/", 1)[1]
    # Opened in a browser, the address leads to the confirmation page.
    page = client.get(f"/{path}", follow_redirects=True)
    assert page.status_code == 200 and "unsub@calls.test" in page.get_data(as_text=True)
    # RFC 8058: the mail client posts List-Unsubscribe=One-Click, without a session or a CSRF token.
    response = client.post(f"/{path}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.get_json()["unsubscribed"] == {"email": "unsub@calls.test", "kind": "call_dates_changed"}
    call = calendar_service.save_call(make_data("N-5"), actor="test")
    _follow(db_session, call, user)
    calendar_service.save_call(make_data("N-5", decision_on=date(2027, 6, 20)), actor="test")
    assert _rows(db_session, "call_dates_changed") == []
    forged = client.post("/api/v1/unsubscribe/forged-token")
    assert forged.status_code == 400 and forged.get_json()["error"]["field"] == "key"


def test_the_unsubscribe_page_asks_and_its_form_unsubscribes(app, client, make_user, db_session):
    user = make_user("reader", email="page@calls.test")
    token = unsubscribe.token(app.config["SECRET_KEY"], user.email, "call_deadline")
    page = client.get(f"/notifications/unsubscribe/{token}").get_data(as_text=True)
    assert "Sluta skicka meddelanden av sorten ”Sista ansökningsdag" in page and "page@calls.test" in page
    done = client.post(f"/notifications/unsubscribe/{token}")
    assert done.status_code == 200 and "får inte längre meddelanden" in done.get_data(as_text=True)
    from synergy_app.notify import service as notify_service

    assert notify_service.preferences("page@calls.test")["call_deadline"] is False
    assert client.get("/notifications/unsubscribe/forged-token").status_code == 400


def test_embedded_default_writes_eml_files_listed_for_admins(app, client, make_user, login, db_session):
    assert not app.config.get("MAIL_URL")
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="file@region.test")
    round_ = make_round(db_session, planner)
    booking = service.book_slot(slots_of(db_session, round_)[5], region(db_session, "vastmanland"), None)
    login(make_user("admin"))
    client.get("/")
    row = db_session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "round_invitation",
                                                        OutboxMessage.recipient_email == "file@region.test"))
    assert row.status == "sent"
    path = Path(app.config["MAIL_OUTBOX_DIR"]) / f"{row.id:08d}.eml"
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "file@region.test"
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "file@region.test" in page and f"{row.id:08d}.eml" in page
    # Statuses and kinds read as words, not as the stored keys.
    assert "<td>Skickat</td>" in page and "Inbjudan till en snabbdialog" in page
    assert ">sent (" not in page and "round_invitation" not in page
    assert booking.id


def test_failure_is_retried_later_visible_to_admins_and_resent(app, client, make_user, login, db_session,
                                                               mailbox):
    follower = make_user("reader", email="retry@calls.test")
    call = calendar_service.save_call(make_data("N-6"), actor="test")
    _follow(db_session, call, follower)
    app.config["MAIL_URL"] = "smtp://127.0.0.1:1"  # nothing listens there
    calendar_service.save_call(make_data("N-6", decision_on=date(2027, 6, 20)), actor="test")
    admin = make_user("admin")
    login(admin)
    [row] = _rows(db_session, "call_dates_changed")
    db_session.refresh(row)
    assert row.status == "pending" and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=30)  # backoff, not at once
    page = client.get("/admin/outbox?status=pending").get_data(as_text=True)
    assert "ConnectionRefusedError" in page
    app.config["MAIL_URL"] = mailbox_url = f"smtp://127.0.0.1:{SMTP_PORT}"
    assert client.post(f"/admin/outbox/{row.id}/resend").status_code == 302
    db_session.refresh(row)
    assert row.status == "sent" and mailbox_url
    assert len(mailbox.to("retry@calls.test")) == 1


def test_a_member_following_the_question_hears_of_a_published_and_a_revised_ruling(
        client, make_user, login, db_session, mailbox):
    from synergy_app.stateaid import rulings_service

    from ..stateaid.test_rulings_flow import FORM

    writer = make_user("taskforce", email="writer@taskforce.test")
    member = make_user("taskforce", email="member@taskforce.test")
    other = make_user("taskforce", email="other@taskforce.test")
    make_user("reader", email="reader@taskforce.test")
    login(member)
    response = client.post("/stateaid/questions/follow", data={"topic": "intermediary_services"})
    assert response.status_code == 303
    client.post("/logout")
    login(other)
    client.post("/stateaid/questions/follow", data={"topic": "de_minimis"})  # another question
    client.post("/logout")
    data = {k: v for k, v in FORM.items() if k != "reason"}  # on intermediary_services
    ruling = rulings_service.create_ruling(data, writer)
    assert _rows(db_session, "ruling_published") == []  # a draft is not published
    rulings_service.agree_ruling(ruling, writer)
    rulings_service.revise_ruling(ruling, {**data, "facts": "Nya fakta om klustret"}, "Kompletterade fakta", writer)
    rows = _rows(db_session, "ruling_published")
    assert {r.recipient_email for r in rows} == {"member@taskforce.test"}
    assert sorted({r.payload["revision"] for r in rows}) == [1, 2]
    login(member)
    client.get("/")
    subjects = sorted(str(m["Subject"]) for m in mailbox.to("member@taskforce.test"))
    assert len(subjects) == 2
    assert subjects[0].startswith(f"Avgörande {ruling.number} publicerat")
    assert subjects[1].startswith(f"Avgörande {ruling.number} reviderat (version 2)")
    body = mailbox.to("member@taskforce.test")[0].get_body(("plain",)).get_content()
    assert "Intermediärer som levererar offentligt finansierade tjänster till företag" in body
    assert mailbox.to("other@taskforce.test") == [] and mailbox.to("writer@taskforce.test") == []


def test_following_and_unfollowing_a_question_from_the_ruling_page_and_the_profile(
        client, make_user, login, db_session):
    from synergy_app.stateaid import rulings_service

    from ..stateaid.test_rulings_flow import FORM

    writer = make_user("taskforce", email="writer2@taskforce.test")
    member = make_user("taskforce", email="member2@taskforce.test")
    ruling = rulings_service.create_ruling({k: v for k, v in FORM.items() if k != "reason"}, writer)
    rulings_service.agree_ruling(ruling, writer)
    login(member)
    page = client.get(f"/stateaid/rulings/{ruling.id}").get_data(as_text=True)
    assert "Följ frågan: Intermediärer som levererar" in page
    response = client.post("/stateaid/questions/follow", data={
        "topic": "intermediary_services", "next": f"/stateaid/rulings/{ruling.id}"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Du följer nu frågan Intermediärer som levererar" in text and "du följer frågan" in text
    profile = client.get("/profile").get_data(as_text=True)
    assert "Frågor du följer i statsstödsavgörandena" in profile
    assert "Intermediärer som levererar offentligt finansierade tjänster till företag" in profile
    bad = client.post("/stateaid/questions/follow", data={"topic": "no_such_question"}, follow_redirects=True)
    assert "Välj en fråga ur listan." in bad.get_data(as_text=True)
    client.post("/stateaid/questions/unfollow", data={"topic": "intermediary_services"})
    assert "Du följer inga frågor." in client.get("/profile").get_data(as_text=True)
    en = client.get("/profile?lang=en").get_data(as_text=True)
    assert "Questions you follow in the state-aid rulings" in en


def test_a_held_round_asks_its_people_for_aterkoppling_once(db_session, make_user):
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="feedback@region.test")
    round_ = make_round(db_session, planner)
    service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), None)
    now = datetime.now(UTC)
    assert [r for r in periodic.run_pass(now) if r["kind"] == "feedback_request"] == []  # not held yet
    service.set_status(round_, "held", planner)
    first = [r["recipient"] for r in periodic.run_pass(now) if r["kind"] == "feedback_request"]
    assert "feedback@region.test" in first
    assert [r for r in periodic.run_pass(now + timedelta(days=1)) if r["kind"] == "feedback_request"] == []


def test_redis_down_at_commit_keeps_the_change_and_the_message(app, db_session, make_user):
    planner = make_user("planner")
    make_user("strategist", region="ostergotland", email="down@region.test")
    round_ = make_round(db_session, planner)
    before = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        booking = service.book_slot(slots_of(db_session, round_)[2], region(db_session, "ostergotland"), None)
    finally:
        app.config["REDIS_URL"] = before
    row = db_session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "booking_confirmed",
                                                        OutboxMessage.recipient_email == "down@region.test"))
    assert booking.id and row.status == "pending"  # the workers' drain sends it when Redis is back


def _same_week(now: datetime, *, minutes: int) -> datetime:
    """A later pass in the same Stockholm ISO week (a run near Monday midnight steps back instead)."""
    def week(moment: datetime) -> tuple[int, int]:
        return moment.astimezone(STOCKHOLM).isocalendar()[:2]
    later = now + timedelta(minutes=minutes)
    return later if week(later) == week(now) else now - timedelta(minutes=minutes)


def test_weekly_digest_for_those_who_ask_once_a_week(client, make_user, login, db_session, mailbox):
    follower = make_user("reader", email="digest@calls.test")
    other = make_user("reader", email="nodigest@calls.test")
    call = calendar_service.save_call(make_data("N-7"), actor="test")
    _follow(db_session, call, follower)
    _follow(db_session, call, other)
    login(follower)
    client.post("/profile/notifications", data={"kinds": ["call_dates_changed", "digest"]})
    calendar_service.save_call(make_data("N-7", decision_on=date(2027, 6, 20)), actor="test")
    client.get("/")  # the change notices go out
    now = datetime.now(UTC)
    first = [r for r in periodic.run_pass(now) if r["kind"] == "digest"]
    assert [r["recipient"] for r in first] == ["digest@calls.test"]
    assert [r for r in periodic.run_pass(_same_week(now, minutes=15)) if r["kind"] == "digest"] == []
    client.get("/")
    [digest] = [m for m in mailbox.to("digest@calls.test") if m["Subject"].startswith("Veckosammanfattning")]
    assert "Ändrade datum: Testutlysning N-7" in digest.get_body(("plain",)).get_content()


def test_a_project_flag_asking_for_assessment_reaches_the_taskforce_once(db_session, make_user):
    from synergy_app.projects.demo import DEMO_TITLE, seed_demo
    from synergy_app.projects.models import Project, ProjectRulingLink

    make_user("taskforce", email="assess@taskforce.test")
    seed_demo()
    project_id = db_session.scalar(select(Project.id).where(Project.title == DEMO_TITLE))
    now = datetime.now(UTC)

    def asked() -> list[dict]:
        return [r for r in periodic.run_pass(now) if r["kind"] == "project_assessment"
                and r["event_key"].startswith(f"project_assessment:{project_id}:")]

    # A ruling linked to the flag answers it: nobody is asked.
    link = ProjectRulingLink(project_id=project_id, flag_code="INDIRECT_AID_VIA_INTERMEDIARY", ruling_id=1)
    db_session.add(link)
    db_session.commit()
    assert asked() == []
    db_session.delete(link)
    db_session.commit()
    first = asked()
    assert [r["recipient"] for r in first] == ["assess@taskforce.test"]
    assert first[0]["event_key"] == f"project_assessment:{project_id}:INDIRECT_AID_VIA_INTERMEDIARY"
    # The link lands on the flags waiting for the assessment, at the top of the project page.
    [notice] = _rows(db_session, "project_assessment")
    assert notice.payload["url"].endswith(f"/projects/{project_id}#bedomning")
    assert asked() == []  # once
