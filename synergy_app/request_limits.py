"""Request bodies read within their limit, whatever the framing.

``MAX_CONTENT_LENGTH`` (or a smaller ``request.max_content_length`` set by a view) is checked by Werkzeug
against the Content-Length header, but a chunked body has none: Werkzeug then reads up to the limit and
stops, so a larger body was silently cut at the limit and parsed. Here a body that still has bytes after
the limit is refused with 413, as one with a Content-Length over it is. JSON bodies are refused (as
invalid JSON) when nested too deeply for the parser.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import LimitedStream

from .bounded_parsing import check_nesting


class BoundedRequest(Request):
    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False):  # type: ignore[override]
        fresh = getattr(self, "_cached_data", None) is None
        data = super().get_data(cache=cache, as_text=False, parse_form_data=parse_form_data)
        if fresh:
            self._refuse_unread_rest()
        return data.decode(errors="replace") if as_text else data

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self._refuse_unread_rest()

    def _refuse_unread_rest(self) -> None:
        """413 when the body was read up to the limit and the client has sent more than that."""
        if self.max_content_length is None or self.content_length is not None:
            return  # with a Content-Length, Werkzeug refused an oversized body before reading it
        stream = self.stream
        if isinstance(stream, LimitedStream) and stream.is_exhausted and self.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        check_nesting(s)  # a ValueError, so request.get_json treats it as a body that is not JSON
        return super().loads(s, **kwargs)


def init_app(app: Flask) -> None:
    app.request_class = BoundedRequest
    app.json = BoundedJSONProvider(app)
