"""A real HTTP server on loopback that serves a funder's calendar feed, for the feed tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def ics(deadline_a: str, deadline_b: str = "20270520T120000Z") -> bytes:
    events = []
    for key, title, deadline in (("a", "Flödestest A", deadline_a), ("b", "Flödestest B", deadline_b)):
        events.append(
            f"BEGIN:VEVENT\r\nUID:feedtest-{key}-opening@vinnova.se\r\nDTSTAMP:20261101T120000Z\r\n"
            f"SUMMARY:{title}: öppnar\r\nDTSTART;VALUE=DATE:20270201\r\nEND:VEVENT\r\n"
            f"BEGIN:VEVENT\r\nUID:feedtest-{key}-deadline@vinnova.se\r\nDTSTAMP:20261101T120000Z\r\n"
            f"SUMMARY:{title}: sista ansökningsdag\r\nDTSTART:{deadline}\r\nEND:VEVENT\r\n")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Feed//SV\r\n" + "".join(events)
            + "END:VCALENDAR\r\n").encode()


class FeedServer:
    """What the local server answers; `requests` counts GETs of the feed and keeps their headers."""

    def __init__(self):
        self.body = ics("20270415T120000Z")
        self.version = 1
        self.validators = True
        self.requests: list[dict[str, str]] = []
        self.base = ""
        self.redirect_to = ""

    def change(self, body: bytes) -> None:
        self.body = body
        self.version += 1

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def last_modified(self) -> str:
        return f"Mon, 0{self.version} Nov 2026 10:00:00 GMT"


def _handler(state: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def do_GET(self):
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", state.redirect_to)
                self.end_headers()
                return
            if self.path == "/unbounded":
                # No Content-Length: the size limit must hold while reading the chunks.
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.end_headers()
                self.wfile.write(b"BEGIN:VCALENDAR\r\n" + b"X" * 200_000)
                return
            state.requests.append(dict(self.headers))
            if state.validators and self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(state.body)))
            if state.validators:
                self.send_header("ETag", state.etag)
                self.send_header("Last-Modified", state.last_modified)
            self.end_headers()
            self.wfile.write(state.body)

    return Handler


@pytest.fixture
def feed_server():
    state = FeedServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_private(monkeypatch):
    monkeypatch.setenv("FEED_ALLOW_PRIVATE", "1")




@pytest.fixture
def tls_feed_server(tmp_path):
    """The same feed over HTTPS with a certificate for the name "localhost" only; yields (state, CA file)."""
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    state = FeedServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.base = f"https://localhost:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, cert
    server.shutdown()
    server.server_close()
