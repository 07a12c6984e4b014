"""One check at the edge of every request: no text that cannot be stored reaches a view.

A NUL byte in any parameter made PostgreSQL fail the request with a 500; other control characters,
once stored, made every XLSX export that contained them fail. Path values, the query string, form
fields and JSON bodies are checked before the view runs; the answer names the field (the JSON
error under /api/, the error page otherwise) and nothing is changed. Uploaded files are checked by
their importers, row by row (calendar.call_data.validate_call, stateaid.project_document).
"""

from __future__ import annotations

from flask import Flask, request

from .errors import InputError
from .storable_text import forbidden_character, problems_in, text_error


def request_problems() -> list[tuple[str, str]]:
    """(field, code point) for each piece of text in the request that cannot be stored."""
    problems: list[tuple[str, str]] = []
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and (codepoint := forbidden_character(value)):
            problems.append((name, codepoint))
    for source in (request.args, request.form):
        for name, values in source.lists():
            codepoint = forbidden_character(name)
            if codepoint:
                problems.append((repr(name), codepoint))
                continue
            for value in values:
                if codepoint := forbidden_character(value):
                    problems.append((name, codepoint))
                    break
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            body = None  # a body too deeply nested is refused by the view's own parsing
        problems.extend(problems_in(body))
    return problems


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_text_that_cannot_be_stored():
        problems = request_problems()
        if problems:
            raise InputError([text_error(field, codepoint) for field, codepoint in problems])
