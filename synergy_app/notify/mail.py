"""Where messages go: an SMTP server named by MAIL_URL, or .eml files in instance/outbox/.

    smtp://user:pass@host:587?starttls=1   plain SMTP, upgraded with STARTTLS
    smtps://user:pass@host:465             SMTP over TLS from the first byte
    (unset)                                each message written to instance/outbox/<id>.eml
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TRUE = ("1", "true", "yes", "on")


class MailConfigError(ValueError):
    """MAIL_URL cannot be understood."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool  # TLS from the start (smtps)
    starttls: bool
    timeout: float = 30.0


def parse_mail_url(url: str) -> SmtpSettings:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError(f"MAIL_URL: the scheme must be smtp or smtps, not {parts.scheme!r}")
    if not parts.hostname:
        raise MailConfigError("MAIL_URL: the host is missing")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    tls = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if tls else 25)
        timeout = float(query.get("timeout", "30"))
    except ValueError as exc:
        raise MailConfigError(f"MAIL_URL: {exc}") from None
    return SmtpSettings(
        host=parts.hostname, port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls, starttls=not tls and query.get("starttls", "0").lower() in TRUE, timeout=timeout)


class SmtpBackend:
    """One connection for a batch of messages; `send` raises smtplib/OSError errors to the caller."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpBackend:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        # A TLS context loads the system's certificates (a tenth of a second): only when TLS is used.
        if s.tls:
            connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.starttls:
                connection.starttls(context=ssl.create_default_context())
        if s.username:
            connection.login(s.username, s.password or "")
        return connection

    def send(self, message: EmailMessage, sender: str, recipient: str, name: str) -> None:
        if self.connection is None:
            self.connection = self._open()
        try:
            self.connection.send_message(message, from_addr=sender, to_addrs=[recipient])
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            # The server closed an idle connection: once more on a fresh one.
            self.close()
            self.connection = self._open()
            self.connection.send_message(message, from_addr=sender, to_addrs=[recipient])

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


class FileBackend:
    """The embedded default: each message is an .eml file an admin can open (nothing is dropped)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self) -> FileBackend:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, message: EmailMessage, sender: str, recipient: str, name: str) -> None:
        path = self.folder / name
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(message.as_bytes())
        os.replace(temporary, path)  # whole files only: a reader never sees half a message

    def close(self) -> None:
        return None


def backend(config) -> SmtpBackend | FileBackend:
    url = config.get("MAIL_URL")
    if url:
        return SmtpBackend(parse_mail_url(url))
    return FileBackend(Path(config["MAIL_OUTBOX_DIR"]))
