"""The MIME of an outgoing message, built with the email package's compat32 classes.

The same layout as `dialogues.invitation_email` (which builds downloadable .eml files):

    multipart/alternative                          (a message without a calendar)
      text/plain, text/html
    multipart/mixed                                (an invitation or a cancellation)
      multipart/alternative
        text/plain, text/html
        text/calendar; method=REQUEST|CANCEL       the iTIP object clients act on; method= equals METHOD
      application/ics (attachment invite.ics)

compat32 stores headers as given and writes them without re-parsing: building and serialising a message
costs a fraction of what `EmailMessage` (whose headers are parsed on every assignment) does, which counts
when a worker sends thousands. Non-ASCII names and subjects are RFC 2047-encoded here."""

from __future__ import annotations

from email.charset import BASE64, QP, Charset
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import formataddr

_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
_UTF8_QP.header_encoding = QP  # subjects and names as =?utf-8?q?…?=, readable in the raw message
_UTF8_B64 = Charset("utf-8")
_UTF8_B64.body_encoding = BASE64


class _AsGiven(Compat32):
    """Headers written as given: the values made here are ASCII on one line (up to RFC 5322's 998
    characters: a long List-Unsubscribe address stays whole), or encoded words that header_text folded
    at 76. compat32 would run every header through its folding algorithm again; anything else still is."""

    def _fold(self, name, value, sanitize):
        if isinstance(value, str) and value.isascii() and "\r" not in value:
            first, *rest = value.split("\n")
            if all(line[:1] in (" ", "\t") for line in rest):  # continuation lines only: no new header
                return f"{name}: {self.linesep.join([first, *rest])}{self.linesep}"
        return super()._fold(name, value, sanitize)


POLICY = _AsGiven(max_line_length=998)


def header_text(value: str) -> str:
    """A header value on one line: as it is when ASCII, RFC 2047-encoded (and folded) otherwise."""
    value = " ".join(value.splitlines())
    return value if value.isascii() else Header(value, _UTF8_QP, maxlinelen=76).encode()


def address(name: str, email: str) -> str:
    """`Name <local@domain>`, the name encoded when it is not ASCII."""
    return formataddr((name, email), charset=_UTF8_QP) if name else email


def _text(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, policy=POLICY)
    part.set_payload(body, charset=_UTF8_QP)
    return part


def _calendar(ics: bytes, method: str, maintype: str, subtype: str, **params) -> MIMEBase:
    # Base64 keeps the calendar's CRLF line ends (RFC 5545) exactly as they are.
    part = MIMEBase(maintype, subtype, policy=POLICY, **params)
    part.set_payload(ics.decode("utf-8"), charset=_UTF8_B64)
    if maintype == "text":
        part.set_param("method", method)
    return part


def message(*, text: str, html: str, ics: bytes | None = None, method: str | None = None) -> MIMEMultipart:
    """The body of a message; the caller adds the headers."""
    alternative = MIMEMultipart("alternative", policy=POLICY)
    alternative.attach(_text(text, "plain"))
    alternative.attach(_text(html, "html"))
    if ics is None:
        return alternative
    alternative.attach(_calendar(ics, method, "text", "calendar"))
    mixed = MIMEMultipart("mixed", policy=POLICY)
    mixed.attach(alternative)
    attachment = _calendar(ics, method, "application", "ics", name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    mixed.attach(attachment)
    return mixed
