"""Readable names for organisation and area kinds, in Swedish and English."""

from __future__ import annotations

from dataclasses import dataclass

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


PROGRAMME_SOURCE_LABELS = {
    "state": _l("statliga medel"),
    "regional": _l("regionala medel"),
    "municipal": _l("kommunala medel"),
    "erdf": _l("Europeiska regionala utvecklingsfonden (Eruf)"),
    "eu_direct": _l("EU-medel direkt från kommissionen"),
    "private": _l("privata medel"),
}


def programme_source(kind: str) -> str:
    return str(PROGRAMME_SOURCE_LABELS.get(kind, kind))


# The facts in an organisation's reference record that a reader can use, with their names. The notes
# were written in English when the record was sourced; a page in Swedish says so beside them.
DETAIL_LABELS = {
    "name_official": _l("Officiellt namn"),
    "location": _l("Ort"),
    "in_sweco_sample": _l("Med i Swecos kartläggning av aktörer"),
    "kind_note": _l("Om organisationsformen"),
    "note": _l("Anmärkning"),
    "org_number_note": _l("Om organisationsnumret"),
}
ENGLISH_NOTES = {"kind_note", "note", "org_number_note"}


@dataclass(frozen=True)
class Fact:
    label: str
    value: object  # text, or a bool the page writes as yes or no
    lang: str | None = None  # the language the value is written in, when it is not the page's


def organisation_facts(details: dict | None) -> list[Fact]:
    facts = []
    for key, label in DETAIL_LABELS.items():
        value = (details or {}).get(key)
        if value is None or value == "":
            continue
        facts.append(Fact(str(label), value, "en" if key in ENGLISH_NOTES else None))
    return facts
