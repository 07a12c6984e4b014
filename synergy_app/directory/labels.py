"""Readable names for organisation and area kinds, in Swedish and English."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORGANISATION_KIND_LABELS = {
    "region": _l("Region"),
    "national_agency": _l("Nationell myndighet"),
    "funder": _l("Finansiär"),
    "eu_body": _l("EU-organ eller EU-initiativ"),
    "cluster_initiative": _l("Klusterorganisation"),
    "intermediary": _l("Innovationsstödjande aktör"),
    "company": _l("Företag"),
    "research_organisation": _l("Forskningsorganisation"),
    "municipality": _l("Kommun"),
}

AREA_KIND_LABELS = {
    "strategic_area": _l("strategiskt område"),
    "programme": _l("program"),
    "ecosystem": _l("ekosystem"),
    "mission": _l("EU-uppdrag"),
    "partnership": _l("europeiskt partnerskap"),
}


def organisation_kind(kind: str) -> str:
    return str(ORGANISATION_KIND_LABELS.get(kind, kind))


def area_kind(kind: str) -> str:
    return str(AREA_KIND_LABELS.get(kind, kind))
