"""E-mail messages carrying a calendar invitation (building only; sending is someone else's job).

Layout, the one Outlook, Gmail and Apple Mail all recognise as an invitation:

    multipart/mixed
      multipart/alternative
        text/plain                                    the human-readable text
        text/calendar; method=REQUEST; charset=UTF-8  the iTIP object clients act on
      application/ics (attachment invite.ics)         for clients that only offer a download

The MIME `method=` is taken from the calendar's own METHOD, so the two can never disagree; a
calendar without METHOD (a subscription feed) is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from icalendar import Calendar

from .invitations_ics import METHODS, calendar_method, to_ics
from .validation import FieldError, raise_if_errors


def _address(name: str, email: str, field_name: str, errors: list[FieldError]) -> Address | None:
    try:
        local, domain = email.rsplit("@", 1)
        if not local or not domain or "\n" in email or "\r" in email:
            raise ValueError(email)
        return Address(display_name=name, username=local, domain=domain)
    except ValueError:
        errors.append(
            FieldError(
                field_name,
                "invalid_email",
                f"Ogiltig e-postadress: {email!r}.",
                f"Invalid e-mail address: {email!r}.",
            )
        )
        return None


def invitation_email(
    calendar: Calendar | bytes,
    *,
    sender: tuple[str, str],
    recipients: Sequence[tuple[str, str]],
    subject: str,
    body_text: str,
    filename: str = "invite.ics",
    message_domain: str | None = None,
) -> EmailMessage:
    """Build the message. `sender` and each recipient are (display name, e-mail address).

    Raises `InvalidInput` when the calendar has no METHOD or one other than REQUEST/CANCEL, or when
    an address, the subject or the body is missing.
    """
    ics = calendar if isinstance(calendar, bytes) else to_ics(calendar)
    errors: list[FieldError] = []
    method = calendar_method(ics)
    if method not in METHODS:
        errors.append(
            FieldError(
                "calendar",
                "missing_method",
                "Kalendern saknar METHOD:REQUEST eller METHOD:CANCEL och kan inte skickas som inbjudan.",
                "The calendar has no METHOD:REQUEST or METHOD:CANCEL and cannot be sent as an invitation.",
            )
        )
    from_address = _address(sender[0], sender[1], "sender", errors)
    to_addresses = [
        _address(name, email, f"recipients[{index}]", errors) for index, (name, email) in enumerate(recipients)
    ]
    if not recipients:
        errors.append(FieldError("recipients", "required", "Ange minst en mottagare.", "Give at least one recipient."))
    if not subject.strip() or "\n" in subject or "\r" in subject:
        errors.append(FieldError("subject", "invalid", "Ange en ämnesrad på en rad.", "Give a one-line subject."))
    if not body_text.strip():
        errors.append(FieldError("body_text", "required", "Ange en meddelandetext.", "Give a message text."))
    raise_if_errors(errors)

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = from_address
    message["To"] = to_addresses
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=message_domain) if message_domain else make_msgid()
    message.set_content(body_text)
    # Bytes, not text: the email package would turn the calendar's CRLF line ends into LF, and
    # RFC 5545 requires CRLF. The calendar part is another view of the message; method= equals METHOD.
    message.add_alternative(
        ics, maintype="text", subtype="calendar", params={"method": method, "charset": "UTF-8"}, cte="base64"
    )
    message.make_mixed()
    message.add_attachment(ics, maintype="application", subtype="ics", filename=filename)
    return message
