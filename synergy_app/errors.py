"""Input errors shared by forms, imports, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message_sv: str
    message_en: str

    def message(self, locale: str = "sv") -> str:
        return self.message_en if locale == "en" else self.message_sv


class InputError(Exception):
    """Bad input: one or more fields and what is wrong with them. Nothing has been changed."""

    def __init__(self, errors: list[FieldError] | FieldError, status: int = 400, code: str = "invalid_input"):
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        self.status = status
        self.code = code
        super().__init__("; ".join(f"{e.field}: {e.message_en}" for e in self.errors))

    @property
    def first(self) -> FieldError:
        return self.errors[0]


class NotFound(Exception):
    def __init__(self, what: str, key: str, suggestions: list[str] | None = None):
        self.what = what
        self.key = key
        self.suggestions = suggestions or []
        super().__init__(f"{what} '{key}' not found")


class Conflict(Exception):
    """A write that cannot happen because of the current state (e.g. a slot already booked)."""

    def __init__(self, field: str, message_sv: str, message_en: str, code: str = "conflict"):
        self.error = FieldError(field, message_sv, message_en)
        self.code = code
        super().__init__(message_en)
