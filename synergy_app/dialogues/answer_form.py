"""The region's reply to an invitation as choices: presenters picked from the region's people or added
on the spot, and the times the region cannot present as date + from/to rows (Swedish time).

Pure reading and checking of the posted fields; the answer itself is stored by service.answer_invitation,
which gets the checked values in the same text form the API uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import or_, select

from ..auth.models import User
from ..directory.models import Membership, Person, Region
from ..extensions import db
from ..formatting import STOCKHOLM
from ..i18n import pick

NEW_PRESENTER_ROWS = 2
FREE_UNAVAILABLE_ROWS = 2
MAX_ROWS = 20
EMAIL_RE = re.compile(r"^[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+$")


@dataclass(frozen=True)
class RegionPerson:
    key: str  # the checkbox value; never shown
    name: str
    email: str | None
    title: str = ""


@dataclass
class Row:
    """One unavailable period as the form shows it."""

    day: str = ""
    start: str = ""
    end: str = ""


@dataclass
class AnswerChoices:
    """What the form shows and, after a post, what was chosen and what is wrong (field id -> messages)."""

    answer: str | None = None
    people: list[RegionPerson] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)
    new_people: list[dict] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    comment: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, field_id: str, sv: str, en: str) -> None:
        self.errors.setdefault(field_id, []).append(pick(sv, en))

    @property
    def summary(self) -> list[tuple[str, str]]:
        return [(field_id, message) for field_id, messages in self.errors.items() for message in messages]


def region_people(region: Region) -> list[RegionPerson]:
    """The region's strategists with an account and the people the directory lists at the region, by name."""
    people: dict[str, RegionPerson] = {}
    users = db.session.scalars(select(User).where(User.region_id == region.id, User.active.is_(True),
                                                  User.removed_at.is_(None)).order_by(User.name, User.email))
    for user in users:
        people[user.email.lower()] = RegionPerson(f"u{user.id}", user.name or user.email, user.email)
    rows = db.session.execute(
        select(Person, Membership.title).join(Membership, Membership.person_id == Person.id)
        .where(Membership.organisation_id == region.organisation_id,
               or_(Membership.until.is_(None), Membership.until >= date.today()))
        .order_by(Person.name)).all()
    for person, title in rows:
        key = (person.email or f"person-{person.id}").lower()
        people.setdefault(key, RegionPerson(f"p{person.id}", person.name, person.email, title or ""))
    return sorted(people.values(), key=lambda p: (p.name.casefold(), p.key))


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(STOCKHOLM)


def from_invitation(invitation, people: list[RegionPerson]) -> AnswerChoices:
    """The stored answer as choices: known presenters ticked, others as added rows, periods as rows."""
    by_email = {(p.email or "").lower(): p for p in people if p.email}
    by_name = {p.name.casefold(): p for p in people}
    choices = AnswerChoices(answer=invitation.answer if invitation.answer != "pending" else None, people=people,
                            comment=invitation.comment or "")
    for presenter in invitation.presenters or []:
        if not isinstance(presenter, Mapping):
            continue
        known = by_email.get(str(presenter.get("email") or "").lower()) or by_name.get(
            str(presenter.get("name") or "").casefold())
        if known:
            choices.chosen.add(known.key)
        else:
            choices.new_people.append({"name": str(presenter.get("name") or ""),
                                       "email": str(presenter.get("email") or "")})
    for period in invitation.unavailable or []:
        start, end = _local(period["start"]), _local(period["end"])
        if end.date() == start.date():
            choices.rows.append(Row(start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}"))
        else:  # a period over several days (possible through the API) shows as a row per day
            day = start.date()
            while day <= end.date() and len(choices.rows) < MAX_ROWS - FREE_UNAVAILABLE_ROWS:
                choices.rows.append(Row(day.isoformat(), f"{start:%H:%M}" if day == start.date() else "00:00",
                                        f"{end:%H:%M}" if day == end.date() else "23:59"))
                day = date.fromordinal(day.toordinal() + 1)
    pad(choices)
    return choices


def pad(choices: AnswerChoices) -> None:
    """Empty rows to add a presenter or a period without JavaScript."""
    choices.new_people += [{"name": "", "email": ""} for _ in range(NEW_PRESENTER_ROWS)]
    choices.rows += [Row() for _ in range(FREE_UNAVAILABLE_ROWS)]


def _time(value: str) -> time | None:
    try:
        return time.fromisoformat(value.replace(".", ":").zfill(5))
    except ValueError:
        return None


def read(form: Mapping[str, str], people: list[RegionPerson], getlist) -> AnswerChoices:
    """The posted choices, checked field by field (an error names its row and field)."""
    known = {p.key for p in people}
    choices = AnswerChoices(answer=form.get("answer") or None, people=people,
                            chosen={k for k in getlist("presenter") if k in known},
                            comment=(form.get("comment") or "").strip())
    if choices.answer not in ("yes", "listening", "no"):
        choices.error("answer-yes", "Välj ett svar.", "Choose an answer.")
    _read_new_people(form, choices)
    _read_unavailable(form, choices)
    return choices


def _read_new_people(form: Mapping[str, str], choices: AnswerChoices) -> None:
    for index in range(MAX_ROWS):
        name = (form.get(f"new-{index}-name") or "").strip()
        email = (form.get(f"new-{index}-email") or "").strip()
        if f"new-{index}-name" not in form and f"new-{index}-email" not in form:
            break
        if not (name or email):
            continue
        # Empty rows are dropped, so a message names the row as the form shows it again.
        row = len(choices.new_people)
        if email and not EMAIL_RE.match(email):
            choices.error(f"new-{row}-email", f"Ny presentatör {row + 1}: {email} är ingen giltig e-postadress.",
                          f"New presenter {row + 1}: {email} is not a valid e-mail address.")
        if email and not name:
            choices.error(f"new-{row}-name", f"Ny presentatör {row + 1}: ange namnet.",
                          f"New presenter {row + 1}: give the name.")
        choices.new_people.append({"name": name, "email": email})


def _read_unavailable(form: Mapping[str, str], choices: AnswerChoices) -> None:
    for posted in range(MAX_ROWS):
        if f"unavailable-{posted}-date" not in form:
            break
        row = Row(*((form.get(f"unavailable-{posted}-{part}") or "").strip() for part in ("date", "start", "end")))
        if not (row.day or row.start or row.end):
            continue
        index = len(choices.rows)  # the row's place as the form shows it again
        choices.rows.append(row)
        _check_unavailable(row, index, choices)


def _check_unavailable(row: Row, index: int, choices: AnswerChoices) -> None:
    label_sv, label_en = f"Tid ni inte kan {index + 1}", f"Unavailable time {index + 1}"
    try:
        date.fromisoformat(row.day)
    except ValueError:
        choices.error(f"unavailable-{index}-date", f"{label_sv}: ange datumet som ÅÅÅÅ-MM-DD.",
                      f"{label_en}: give the date as YYYY-MM-DD.")
    start, end = _time(row.start), _time(row.end)
    if start is None:
        choices.error(f"unavailable-{index}-start", f"{label_sv}: ange från-tiden som TT:MM.",
                      f"{label_en}: give the start time as HH:MM.")
    if end is None:
        choices.error(f"unavailable-{index}-end", f"{label_sv}: ange till-tiden som TT:MM.",
                      f"{label_en}: give the end time as HH:MM.")
    elif start is not None and end <= start:
        choices.error(f"unavailable-{index}-end", f"{label_sv}: till-tiden måste vara efter från-tiden.",
                      f"{label_en}: the end time must be after the start time.")


def presenters_text(choices: AnswerChoices) -> str:
    """The chosen and added presenters as the service reads them ("Name <e-mail>" a line)."""
    lines = []
    for person in choices.people:
        if person.key in choices.chosen:
            lines.append(f"{person.name} <{person.email}>" if person.email else person.name)
    for person in choices.new_people:
        if person["name"] or person["email"]:
            lines.append(f"{person['name']} <{person['email']}>" if person["email"] else person["name"])
    return "\n".join(lines)


def unavailable_text(choices: AnswerChoices) -> str:
    """The filled-in rows as the service reads them ("YYYY-MM-DD HH:MM–HH:MM" a line)."""
    return "\n".join(f"{r.day} {_time(r.start):%H:%M}–{_time(r.end):%H:%M}" for r in choices.rows)


# Where a service error about a whole field is shown.
SERVICE_FIELDS = {"answer": "answer-yes", "presenters": "presenters", "unavailable": "unavailable",
                  "comment": "comment"}
