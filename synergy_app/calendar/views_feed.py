"""The personal calendar feed at its secret address: the calls the user follows and the user's snabbdialoger.

Served at /calendar/feed/<key>.ics and, for calendars that subscribed before there was one feed, at the
address the dialogue pages used to hand out (/dialogues/feed/<key>.ics): the same feed, the same secrets.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.access import PUBLIC, allow
from ..db_types import utcnow
from ..dialogues.public import feed_events_for_user
from ..extensions import db
from ..ics_writer import FeedHeader, feed, to_ics
from . import queries, service
from .export_ics import PRODID, REFRESH, call_entries
from .models import call_followers

bp = Blueprint("feeds", __name__)


def ics_response(body: bytes, filename: str, cache: str = "public") -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": f"{cache}, max-age=900",
    })


def with_links(calls, base: str):
    # Link each event to the call's page here when the funder gave no link of its own.
    return [c if c.url else replace(c, url=f"{base}/{c.extra['id']}") for c in calls]


@bp.get("/calendar/feed/<key>.ics")
@bp.get("/dialogues/feed/<key>.ics", endpoint="personal_feed_dialogue_address")
@allow(PUBLIC)
def personal_feed(key: str):
    user = service.user_for_feed_token(key)
    if user is None:
        abort(404)
    ids = list(db.session.scalars(select(call_followers.c.call_id).where(call_followers.c.user_id == user.id)))
    base = url_for("calendar.index", _external=True).rstrip("/") + "/calls"
    lang = user.locale or "sv"
    calls = with_links(queries.call_data_for_ids(ids), base)
    header = FeedHeader(prodid=PRODID, name=_("Mina utlysningar och dialoger"), refresh=REFRESH)
    events = [*call_entries(calls, lang), *feed_events_for_user(user)]
    return ics_response(to_ics(feed(events, utcnow(), header)), "mina-utlysningar.ics", cache="private")
