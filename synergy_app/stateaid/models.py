"""The state-aid taskforce's log of rulings.

A ruling is never edited in place or deleted: every change of its content is a new
``RulingRevision`` (append-only; the database refuses UPDATE and DELETE on revisions), and the
ruling points at its current revision by number. Status changes (agreed, superseded) are
recorded in the audit log; a superseded ruling links to its successor and stays readable.

The lists of a revision (topics, legal bases, agencies, flag codes, projects, related rulings)
are kept twice: as JSON on the revision (the text as written) and in link tables keyed by the
revision (for filters and precedents without scanning JSON).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, Session, foreign, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..directory.models import Organisation
from ..extensions import db

RULING_STATUSES = ("draft", "agreed", "superseded")
STATUS_LABELS = {
    "draft": _l("Utkast"),
    "agreed": _l("Överenskommen"),
    "superseded": _l("Ersatt"),
}

# The taskforce's questions (seeds/002, 3.3.2 and 4.1.13), as (Swedish, English) labels.
TOPICS: dict[str, tuple[str, str]] = {
    "intermediary_services": ("Intermediärer som levererar offentligt finansierade tjänster till företag",
                              "Intermediaries delivering publicly funded services to firms"),
    "intermediary_firm_boundary": ("Gränsytan mellan intermediären och företagen",
                                   "Boundary between intermediary and firms"),
    "funder_intermediary_boundary": ("Gränsytan mellan finansiären och intermediären",
                                     "Boundary between funder and intermediary"),
    "transparent_pricing": ("Transparent prissättning av levererade tjänster",
                            "Transparent pricing of delivered services"),
    "non_economic_activity": ("Icke-ekonomisk verksamhet", "Non-economic activity"),
    "tax_consequences": ("Skattekonsekvenser", "Tax consequences"),
    "cluster_operating_aid": ("Driftsstöd till innovationskluster", "Operating aid for innovation clusters"),
    "research_organisation": ("Forskningsorganisation (efter C-164/21)", "Research organisation (after C-164/21)"),
    "cofinancing": ("Samfinansiering och kumulering", "Co-financing and cumulation"),
    "de_minimis": ("De minimis", "De minimis"),
}


class Ruling(db.Model):
    """A ruling's identity and state; its content lives in its revisions."""

    __tablename__ = "rulings"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("rulings.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    successor: Mapped[Ruling | None] = relationship(remote_side="Ruling.id", foreign_keys=[successor_id])
    revisions: Mapped[list[RulingRevision]] = relationship(order_by="RulingRevision.number", viewonly=True)
    current_revision: Mapped[RulingRevision] = relationship(
        primaryjoin=lambda: and_(Ruling.id == foreign(RulingRevision.ruling_id),
                                 Ruling.current_number == foreign(RulingRevision.number)),
        viewonly=True, uselist=False)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def __repr__(self) -> str:
        return f"<Ruling {self.number} {self.status}>"


class RulingRevision(db.Model):
    """One version of a ruling's content, with author, time and reason. Never updated."""

    __tablename__ = "ruling_revisions"
    __table_args__ = (UniqueConstraint("ruling_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(Text)
    # [{"kind", "act", "article", "paragraph", "point", "ecli", "case", "citation"}, ...]
    legal_basis: Mapped[list] = mapped_column(db.JSON, default=list)
    topics: Mapped[list] = mapped_column(db.JSON, default=list)
    agencies: Mapped[list] = mapped_column(db.JSON, default=list)  # organisation slugs
    flag_codes: Mapped[list] = mapped_column(db.JSON, default=list)
    project_keys: Mapped[list] = mapped_column(db.JSON, default=list)
    related: Mapped[list] = mapped_column(db.JSON, default=list)  # ruling numbers
    decided_on: Mapped[date | None] = mapped_column(Date)
    in_force_from: Mapped[date | None] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(254), default="")
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ruling: Mapped[Ruling] = relationship()

    def snapshot(self) -> dict:
        """The revision as plain data, for the diff and the API."""
        return {
            "number": self.number,
            "title": self.title,
            "question": self.question,
            "facts": self.facts,
            "assessment": self.assessment,
            "conclusion": self.conclusion,
            "legal_basis": [b["citation"] for b in self.legal_basis or []],
            "topics": list(self.topics or []),
            "agencies": list(self.agencies or []),
            "flag_codes": list(self.flag_codes or []),
            "project_keys": list(self.project_keys or []),
            "related": list(self.related or []),
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "author": self.author_label,
            "reason": self.reason,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


class RulingTopic(db.Model):
    __tablename__ = "ruling_revision_topics"

    revision_id: Mapped[int] = mapped_column(ForeignKey("ruling_revisions.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class RulingLegalBasis(db.Model):
    """A legal basis of a revision: the act (regulation, treaty, framework or ECLI) and article."""

    __tablename__ = "ruling_revision_legal_bases"

    revision_id: Mapped[int] = mapped_column(ForeignKey("ruling_revisions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    act: Mapped[str] = mapped_column(String(80), index=True)
    article: Mapped[str] = mapped_column(String(40), default="")


class RulingAgency(db.Model):
    __tablename__ = "ruling_revision_agencies"

    revision_id: Mapped[int] = mapped_column(ForeignKey("ruling_revisions.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)

    organisation: Mapped[Organisation] = relationship()


class RulingFlag(db.Model):
    __tablename__ = "ruling_revision_flags"

    revision_id: Mapped[int] = mapped_column(ForeignKey("ruling_revisions.id"), primary_key=True)
    flag_code: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class RulingProject(db.Model):
    __tablename__ = "ruling_revision_projects"

    revision_id: Mapped[int] = mapped_column(ForeignKey("ruling_revisions.id"), primary_key=True)
    project_key: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)


class RulingRelation(db.Model):
    __tablename__ = "ruling_revision_relations"

    revision_id: Mapped[int] = mapped_column(ForeignKey("ruling_revisions.id"), primary_key=True)
    related_ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"), primary_key=True, index=True)


class PrecedentLink(db.Model):
    """A case officer's link from a project's state-aid flag to an agreed ruling."""

    __tablename__ = "ruling_precedent_links"
    __table_args__ = (UniqueConstraint("ruling_id", "project_key", "flag_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"), index=True)
    project_key: Mapped[str] = mapped_column(String(120), index=True)
    flag_code: Mapped[str] = mapped_column(String(60), default="")
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ruling: Mapped[Ruling] = relationship()


class RulingSearchDocument(db.Model):
    """PostgreSQL full-text document of a ruling's current revision ('swedish' and 'english').

    On SQLite the search uses the FTS5 table ``ruling_fts`` created by the migration instead
    and this table stays empty.
    """

    __tablename__ = "ruling_search"
    __table_args__ = (Index("ix_ruling_search_document", "document", postgresql_using="gin"),)

    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"), primary_key=True)
    document = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), nullable=True)


IMMUTABLE = (RulingRevision, RulingTopic, RulingLegalBasis, RulingAgency, RulingFlag, RulingProject, RulingRelation)


@event.listens_for(Session, "before_flush")
def _revisions_are_append_only(session, _context, _instances) -> None:
    for obj in session.dirty:
        if isinstance(obj, IMMUTABLE) and session.is_modified(obj, include_collections=False):
            raise RuntimeError(f"{type(obj).__name__} rows are append-only and cannot be changed")
    for obj in session.deleted:
        if isinstance(obj, (*IMMUTABLE, Ruling)):
            raise RuntimeError(f"{type(obj).__name__} rows are never deleted")
