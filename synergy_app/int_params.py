"""Integers from URLs, query strings, forms and JSON bodies, bounded to what the database stores.

Python integers have no size, but ids are 32-bit in the database: PostgreSQL refuses a larger one with an
error (a 500), where an unknown id should be a 404 and a nonsense page number a 400.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from .errors import FieldError, InputError

DB_INT_MAX = 2**31 - 1
MAX_PAGE = 100_000


class DatabaseIdConverter(IntegerConverter):
    """``<int:id>`` that does not match (404) a number no row can have."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max,
                         signed=signed)


def is_db_id(value: object) -> bool:
    """A JSON or form value that can be a row's id: a positive integer the database can store."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= DB_INT_MAX


def id_arg(name: str, source=None) -> int | None:
    """An id from the form (or ``source``): None when missing, not a number, or out of range."""
    value = (request.form if source is None else source).get(name, type=int)
    return value if is_db_id(value) else None


def page_arg(name: str = "page", *, strict: bool = False) -> int:
    """The page number from the query string; pages run 1..MAX_PAGE.

    Pages of the web interface forgive (below 1 is the first page, past the end is the last possible);
    the API (``strict``) answers 400 with the field named.
    """
    raw = request.args.get(name, "")
    try:
        page = int(raw) if raw.strip() else 1
    except ValueError:
        page = None
    if strict and (page is None or not 1 <= page <= MAX_PAGE):
        raise InputError(FieldError(name, f"Sidan måste vara ett heltal 1–{MAX_PAGE}.",
                                    f"The page must be a whole number 1–{MAX_PAGE}."))
    return min(max(page or 1, 1), MAX_PAGE)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
