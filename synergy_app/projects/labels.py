"""Readable names for the project enumerations, in Swedish and English."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "status": {"draft": _l("Utkast"), "applied": _l("Ansökt"), "granted": _l("Beviljat"), "closed": _l("Avslutat")},
    "partner_kind": {"undertaking": _l("Företag"), "research_organisation": _l("Forskningsorganisation"),
                     "public_body": _l("Offentlig aktör"), "intermediary": _l("Mellanhand")},
    "size": {"micro": _l("mikroföretag"), "small": _l("litet företag"), "medium": _l("medelstort företag"),
             "large": _l("stort företag")},
    "source_kind": {"state": _l("statlig"), "regional": _l("regional"), "municipal": _l("kommunal"),
                    "erdf": _l("ERUF"), "eu_direct": _l("EU direkt"), "private": _l("privat")},
}


def label(kind: str, value: str | None) -> str:
    if not value:
        return "–"
    return str(LABELS.get(kind, {}).get(value, value))
