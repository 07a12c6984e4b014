"""Readable names of a round's status, of a region's answer and of the scheduling rules, for pages and extracts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Utkast"),
    "invitations_sent": _l("Inbjudningar skickade"),
    "scheduled": _l("Schemalagd"),
    "held": _l("Genomförd"),
    "followed_up": _l("Uppföljd"),
    "cancelled": _l("Inställd"),
}
ANSWER_LABELS = {"pending": _l("Inget svar än"), "yes": _l("Ja, presenterar"), "no": _l("Nej"),
                 "listening": _l("Lyssnar")}

# The scheduler's hard rules, as a conflict on the schedule page names them.
RULE_LABELS = {"one_region_per_slot": _l("en region per pass"), "pinned_slot": _l("låsta pass"),
               "pinned_order": _l("låst ordning"),
               "no_person_in_two_places": _l("ingen person på två ställen samtidigt")}


def round_status(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


def answer_label(value: str | None) -> str:
    """The answer in words; no answer at all is an empty string."""
    return str(ANSWER_LABELS.get(value, value)) if value else ""


def rule_label(value: str) -> str:
    return str(RULE_LABELS.get(value, value))
