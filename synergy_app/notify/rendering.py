"""Each kind of message as text and HTML in the recipient's language, with the ICS for invitations.

A message is rendered when it is sent, from the outbox row's payload and the current state of what
it is about (a moved booking is sent with its newest time and SEQUENCE)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import Message
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..db_types import utcnow
from ..dialogues import public as dialogues
from ..ics_writer import calendar_method
from ..stateaid.models import TOPICS
from . import mime, unsubscribe
from .kinds import BY_KEY

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "notify"
_jinja = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True))


class Gone(LookupError):
    """What the message was about no longer exists (nothing to send)."""


@dataclass
class Content:
    subject: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    link: str | None = None
    ics: bytes | None = None
    organizer: tuple[str, str] | None = None


def _t(lang: str, sv: str, en: str) -> str:
    return en if lang == "en" else sv


def _when(value: datetime | date | str | None) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


# What one batch of messages has read of the things it is about, keyed by (kind of reader, id, ...).
_BATCH: ContextVar[dict | None] = ContextVar("notify_rendering_batch", default=None)


@contextmanager
def one_batch() -> Iterator[None]:
    """Render the messages sent in this block from one read of each booking or round: its recipients (three
    for a new booking) get the same invitation, which need not be read and written out once for each."""
    token = _BATCH.set({})
    try:
        yield
    finally:
        _BATCH.reset(token)


def _read_once(reader, *key):
    read = _BATCH.get()
    if read is None:
        return reader(*key)
    entry = (reader, *key)
    if entry not in read:
        read[entry] = reader(*key)
    return read[entry]


# --- snabbdialog ----------------------------------------------------------------------------------


def _booking(kind: str, payload: dict, lang: str) -> Content:
    data = _read_once(dialogues.booking_for_mail, payload["booking_id"])
    if data is None:
        raise Gone(f"booking {payload['booking_id']}")
    when = _when(data["start"])
    theme, region = data["theme"], data["region"]
    if kind == "booking_cancelled" or data["cancelled"]:
        subject = _t(lang, f"Inställt: {region} i snabbdialogen {theme}, {when}",
                     f"Cancelled: {region} in the snabbdialog {theme}, {when}")
        lead = _t(lang, f"Passet för {region} i snabbdialogen {theme} den {when} är inställt.",
                  f"The slot of {region} in the snabbdialog {theme} on {when} is cancelled.")
    elif kind == "booking_moved":
        subject = _t(lang, f"Flyttat pass: {region} i snabbdialogen {theme}, nu {when}",
                     f"Moved slot: {region} in the snabbdialog {theme}, now {when}")
        lead = _t(lang, f"Passet för {region} i snabbdialogen {theme} är flyttat till {when}. "
                        "Kalenderinbjudan i meddelandet ersätter den tidigare.",
                  f"The slot of {region} in the snabbdialog {theme} has moved to {when}. "
                  "The calendar invitation in this message replaces the earlier one.")
    elif kind == "session_reminder":
        subject = _t(lang, f"Påminnelse: snabbdialogen {theme}, {when}",
                     f"Reminder: the snabbdialog {theme}, {when}")
        lead = _t(lang, f"{region} presenterar i snabbdialogen {theme} den {when} (tio minuter).",
                  f"{region} presents in the snabbdialog {theme} on {when} (ten minutes).")
    else:
        subject = _t(lang, f"Bokat: {region} i snabbdialogen {theme}, {when}",
                     f"Booked: {region} in the snabbdialog {theme}, {when}")
        lead = _t(lang, f"{region} har passet {when} i snabbdialogen {theme}.",
                  f"{region} has the slot {when} in the snabbdialog {theme}.")
    paragraphs = [lead, _t(lang, "Det är inte en ansökan om nationell finansiering.",
                           "It is not a request for national funding.")]
    if data["link"]:
        paragraphs.append(data["link"])
    ics = None if kind == "session_reminder" else data["ics"]
    return Content(subject, subject, paragraphs, link=data["url"], ics=ics, organizer=data["organizer"])


def _round(kind: str, payload: dict, lang: str) -> Content:
    method = payload.get("method", "REQUEST")
    data = _read_once(dialogues.round_for_mail, payload["round_id"], method)
    if data is None:
        raise Gone(f"round {payload['round_id']}")
    theme = data["theme"]
    if method == "CANCEL":
        subject = _t(lang, f"Inställd: snabbdialog {theme}", f"Cancelled: snabbdialog {theme}")
        lead = _t(lang, f"Snabbdialogen {theme} är inställd, med alla sina möten och bokade pass. "
                        "Kalenderhändelserna i meddelandet tar bort dem ur kalendern.",
                  f"The snabbdialog {theme} is cancelled, with all its meetings and booked slots. "
                  "The calendar events in this message remove them from your calendar.")
    else:
        subject = _t(lang, f"Inbjudan: snabbdialog {theme}", f"Invitation: snabbdialog {theme}")
        lead = _t(lang, f"Snabbdialog {theme}. Huvudman: {data['lead']}. "
                        "Varje region presenterar sina strategiska fokusområden i tio minuter.",
                  f"Snabbdialog {theme}. Lead: {data['lead']}. "
                  "Each region presents its strategic focus areas in ten minutes.")
    items = [f"{_when(start)}–{_when(end)[-5:]}" for start, end in data["meetings"]]
    return Content(subject, subject, [lead], items, link=data["url"], ics=data["ics"], organizer=data["organizer"])


def _feedback(kind: str, payload: dict, lang: str) -> Content:
    theme = payload["theme"]
    subject = _t(lang, f"Återkoppling: vad ledde snabbdialogen {theme} till?",
                 f"Feedback: what did the snabbdialog {theme} lead to?")
    lead = _t(lang, "Omgången är hållen. Berätta vad dialogen ledde till för er, så att uppföljningen blir komplett.",
              "The round has been held. Tell us what the dialogue led to for you, so the follow-up is complete.")
    return Content(subject, subject, [lead], link=payload.get("url"))


def _followup(kind: str, payload: dict, lang: str) -> Content:
    due = payload["due_date"]
    if payload.get("overdue"):
        subject = _t(lang, f"Försenad uppföljningsåtgärd (skulle vara klar {due})",
                     f"Overdue follow-up action (due {due})")
    else:
        subject = _t(lang, f"Uppföljningsåtgärd förfaller {due}", f"Follow-up action due {due}")
    lead = _t(lang, f"Från snabbdialogen {payload['theme']}:", f"From the snabbdialog {payload['theme']}:")
    return Content(subject, subject, [lead, payload["description"]], link=payload.get("url"))


# --- calls ------------------------------------------------------------------------------------------


def _call_dates(kind: str, payload: dict, lang: str) -> Content:
    title = payload["title"]
    subject = _t(lang, f"Ändrade datum: {title}", f"Dates changed: {title}")
    lead = _t(lang, f"Finansiären har ändrat datum i utlysningen {title} som du följer:",
              f"The funder has changed dates of the call {title} that you follow:")
    items = [f"{c['label']}: {_when(c['old'])} → {_when(c['new'])}" for c in payload["changes"]]
    return Content(subject, subject, [lead], items, link=payload.get("url"))


def _call_deadline(kind: str, payload: dict, lang: str) -> Content:
    title, days = payload["title"], payload["days"]
    subject = _t(lang, f"{days} dagar kvar: {title}", f"{days} days left: {title}")
    lead = _t(lang, f"Sista ansökningsdag för {title} är {payload['deadline']}.",
              f"The deadline of {title} is {payload['deadline']}.")
    return Content(subject, subject, [lead], link=payload.get("url"))


# --- taskforce --------------------------------------------------------------------------------------


def _ruling(kind: str, payload: dict, lang: str) -> Content:
    number, title = payload["number"], payload["title"]
    if payload["revision"] > 1:
        subject = _t(lang, f"Avgörande {number} reviderat (version {payload['revision']}): {title}",
                     f"Ruling {number} revised (version {payload['revision']}): {title}")
    else:
        subject = _t(lang, f"Avgörande {number} publicerat: {title}", f"Ruling {number} published: {title}")
    topics = [(TOPICS.get(t) or (t, t))[1 if lang == "en" else 0] for t in payload.get("topics", [])]
    lead = _t(lang, "Statsstödstaskforcens avgörande gäller frågorna:", "The taskforce's ruling concerns:")
    return Content(subject, subject, [lead], topics, link=payload.get("url"))


def _assessment(kind: str, payload: dict, lang: str) -> Content:
    subject = _t(lang, f"Bedömning begärs: {payload['title']}", f"Assessment requested: {payload['title']}")
    lead = _t(lang, "Ett gemensamt projekt har en flagga som ber statsstödstaskforcen om en bedömning:",
              "A joint project has a flag that asks the state-aid taskforce for an assessment:")
    return Content(subject, subject, [lead, _t(lang, payload["message_sv"], payload["message_en"])],
                   link=payload.get("url"))


def _digest(kind: str, payload: dict, lang: str) -> Content:
    subject = _t(lang, f"Veckosammanfattning {payload['week']}", f"Weekly digest {payload['week']}")
    lead = _t(lang, "Det här skickade arbetsytan till dig den senaste veckan:",
              "This is what the workspace sent you in the past week:")
    return Content(subject, subject, [lead], list(payload["subjects"]))


RENDERERS = {
    "round_invitation": _round,
    "booking_confirmed": _booking,
    "booking_moved": _booking,
    "booking_cancelled": lambda kind, payload, lang: (
        _booking if "booking_id" in payload else _round)(kind, payload, lang),
    "session_reminder": _booking,
    "feedback_request": _feedback,
    "followup_due": _followup,
    "call_dates_changed": _call_dates,
    "call_deadline": _call_deadline,
    "ruling_published": _ruling,
    "project_assessment": _assessment,
    "digest": _digest,
}


# --- the message ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    message: Message
    subject: str


def build(row, config) -> Built:
    """The e-mail for one outbox row (and its subject as text). Raises Gone when its subject no longer exists."""
    lang = row.locale if row.locale in ("sv", "en") else "sv"
    # Links are built with url_for; a worker or a cron job has no request to build them in.
    outside = nullcontext() if has_request_context() else current_app.test_request_context(
        "/", base_url=config.get("PUBLIC_BASE_URL") or "http://localhost")
    with outside:
        content = RENDERERS[row.kind](row.kind, row.payload or {}, lang)
    unsubscribe_url = unsubscribe.url(config, row.recipient_email, row.kind)
    kind_label = _t(lang, BY_KEY[row.kind].label_sv, BY_KEY[row.kind].label_en)
    footer = _t(lang, f"Du får det här från Synergiarbetsytan ({kind_label.lower()}).",
                f"You receive this from the Synergy workspace ({kind_label.lower()}).")
    unsubscribe_label = _t(lang, "Avsluta den här sortens meddelanden", "Stop this kind of message")
    link_label = _t(lang, "Öppna i arbetsytan", "Open in the workspace")
    text = "\n\n".join(p for p in [*content.paragraphs, "\n".join(f"- {i}" for i in content.items)] if p)
    if content.link:
        text += f"\n\n{link_label}: {content.link}"
    text += f"\n\n-- \n{footer}\n{unsubscribe_label}: {unsubscribe_url}\n"
    html = _jinja.get_template("email.html").render(
        lang=lang, subject=content.subject, heading=content.heading, paragraphs=content.paragraphs,
        items=content.items, link=content.link, link_label=link_label, footer=footer,
        unsubscribe_url=unsubscribe_url, unsubscribe_label=unsubscribe_label)
    sender_name, sender_email = config["MAIL_FROM_NAME"], config["MAIL_FROM"]
    method = calendar_method(content.ics) if content.ics is not None else None
    message = mime.message(text=text, html=html, ics=content.ics, method=method)
    message["Subject"] = mime.header_text(content.subject)
    message["From"] = mime.address(sender_name, sender_email)
    message["To"] = mime.address(row.recipient_name or row.recipient_email, row.recipient_email)
    if content.ics is not None and content.organizer:
        message["Reply-To"] = mime.address(*content.organizer)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = f"<outbox-{row.id}@{config['ICS_UID_DOMAIN']}>"  # the same on a retry
    message["Content-Language"] = lang
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{unsubscribe.one_click_url(config, row.recipient_email, row.kind)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Built(message, content.subject)
