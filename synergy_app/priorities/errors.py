"""Errors of the priorities core, with the field at fault and a message in Swedish and English."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Bad input: names the field and says what is wrong, in both languages."""

    def __init__(self, field: str, message_sv: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_sv = message_sv
        self.message_en = message_en

    def message(self, lang: str = "sv") -> str:
        return self.message_sv if lang == "sv" else self.message_en


class UnknownId(LookupError):
    """An id or slug that is not there, with the closest existing ones as suggestions."""

    def __init__(self, kind: str, given: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {given!r}{hint}")
        self.kind = kind
        self.given = given
        self.suggestions = suggestions
        kind_sv = {"region": "region", "area": "område", "priority": "prioritering"}.get(kind, kind)
        hint_sv = f"; menade du {', '.join(suggestions)}?" if suggestions else ""
        self.message_sv = f"Okänd {kind_sv} {given!r}{hint_sv}"
        self.message_en = f"Unknown {kind} {given!r}{hint}"

    def message(self, lang: str = "sv") -> str:
        return self.message_sv if lang == "sv" else self.message_en
