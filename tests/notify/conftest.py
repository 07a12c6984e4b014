"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the notification tests."""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    # A port no other test process holds (parallel runs each start their own SMTP server).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SMTP_PORT = _free_port()


class Mailbox:
    """What the server accepted, one parsed message per recipient envelope."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], object]] = []
        self.rcpt_delay = 0.0  # seconds each RCPT waits (to catch a worker in the middle of a send)

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
        self.rcpt_delay = 0.0

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpt, m in self.messages if address.lower() in [r.lower() for r in rcpt]]

    def all(self) -> list:
        with self.lock:
            return [m for _rcpt, m in self.messages]

    def wait_for(self, count: int, timeout: float = 30.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.all()) >= count:
                return self.all()
            time.sleep(0.05)
        return self.all()

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            import asyncio

            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def mailbox(app, smtp_server):
    """The SMTP server, empty, with the app sending to it for this test."""
    smtp_server.clear()
    before = app.config.get("MAIL_URL")
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}"
    yield smtp_server
    app.config["MAIL_URL"] = before
    smtp_server.clear()


def calendar_part(message):
    """The text/calendar alternative and the attached invite.ics of a message, as (method param, bytes, bytes)."""
    inline = attached = None
    method = None
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            inline = part.get_payload(decode=True)
            method = part.get_param("method")
        elif part.get_content_type() == "application/ics":
            attached = part.get_payload(decode=True)
    return method, inline, attached
