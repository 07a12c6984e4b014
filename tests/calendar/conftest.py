"""Fixtures for the call calendar's web, API and CLI tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from synergy_app.calendar.call_data import CallData, Deadline

from .feed_server import allow_private, feed_server, tls_feed_server  # noqa: F401  (fixtures of the feed tests)


def make_data(reference: str = "T-1", funder: str = "vinnova", **kw) -> CallData:
    values = dict(
        funder_slug=funder,
        title=f"Testutlysning {reference}",
        reference=reference,
        opens_on=date(2027, 2, 1),
        deadlines=(Deadline("", datetime(2027, 4, 15, 12, 0, tzinfo=UTC)),),
        decision_on=date(2027, 6, 10),
        earliest_start=date(2027, 8, 1),
        latest_start=date(2027, 10, 1),
        budget_sek=40_000_000_00,
        themes=("vinnova-hallbar-industri",),
        regions=("varmland",),
    )
    values.update(kw)
    return CallData(**values)


@pytest.fixture
def new_call(db_session):
    from synergy_app.calendar import service

    def _make(reference: str = "T-1", funder: str = "vinnova", **kw):
        return service.save_call(make_data(reference, funder, **kw), actor="test")

    return _make
