"""The project file format (YAML or JSON) parsed into plain dataclasses.

Everything a case officer's system sends is checked here; a document either parses completely or
raises ``DocumentError`` naming the field path (``partners[1].kind``, ``costs[0].amount_sek``) in
Swedish and English. Money becomes integer öre; unknown keys are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from ..bounded_parsing import EXCERPT_CHARS, TooDeeplyNested, excerpt, load_yaml, loads_json
from ..money import MAX_KRONOR, AmountError, kronor_to_ore
from ..storable_text import forbidden_character, text_error
from .regional_aid_map import is_kommunkod
from .vocabulary import ASSISTED_AREAS, CATEGORIES, PARTNER_KINDS, SIZES, SME_SIZES, SOURCE_KINDS

# EU Member States and the other contracting parties to the EEA Agreement (ISO 3166-1 alpha-2).
EEA_COUNTRIES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
)
MULTI_COUNTRY_FIELDS = ("selected_after_open_call", "jointly_designed_by", "undertaking_countries",
                        "dissemination_countries")
COLLABORATION_FIELDS = ("effective", "wide_dissemination", "research_organisations_may_publish", "cross_border",
                        "licensing", "multi_country")


class DocumentError(ValueError):
    """An invalid project document; ``field`` is the path of the offending value."""

    def __init__(self, field: str, message_sv: str, message_en: str):
        self.field = field
        self.message_sv = message_sv
        self.message_en = message_en
        super().__init__(f"{field}: {message_en}")

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_sv": self.message_sv, "message_en": self.message_en}


@dataclass(frozen=True)
class MultiCountry:
    """A project forming part of a multi-country project (GBER Art. 25(6)(d))."""

    selected_after_open_call: bool = False  # (d)(i): selected by a Member State following an open call
    jointly_designed_by: tuple[str, ...] = ()  # (d)(i): the states that jointly designed the project
    undertaking_countries: tuple[str, ...] = ()  # (d)(ii): states of the undertakings in effective collaboration
    dissemination_countries: tuple[str, ...] = ()  # (d)(iii): states where the results are widely disseminated

    def to_mapping(self) -> dict:
        return {"selected_after_open_call": self.selected_after_open_call,
                "jointly_designed_by": list(self.jointly_designed_by),
                "undertaking_countries": list(self.undertaking_countries),
                "dissemination_countries": list(self.dissemination_countries)}


@dataclass(frozen=True)
class Collaboration:
    effective: bool = False
    wide_dissemination: bool = False
    research_organisations_may_publish: bool = False
    cross_border: bool = False  # carried out in at least two EEA states (Art. 25(6)(b)(i))
    licensing: bool = False  # commitment to license results on market terms (Art. 25(6)(b)(iii), (d)(iii))
    multi_country: MultiCountry | None = None


@dataclass(frozen=True)
class DeMinimisGrant:
    date: date
    amount_eur: Decimal
    grantor: str = ""
    regulation: str = ""


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    kind: str
    size: str | None = None
    organisation_number: str | None = None
    de_minimis_received: tuple[DeMinimisGrant, ...] = ()

    @property
    def is_sme(self) -> bool:
        return self.size in SME_SIZES

    @property
    def is_undertaking(self) -> bool:
        # Intermediaries that sell services are undertakings for State-aid purposes.
        return self.kind in ("undertaking", "intermediary")


@dataclass(frozen=True)
class CostLine:
    partner: str
    category: str
    amount_ore: int
    in_kind: bool = False


@dataclass(frozen=True)
class FundingLine:
    source: str
    kind: str
    partner: str
    amount_ore: int
    category: str | None = None
    union_max_rate: Decimal | None = None  # most favourable Union funding rate, for eu_direct lines


@dataclass(frozen=True)
class ProjectDocument:
    title: str
    grant_date: date
    partners: tuple[Partner, ...]
    costs: tuple[CostLine, ...]
    funding: tuple[FundingLine, ...]
    application_date: date | None = None
    work_start: date | None = None
    end_date: date | None = None
    exchange_rate_eur_sek: Decimal | None = None
    collaboration: Collaboration = field(default_factory=Collaboration)
    assisted_area: str | None = None  # none | a | c; None: not stated
    municipalities: tuple[str, ...] = ()  # kommunkoder where the project is carried out

    def partner(self, partner_id: str) -> Partner:
        return next(p for p in self.partners if p.id == partner_id)


# --- field readers -----------------------------------------------------------------------------

def _fail(path: str, sv: str, en: str) -> DocumentError:
    return DocumentError(path, sv, en)


def _mapping(value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(path, "måste vara ett objekt med fält", "must be a mapping of fields")
    for key in value:
        if key not in allowed:
            name = key if isinstance(key, str) and len(key) <= EXCERPT_CHARS else excerpt(key)
            where = f"{path}.{name}" if path else name
            raise _fail(where, f"okänt fält; tillåtna fält: {', '.join(allowed)}",
                        f"unknown field; allowed fields: {', '.join(allowed)}")
    for key in required:
        if key not in value or value[key] is None:
            where = f"{path}.{key}" if path else key
            raise _fail(where, "saknas men är obligatoriskt", "is required but missing")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, "måste vara en icke-tom text", "must be a non-empty text")
    codepoint = forbidden_character(value)
    if codepoint:
        error = text_error(path, codepoint)
        raise _fail(path, error.message_sv, error.message_en)
    return value.strip()


def _choice(value: Any, path: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise _fail(path, f"okänt värde {excerpt(value)}; tillåtna: {', '.join(options)}",
                    f"unknown value {excerpt(value)}; allowed: {', '.join(options)}")
    return value


def _date(value: Any, path: str) -> date:
    if isinstance(value, datetime):
        raise _fail(path, "ska vara ett datum utan klockslag (ÅÅÅÅ-MM-DD)", "must be a date without time (YYYY-MM-DD)")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(path, "måste vara ett datum (ÅÅÅÅ-MM-DD)", "must be a date (YYYY-MM-DD)")


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "måste vara true eller false", "must be true or false")
    return value


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _fail(path, "måste vara ett tal", "must be a number")
    try:
        # str() of a float gives its shortest repr, so 11.2 stays 11.2 rather than 11.199999...
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation as exc:
        raise _fail(path, f"är inte ett tal: {excerpt(value)}",
                    f"is not a number: {excerpt(value)}") from exc
    if not number.is_finite():
        raise _fail(path, "måste vara ett ändligt tal", "must be a finite number")
    return number


def _money_ore(value: Any, path: str) -> int:
    if type(value) is int and 0 <= value < _MAX_WHOLE_KRONOR:
        return value * 100  # whole kronor, as most files write them: what kronor_to_ore gives, without Decimal
    try:
        return kronor_to_ore(_decimal(value, path))
    except AmountError as exc:
        raise _fail(path, *_MONEY_PROBLEMS.get(exc.reason, (exc.message_sv, exc.message_en))) from exc


_MAX_WHOLE_KRONOR = int(MAX_KRONOR)

# Said of a field named by its path ("costs[2].amount_sek får inte vara negativt").
_MONEY_PROBLEMS = {
    "negative": ("får inte vara negativt", "must not be negative"),
    "too_many_decimals": ("har bråkdelar av öre; ange högst två decimaler",
                          "has fractions of an öre; give at most two decimals"),
    "too_large": ("är orimligt stort; ange beloppet i kronor", "is implausibly large; give the amount in kronor"),
}


def _positive_decimal(value: Any, path: str) -> Decimal:
    number = _decimal(value, path)
    if number <= 0:
        raise _fail(path, "måste vara större än noll", "must be greater than zero")
    return number


def _rate(value: Any, path: str) -> Decimal:
    number = _decimal(value, path)
    if not Decimal(0) <= number <= Decimal(1):
        raise _fail(path, "måste vara en andel mellan 0 och 1", "must be a share between 0 and 1")
    return number


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, "måste vara en lista", "must be a list")
    return value


def _optional(data: Mapping[str, Any], key: str, path: str, reader: Callable[[Any, str], Any]) -> Any:
    value = data.get(key)
    return None if value is None else reader(value, f"{path}.{key}" if path else key)


def _size_missing(path: str) -> DocumentError:
    return _fail(f"{path}.size", "krävs för företag (micro, small, medium eller large)",
                 "is required for undertakings (micro, small, medium or large)")


def _no_partners() -> DocumentError:
    return _fail("partners", "måste ha minst en partner", "must have at least one partner")


# --- sections ----------------------------------------------------------------------------------

def _grant(value: Any, path: str) -> DeMinimisGrant:
    data = _mapping(value, path, ("date", "amount_eur", "grantor", "regulation"), ("date", "amount_eur"))
    amount = _decimal(data["amount_eur"], f"{path}.amount_eur")
    if amount < 0:
        raise _fail(f"{path}.amount_eur", "får inte vara negativt", "must not be negative")
    return DeMinimisGrant(
        date=_date(data["date"], f"{path}.date"),
        amount_eur=amount,
        grantor=_optional(data, "grantor", path, _text) or "",
        regulation=_optional(data, "regulation", path, _text) or "",
    )


def _partner(value: Any, path: str) -> Partner:
    data = _mapping(value, path, ("id", "name", "kind", "size", "organisation_number", "de_minimis_received"),
                    ("id", "name", "kind"))
    kind = _choice(data["kind"], f"{path}.kind", PARTNER_KINDS)
    size = _optional(data, "size", path, lambda v, p: _choice(v, p, SIZES))
    if kind == "undertaking" and size is None:
        raise _size_missing(path)
    grants = _list(data.get("de_minimis_received") or [], f"{path}.de_minimis_received")
    return Partner(
        id=_text(data["id"], f"{path}.id"),
        name=_text(data["name"], f"{path}.name"),
        kind=kind,
        size=size,
        organisation_number=_optional(data, "organisation_number", path, _text),
        de_minimis_received=tuple(_grant(g, f"{path}.de_minimis_received[{i}]") for i, g in enumerate(grants)),
    )


def _cost(value: Any, path: str, partner_ids: set[str]) -> CostLine:
    data = _mapping(value, path, ("partner", "category", "amount_sek", "in_kind"),
                    ("partner", "category", "amount_sek"))
    partner = _text(data["partner"], f"{path}.partner")
    if partner not in partner_ids:
        raise _fail(f"{path}.partner", f"okänd partner {excerpt(partner)}",
                    f"unknown partner {excerpt(partner)}")
    return CostLine(
        partner=partner,
        category=_choice(data["category"], f"{path}.category", CATEGORIES),
        amount_ore=_money_ore(data["amount_sek"], f"{path}.amount_sek"),
        in_kind=bool(_optional(data, "in_kind", path, _bool)),
    )


def _funding(value: Any, path: str, partner_ids: set[str]) -> FundingLine:
    data = _mapping(value, path, ("source", "kind", "partner", "category", "amount_sek", "union_max_rate"),
                    ("source", "kind", "partner", "amount_sek"))
    kind = _choice(data["kind"], f"{path}.kind", SOURCE_KINDS)
    partner = _text(data["partner"], f"{path}.partner")
    if partner not in partner_ids:
        raise _fail(f"{path}.partner", f"okänd partner {excerpt(partner)}",
                    f"unknown partner {excerpt(partner)}")
    category = _optional(data, "category", path, lambda v, p: _choice(v, p, CATEGORIES))
    if category is None and kind != "private":
        raise _fail(f"{path}.category", "krävs för offentlig finansiering", "is required for public funding")
    union_max_rate = _optional(data, "union_max_rate", path, _rate)
    if union_max_rate is not None and kind != "eu_direct":
        raise _fail(f"{path}.union_max_rate", "gäller bara finansiering av kind eu_direct",
                    "only applies to funding of kind eu_direct")
    return FundingLine(
        source=_text(data["source"], f"{path}.source"),
        kind=kind,
        partner=partner,
        amount_ore=_money_ore(data["amount_sek"], f"{path}.amount_sek"),
        category=category,
        union_max_rate=union_max_rate,
    )


def country_codes(value: Any, path: str) -> tuple[str, ...]:
    """EEA country codes (upper-cased, each once); ``DocumentError`` names ``path[i]`` otherwise."""
    codes = []
    for i, item in enumerate(_list(value, path)):
        code = item.strip().upper() if isinstance(item, str) else item
        if code not in EEA_COUNTRIES:
            raise _fail(f"{path}[{i}]", f"{item!r} är inte en landskod för en EU-medlemsstat eller en EES-stat "
                                        f"(ISO 3166, t.ex. SE, FI, NO)",
                        f"{item!r} is not the code of an EU Member State or EEA contracting party "
                        f"(ISO 3166, e.g. SE, FI, NO)")
        if code in codes:
            raise _fail(f"{path}[{i}]", f"{code} förekommer två gånger", f"{code} appears twice")
        codes.append(code)
    return tuple(codes)


def _multi_country(value: Any, path: str) -> MultiCountry:
    data = _mapping(value, path, MULTI_COUNTRY_FIELDS, ())
    return MultiCountry(
        selected_after_open_call=bool(_optional(data, "selected_after_open_call", path, _bool)),
        jointly_designed_by=country_codes(data.get("jointly_designed_by") or [], f"{path}.jointly_designed_by"),
        undertaking_countries=country_codes(data.get("undertaking_countries") or [], f"{path}.undertaking_countries"),
        dissemination_countries=country_codes(data.get("dissemination_countries") or [],
                                           f"{path}.dissemination_countries"),
    )


def _collaboration(value: Any) -> Collaboration:
    data = _mapping(value, "collaboration", COLLABORATION_FIELDS, ())
    flags = {k: _bool(v, f"collaboration.{k}") for k, v in data.items() if k != "multi_country"}
    multi = _optional(data, "multi_country", "collaboration", _multi_country)
    return Collaboration(**flags, multi_country=multi)


def municipality_codes(value: Any, path: str) -> tuple[str, ...]:
    """Kommunkoder (four digits, each once); ``DocumentError`` names ``path[i]`` otherwise."""
    codes: list[str] = []
    for i, item in enumerate(_list(value, path)):
        # YAML reads an unquoted 2480 as a number; four-digit numbers are unambiguous, but 0512 would be
        # read as octal, so anything else must be quoted text.
        code = str(item) if isinstance(item, int) and not isinstance(item, bool) and 1000 <= item <= 9999 else item
        if not isinstance(code, str) or not is_kommunkod(code.strip()):
            raise _fail(f"{path}[{i}]", f"{item!r} är ingen kommunkod (fyra siffror inom citattecken, t.ex. \"2480\")",
                        f"{item!r} is not a Swedish municipality code (four digits in quotes, e.g. \"2480\")")
        code = code.strip()
        if code in codes:
            raise _fail(f"{path}[{i}]", f"{code} förekommer två gånger", f"{code} appears twice")
        codes.append(code)
    return tuple(codes)


_TOP_FIELDS = ("title", "grant_date", "application_date", "work_start", "end_date", "exchange_rate_eur_sek",
               "assisted_area", "municipalities", "collaboration", "partners", "costs", "funding")


def document_from_mapping(data: Any) -> ProjectDocument:
    """Build a ``ProjectDocument`` from already-decoded data (a dict from YAML or JSON)."""
    data = _mapping(data, "", _TOP_FIELDS, ("title", "grant_date", "partners", "costs"))
    partners_raw = _list(data["partners"], "partners")
    if not partners_raw:
        raise _no_partners()
    partners = tuple(_partner(p, f"partners[{i}]") for i, p in enumerate(partners_raw))
    ids: set[str] = set()
    for i, partner in enumerate(partners):
        if partner.id in ids:
            raise _fail(f"partners[{i}].id", f"id {excerpt(partner.id)} förekommer två gånger",
                        f"id {excerpt(partner.id)} appears twice")
        ids.add(partner.id)
    collaboration = _collaboration(data.get("collaboration") or {})
    return ProjectDocument(
        title=_text(data["title"], "title"),
        grant_date=_date(data["grant_date"], "grant_date"),
        application_date=_optional(data, "application_date", "", _date),
        work_start=_optional(data, "work_start", "", _date),
        end_date=_optional(data, "end_date", "", _date),
        exchange_rate_eur_sek=_optional(data, "exchange_rate_eur_sek", "", _positive_decimal),
        collaboration=collaboration,
        assisted_area=_optional(data, "assisted_area", "", lambda v, p: _choice(v, p, ASSISTED_AREAS)),
        municipalities=municipality_codes(data.get("municipalities") or [], "municipalities"),
        partners=partners,
        costs=tuple(_cost(c, f"costs[{i}]", ids) for i, c in enumerate(_list(data["costs"], "costs"))),
        funding=tuple(_funding(f, f"funding[{i}]", ids)
                      for i, f in enumerate(_list(data.get("funding") or [], "funding"))),
    )


def parse_project_document(content: str | bytes) -> ProjectDocument:
    """Parse YAML or JSON text (JSON is valid YAML, but is tried first for exact error positions)."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _fail("", "filen är inte UTF-8-kodad", "the file is not UTF-8 encoded") from exc
    stripped = content.lstrip()
    try:
        if stripped.startswith("{"):
            data = loads_json(content)
        else:
            data = load_yaml(content)
    except TooDeeplyNested as exc:
        raise _fail("", f"dokumentet är nästlat djupare än {exc.depth} nivåer",
                    f"the document is nested deeper than {exc.depth} levels") from exc
    except (ValueError, yaml.YAMLError) as exc:  # JSONDecodeError is a ValueError
        problem_sv, problem_en = _parser_problem(exc)
        raise _fail("", f"filen kan inte läsas som YAML eller JSON: {problem_sv}",
                    f"the file cannot be read as YAML or JSON: {problem_en}") from exc
    return document_from_mapping(data)


def _parser_problem(exc: Exception) -> tuple[str, str]:
    """The parser's message (Swedish, English) without the document text it may quote, cut short."""
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = str(exc.problem or exc.context or "YAML error")[:200]
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            return problem, problem
        return (f"{problem} (rad {mark.line + 1}, kolumn {mark.column + 1})",
                f"{problem} (line {mark.line + 1}, column {mark.column + 1})")
    return str(exc)[:200], str(exc)[:200]


# --- documents built from stored data, and written back as a project file --------------------------

def validate_document(doc: ProjectDocument) -> ProjectDocument:
    """A document built from stored data, refused as a parsed file would be when it cannot be checked
    yet: no partner, or an undertaking without a size class."""
    if not doc.partners:
        raise _no_partners()
    for i, partner in enumerate(doc.partners):
        if partner.kind == "undertaking" and partner.size is None:
            raise _size_missing(f"partners[{i}]")
    return doc


def plain_decimal(value: Decimal | int | str) -> Decimal:
    """The number as the project file writes it: no trailing zeros and no exponent (11.2000 -> 11.2)."""
    return Decimal(format(Decimal(value).normalize(), "f"))


def sek_text(ore: int) -> str:
    """Öre as a plain decimal krona string for the project file ('1200000' or '1200000.50')."""
    kronor, rest = divmod(ore, 100)
    return f"{kronor}" if rest == 0 else f"{kronor}.{rest:02d}"


def _grant_mapping(grant: DeMinimisGrant) -> dict[str, str]:
    item = {"date": grant.date.isoformat(), "amount_eur": f"{grant.amount_eur:.2f}"}
    return item | {k: getattr(grant, k) for k in ("grantor", "regulation") if getattr(grant, k)}


def _partner_mapping(partner: Partner) -> dict[str, Any]:
    item: dict[str, Any] = {"id": partner.id, "name": partner.name, "kind": partner.kind}
    if partner.size:
        item["size"] = partner.size
    if partner.organisation_number:
        item["organisation_number"] = partner.organisation_number
    if partner.de_minimis_received:
        item["de_minimis_received"] = [_grant_mapping(g) for g in partner.de_minimis_received]
    return item


def _funding_mapping(line: FundingLine) -> dict[str, Any]:
    item: dict[str, Any] = {"source": line.source, "kind": line.kind, "partner": line.partner,
                            "amount_sek": sek_text(line.amount_ore)}
    if line.category:
        item["category"] = line.category
    if line.union_max_rate is not None:
        item["union_max_rate"] = str(plain_decimal(line.union_max_rate))
    return item


def _collaboration_mapping(collab: Collaboration) -> dict[str, Any]:
    out: dict[str, Any] = {"effective": collab.effective, "wide_dissemination": collab.wide_dissemination,
                           "research_organisations_may_publish": collab.research_organisations_may_publish,
                           "cross_border": collab.cross_border, "licensing": collab.licensing}
    if collab.multi_country is not None:
        out["multi_country"] = collab.multi_country.to_mapping()
    return out


def document_mapping(doc: ProjectDocument) -> dict[str, Any]:
    """The document as a project file mapping (PROJECT_FILE_FORMAT.md); ``document_from_mapping`` reads it
    back into an equal document."""
    data: dict[str, Any] = {"title": doc.title, "grant_date": doc.grant_date.isoformat()}
    for name in ("application_date", "work_start", "end_date"):
        value = getattr(doc, name)
        if value is not None:
            data[name] = value.isoformat()
    if doc.exchange_rate_eur_sek is not None:
        data["exchange_rate_eur_sek"] = str(plain_decimal(doc.exchange_rate_eur_sek))
    if doc.assisted_area:
        data["assisted_area"] = doc.assisted_area
    if doc.municipalities:
        data["municipalities"] = list(doc.municipalities)
    data["collaboration"] = _collaboration_mapping(doc.collaboration)
    data["partners"] = [_partner_mapping(p) for p in doc.partners]
    data["costs"] = [{"partner": c.partner, "category": c.category, "amount_sek": sek_text(c.amount_ore)}
                     | ({"in_kind": True} if c.in_kind else {}) for c in doc.costs]
    data["funding"] = [_funding_mapping(f) for f in doc.funding]
    return data
