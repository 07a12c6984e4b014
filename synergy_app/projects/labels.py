"""Readable names for the project enumerations, in Swedish and English.

The project status is the projects' own; partner kinds, size classes and funding sources are named
where they are defined, in the state-aid vocabulary.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..i18n import pick
from ..stateaid.vocabulary import CATEGORY_NAMES, PARTNER_KIND_NAMES, SIZE_NAMES, SOURCE_KIND_NAMES

STATUS_LABELS = {"draft": _l("Utkast"), "applied": _l("Ansökt"), "granted": _l("Beviljat"), "closed": _l("Avslutat")}
_NAMES = {"category": CATEGORY_NAMES, "partner_kind": PARTNER_KIND_NAMES, "size": SIZE_NAMES,
          "source_kind": SOURCE_KIND_NAMES}


def label(kind: str, value: str | None) -> str:
    if not value:
        return "–"
    if kind == "status":
        return str(STATUS_LABELS.get(value, value))
    names = _NAMES.get(kind, {}).get(value)
    return pick(*names) if names else value
