"""Request bodies read within their limit, whatever the framing.

``MAX_CONTENT_LENGTH`` (or a smaller ``request.max_content_length`` set by a view) is checked by Werkzeug
against the Content-Length header, but a chunked body has none: Werkzeug then reads up to the limit and
stops, so a larger body was silently cut at the limit and parsed. Here a body that still has bytes after
the limit is refused with 413, as one with a Content-Length over it is. JSON bodies are refused (as
invalid JSON) when nested too deeply for the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import LimitedStream

from .bounded_parsing import check_nesting

F = TypeVar("F", bound=Callable[..., Any])


class BoundedRequest(Request):
    too_large = False

    def get_data(self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False):  # type: ignore[override]
        if self.too_large:
            raise RequestEntityTooLarge()  # never hand out the cut-off part that was read before the refusal
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
            self.too_large = True
            raise RequestEntityTooLarge()


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        check_nesting(s)  # a ValueError, so request.get_json treats it as a body that is not JSON
        return super().loads(s, **kwargs)


def body_limit(limit: int, message_sv: str, message_en: str) -> Callable[[F], F]:
    """A view's own body limit in bytes, smaller than MAX_CONTENT_LENGTH, and what its 413 says. It is set
    before any hook reads the body (the text check reads JSON bodies first), so it holds whoever reads
    first. Put it right under the route decorator."""
    def mark(view: F) -> F:
        view.body_limit = limit  # type: ignore[attr-defined]
        view.body_limit_message = (message_sv, message_en)  # type: ignore[attr-defined]
        return view
    return mark


def view_limit_message() -> tuple[str, str] | None:
    """The (Swedish, English) refusal of the current view's own body limit, if it declares one."""
    return getattr(current_app.view_functions.get(request.endpoint or ""), "body_limit_message", None)


def init_app(app: Flask) -> None:
    app.request_class = BoundedRequest
    app.json = BoundedJSONProvider(app)

    @app.before_request
    def _apply_view_body_limit() -> None:
        limit = getattr(app.view_functions.get(request.endpoint or ""), "body_limit", None)
        if limit is not None:
            request.max_content_length = limit
