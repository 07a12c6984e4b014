"""`flask run-periodic [--dry-run]`, `flask outbox list|resend ID`, and `flask worker` without Redis."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from synergy_app.calendar import service as calendar_service
from synergy_app.calendar.call_data import Deadline
from synergy_app.calendar.models import call_followers
from synergy_app.notify.models import OutboxMessage

from ..calendar.conftest import make_data


def _deadline_in_three_days(db_session, make_user, email: str):
    follower = make_user("reader", email=email)
    today = datetime.now(UTC).date()
    deadline = date.fromordinal(today.toordinal() + 3)
    call = calendar_service.save_call(make_data("CLI-1", opens_on=date.fromordinal(today.toordinal() - 30),
                                                deadlines=(Deadline("", deadline),),
                                                decision_on=date.fromordinal(today.toordinal() + 60),
                                                earliest_start=None, latest_start=None), actor="test")
    db_session.execute(insert(call_followers).values(call_id=call.id, user_id=follower.id))
    db_session.commit()
    return call


def test_run_periodic_dry_run_prints_and_changes_nothing_then_a_pass_sends(app, db_session, make_user):
    _deadline_in_three_days(db_session, make_user, "cli@calls.test")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["run-periodic", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would send: call_deadline to cli@calls.test (sv)" in result.output
    assert db_session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_email == "cli@calls.test")) is None
    result = runner.invoke(args=["run-periodic"])
    assert result.exit_code == 0, result.output
    assert "queued: call_deadline to cli@calls.test" in result.output
    row = db_session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_email == "cli@calls.test"))
    assert row.status == "sent"
    again = runner.invoke(args=["run-periodic"])
    assert "cli@calls.test" not in again.output  # once, however often cron runs it

    listed = runner.invoke(args=["outbox", "list"])
    assert f"{row.id}\tsent\t1\tcall_deadline\tcli@calls.test" in listed.output
    resent = runner.invoke(args=["outbox", "resend", str(row.id)])
    assert resent.exit_code == 0 and f"message {row.id}: sent" in resent.output
    missing = runner.invoke(args=["outbox", "resend", "999999999"])
    assert missing.exit_code != 0 and "no message with id 999999999" in missing.output


def test_worker_needs_redis(app, db_session):
    before = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = None
    try:
        result = app.test_cli_runner().invoke(args=["worker"])
    finally:
        app.config["REDIS_URL"] = before
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_a_booking_message_is_rendered_outside_any_request(app, db_session, make_user, monkeypatch):
    """Workers and cron have no request: the links in an invitation still come out whole."""
    from email import message_from_bytes, policy
    from pathlib import Path

    from synergy_app.dialogues import service

    from ..dialogues.rounds_support import make_round, region, slots_of

    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://synergi.example.se")
    make_user("strategist", region="ostergotland", email="outside@region.test")
    round_ = make_round(db_session, make_user("planner"))
    service.book_slot(slots_of(db_session, round_)[0], region(db_session, "ostergotland"), None)
    result = app.test_cli_runner().invoke(args=["run-periodic"])
    assert result.exit_code == 0, result.output
    row = db_session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "booking_confirmed",
                                                        OutboxMessage.recipient_email == "outside@region.test"))
    assert row.status == "sent", row.last_error
    message = message_from_bytes((Path(app.config["MAIL_OUTBOX_DIR"]) / f"{row.id:08d}.eml").read_bytes(),
                                 policy=policy.default)
    assert f"https://synergi.example.se/dialogues/{round_.id}" in message.get_body(("plain",)).get_content()
