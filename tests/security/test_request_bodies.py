"""Request bodies are limited on the bytes read: a chunked body (no Content-Length) over the API's 5 MB or
the application's 20 MB gets 413 with the usual JSON error or page, never a body cut at the limit and parsed.

The test client simulates a chunked request the way a WSGI server presents one (no Content-Length,
``wsgi.input_terminated``); the last test sends real chunked requests to gunicorn.
"""

from __future__ import annotations

import http.client
import io
import json
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.live import FLASK, live_database, prepare, running_server, server_env
from tests.stateaid.conftest import EXAMPLE

API_LIMIT = 5 * 1024 * 1024


def _chunked(client, path: str, body: bytes, headers: dict):
    """A POST whose body has no Content-Length, as a server presents a chunked request."""
    return client.post(path, input_stream=io.BytesIO(body), headers={**headers, "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


def _padded_document(size: int) -> bytes:
    """A valid project document padded with spaces to ``size`` bytes (so a cut copy would still parse)."""
    text = json.dumps(EXAMPLE).encode()
    return text + b" " * (size - len(text))


@pytest.fixture
def token(make_user, api_token):
    return api_token(make_user("planner"))


def test_a_chunked_document_over_the_api_limit_is_refused(client, token):
    body = _padded_document(API_LIMIT + 1)
    response = _chunked(client, "/api/v1/projects/check", body, {**token, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["error"]["message"] == "Dokumentet är större än 5 MB."


def test_a_chunked_document_at_the_api_limit_is_read(client, token):
    body = _padded_document(API_LIMIT)
    response = _chunked(client, "/api/v1/projects/check", body, {**token, "Content-Type": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_a_chunked_json_body_over_the_app_limit_gets_json_413(app, client, token):
    limit = app.config["MAX_CONTENT_LENGTH"]
    # Valid JSON for its first `limit` bytes: the old reading cut it there and parsed it.
    body = b'{"call_ids": []}' + b" " * limit
    response = _chunked(client, "/api/v1/calls/alignment", body, {**token, "Content-Type": "application/json"})
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "request_entity_too_large" and "20 MB" in error["message"]


def test_a_chunked_form_over_the_app_limit_gets_the_413_page(app, client, make_user, login, db_session):
    login(make_user("planner"))
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b"funder=vinnova&kind=csv&x=" + b"a" * limit
    response = _chunked(client, "/calendar/import", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "Filen är för stor" in text and "20 MB" in text


def _send_chunked(base: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
        connection.request("POST", path, body=chunks, headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.read()
    except (BrokenPipeError, ConnectionResetError):
        # The server may answer 413 and close before the client has sent everything.
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_real_chunked_requests_to_gunicorn_are_limited(tmp_path):
    with live_database(tmp_path, "bodies") as url:
        prepare(url, demo=False)
        env = server_env(url)
        subprocess.run(FLASK + ["users", "create", "--email", "api@example.se", "--role", "planner",
                                "--organisation", "vinnova", "--password-stdin"],
                       input="ett-langt-losenord-2026\n", text=True, env=env, check=True, capture_output=True,
                       timeout=120)
        printed = subprocess.run(FLASK + ["users", "token", "--email", "api@example.se"], env=env, text=True,
                                 check=True, capture_output=True, timeout=120).stdout
        auth = {"Authorization": f"Bearer {printed.strip().splitlines()[-1].strip()}",
                "Content-Type": "application/json"}
        with running_server(url, gunicorn=True, workers=1, threads=2) as base:
            status, answer = _send_chunked(base, "/api/v1/projects/check", _padded_document(API_LIMIT + 1), auth)
            assert status == 413 and "5 MB" in json.loads(answer)["error"]["message"]
            status, answer = _send_chunked(base, "/api/v1/projects/check", _padded_document(1000), auth)
            assert status == 200, answer[:300]
            status, answer = _send_chunked(base, "/api/v1/calls/alignment",
                                           b'{"call_ids": []}' + b" " * (20 * 1024 * 1024), auth)
            assert status == 413 and json.loads(answer)["error"]["code"] == "request_entity_too_large"
