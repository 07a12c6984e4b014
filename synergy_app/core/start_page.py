"""The start page as a work list for each role, built from the capabilities' public functions.

A strategist sees her region's rounds step by step (answer, book, prepare, follow up), her region's open
actions and the calls closing soon; a planner the upcoming rounds with what is missing, soft conflicts,
calls closing, alignment warnings and overdue actions; the taskforce drafts, projects asking for an
assessment and recently revised rulings; a reader what changed this week. Every task links to the page
where it is done, and doing it takes it off the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..calendar import public as calendar
from ..db_types import utcnow
from ..dialogues import public as dialogues
from ..directory import public as directory
from ..formatting import format_datetime, to_local
from ..i18n import pick
from ..priorities import public as priorities
from ..projects import public as projects
from ..stateaid import public as stateaid

CALLS_CLOSING_DAYS = 30
RULINGS_RECENT_DAYS = 14
CHANGES_DAYS = 7
# A list shows this many lines; when there are more it says so and links to the whole list.
SHOWN = 20


@dataclass(frozen=True)
class Step:
    """One step of a strategist's work on a round."""

    label: str
    state: str
    done: bool
    due: date | datetime | None = None
    url: str | None = None  # set on the step to do now
    overdue: bool = False


@dataclass(frozen=True)
class RoundWork:
    round_id: int
    theme: str
    meeting: datetime | None
    steps: tuple[Step, ...]
    held: bool = False

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if s.url), None)


@dataclass(frozen=True)
class Item:
    """One line of a list: what it is, why it is there, and the link that does or shows it."""

    text: str
    url: str | None = None
    link: str | None = None  # the link's words when they differ from the text
    when: date | datetime | None = None
    when_label: str | None = None
    details: tuple[str, ...] = ()
    overdue: bool = False


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    intro: str = ""
    more_url: str | None = None  # the whole list, linked when the section holds more than it shows
    more_text: str = ""

    @property
    def more(self) -> bool:
        return len(self.items) > SHOWN

    @property
    def shown(self) -> list[Item]:
        return self.items[:SHOWN]


@dataclass
class StartPage:
    role: str
    lead: str
    rounds: list[RoundWork] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return len([r for r in self.rounds if r.next_step]) + sum(
            len(s.items) for s in self.sections if s.key in TASK_SECTIONS)


# Sections whose lines are things to do (the others inform).
TASK_SECTIONS = frozenset({"actions", "gaps", "warnings", "overdue", "drafts", "assessments"})


def today() -> date:
    return to_local(utcnow()).date()


# --- strategist --------------------------------------------------------------------------------------------


def _answer_state(answer: str) -> str:
    return {"yes": _("Klart: ni presenterar"), "no": _("Klart: ni avstår"),
            "listening": _("Klart: ni lyssnar")}.get(answer, _("Inte besvarad"))


def round_steps(row: dict, region_slug: str) -> RoundWork:
    """The four steps of a region's round and which one is to do now (at most one carries a link)."""
    held = row["status"] == "held"
    meeting = row["first_meeting"]
    presenting = row["answer"] == "yes"
    steps: list[Step] = []
    answered = row["answer"] != "pending"
    steps.append(Step(_("Svara på inbjudan"), _answer_state(row["answer"]), answered, meeting,
                      None if answered or held else url_for("dialogues.answer", id=row["round_id"])))
    if not answered:
        steps.append(Step(_("Boka ett pass"), _("När ni har tackat ja"), False))
        steps.append(Step(_("Förbered presentationen"), _("När ni har tackat ja"), False))
    elif not presenting:
        steps.append(Step(_("Boka ett pass"), _("Behövs inte"), True))
        steps.append(Step(_("Förbered presentationen"), _("Behövs inte"), True))
    else:
        booked = row["booked_at"] is not None
        booked_state = _("Bokat %(when)s", when=format_datetime(row["booked_at"])) if booked else _("Inget pass bokat")
        book_url = url_for("dialogues.round_page", id=row["round_id"]) + "#book-heading"
        steps.append(Step(_("Boka ett pass"), booked_state, booked, meeting, None if booked or held else book_url))
        state = {None: _("Inte påbörjad"), "draft": _("Utkast sparat, inte klart"),
                 "ready": _("Klar")}[row["presentation"]]
        ready = row["presentation"] == "ready"
        steps.append(Step(_("Förbered presentationen"), state, ready, meeting,
                          None if ready or held else url_for("dialogue_session.presentation", id=row["round_id"],
                                                             region=region_slug)))
    if held:
        open_actions = row["open_actions"]
        steps.append(Step(_("Följ upp"),
                          ngettext("%(num)s öppen åtgärd", "%(num)s öppna åtgärder", open_actions)
                          if open_actions else _("Inga öppna åtgärder"),
                          not open_actions, row["next_due"],
                          url_for("dialogue_followup.round_followup", id=row["round_id"]) if open_actions else None,
                          bool(open_actions and row["next_due"] and row["next_due"] < today())))
    else:
        steps.append(Step(_("Följ upp"), _("Efter mötet"), False))
    # Only the first step still to do carries its link: the list reads as "do this next".
    first = next((i for i, s in enumerate(steps) if s.url), None)
    steps = [s if i == first else Step(s.label, s.state, s.done, s.due, None, s.overdue)
             for i, s in enumerate(steps)]
    return RoundWork(row["round_id"], row["theme"], meeting, tuple(steps), held)


def _action_items(actions: list[dict]) -> list[Item]:
    return [Item(a["description"], url_for("dialogue_followup.round_followup", id=a["round_id"]),
                 _("Följ upp i %(round)s", round=a["theme"]), a["due"], _("Förfaller"),
                 (_("Ansvarig: %(owner)s", owner=a["owner"]),), a["overdue"]) for a in actions]


def _call_items(calls: list[dict]) -> list[Item]:
    return [Item(c["title"], url_for("calendar.call", id=c["id"]), None, c["deadline"], _("Sista ansökningsdag"),
                 (c["funder"],)) for c in calls]


def _closing_url(region: str | None = None) -> str:
    """The calendar list of the coming CALLS_CLOSING_DAYS (for the region when one is given)."""
    day = today()
    args = {"from": day.isoformat(), "to": (day + timedelta(days=CALLS_CLOSING_DAYS)).isoformat()}
    return url_for("calendar.index", region=region, **args) if region else url_for("calendar.index", **args)


def strategist_page(user) -> StartPage:
    region = user.region
    page = StartPage("strategist", _("Det här är nästa steg för %(region)s.", region=region.name))
    rows = dialogues.region_rounds(region.id)
    page.rounds = [w for w in (round_steps(r, region.slug) for r in rows) if w.next_step]
    page.sections.append(Section(
        "actions", _("Öppna åtgärder för %(region)s", region=region.name),
        _action_items(dialogues.open_actions_for_region(region.id, today(), limit=SHOWN + 1)),
        _("Regionen har inga öppna åtgärder."),
        more_url=url_for("dossiers.region_section", key=region.slug, section="actions"),
        more_text=_("Alla regionens öppna åtgärder")))
    page.sections.append(Section(
        "calls", _("Utlysningar som stänger inom %(n)s dagar", n=CALLS_CLOSING_DAYS),
        _call_items(calendar.calls_closing(CALLS_CLOSING_DAYS, region_id=region.id, limit=SHOWN + 1)),
        _("Ingen utlysning som är öppen för regionen stänger de närmaste %(n)s dagarna.", n=CALLS_CLOSING_DAYS),
        more_url=_closing_url(region.slug), more_text=_("Alla utlysningar de närmaste %(n)s dagarna i kalendern",
                                                         n=CALLS_CLOSING_DAYS)))
    return page


# --- planner -----------------------------------------------------------------------------------------------


def _gap_items(rounds: list[dict]) -> tuple[list[Item], list[Item]]:
    """(missing answers and bookings, soft conflicts to acknowledge), a line per round and kind."""
    gaps, warnings = [], []
    for r in rounds:
        meeting, round_url = r["first_meeting"], url_for("dialogues.round_page", id=r["round_id"])
        schedule_url = url_for("dialogues.schedule", id=r["round_id"])
        if r["status"] == "draft":
            gaps.append(Item(r["theme"], schedule_url, _("Skicka inbjudningarna"), meeting, _("Möte"),
                             (_("Rundan är ett utkast: inbjudningarna är inte skickade."),)))
        if r["pending"]:
            gaps.append(Item(r["theme"], round_url, _("Se svaren"), meeting, _("Möte"), (
                ngettext("%(num)s region har inte svarat: %(names)s", "%(num)s regioner har inte svarat: %(names)s",
                         len(r["pending"]), names=", ".join(r["pending"])),)))
        if r["unbooked"]:
            gaps.append(Item(r["theme"], schedule_url, _("Lägg schemat"), meeting, _("Möte"), (
                ngettext("%(num)s region har tackat ja men har inget pass: %(names)s",
                         "%(num)s regioner har tackat ja men har inget pass: %(names)s",
                         len(r["unbooked"]), names=", ".join(r["unbooked"])),)))
        if r["warnings"]:
            warnings.append(Item(r["theme"], schedule_url, _("Kvittera på schemasidan"), meeting, _("Möte"),
                                 tuple(pick(sv, en) for sv, en in r["warnings"])))
    return gaps, warnings


def planner_page(user) -> StartPage:
    agency = user.organisation if user.role == "planner" else None
    lead = (_("Det här väntar på %(agency)s.", agency=agency.name) if agency
            else _("Det här väntar i alla myndigheters rundor."))
    page = StartPage("planner", lead)
    gaps, warnings = _gap_items(dialogues.agency_round_gaps(agency.id if agency else None, utcnow()))
    page.sections += [
        Section("gaps", _("Kommande rundor: svar och bokningar som saknas"), gaps,
                _("Alla inbjudna regioner har svarat och alla som presenterar har ett pass.")),
        Section("warnings", _("Mjuka konflikter att kvittera"), warnings,
                _("Inga okvitterade konflikter i de kommande rundorna.")),
        Section("overdue", _("Försenad uppföljning av snabbdialoger"),
                _action_items(dialogues.overdue_actions_for_agency(agency.id if agency else None, today(),
                                                                   limit=SHOWN + 1)),
                _("Ingen uppföljning är försenad."), more_url=url_for("dialogues.index"),
                more_text=_("Alla snabbdialoger")),
        Section("alignment", _("Varningar i samordnade utlysningar du följer"),
                [Item(w["set_name"], url_for("calendar.coordinated_set", id=w["set_id"]), None, None, None,
                      (pick(w["message_sv"], w["message_en"]),))
                 for w in calendar.followed_set_warnings(user.id, limit=SHOWN + 1)],
                _("Inga varningar i de samordnade utlysningar du följer."),
                _("Samordnade uppsättningar som du har skapat eller där du följer en utlysning."),
                more_url=url_for("calendar.coordinated_sets"), more_text=_("Alla samordnade uppsättningar")),
        Section("calls", _("Utlysningar som stänger inom %(n)s dagar", n=CALLS_CLOSING_DAYS),
                _call_items(calendar.calls_closing(CALLS_CLOSING_DAYS, limit=SHOWN + 1)),
                _("Ingen utlysning stänger de närmaste %(n)s dagarna.", n=CALLS_CLOSING_DAYS),
                more_url=_closing_url(), more_text=_("Alla utlysningar de närmaste %(n)s dagarna i kalendern",
                                                     n=CALLS_CLOSING_DAYS)),
    ]
    return page


# --- taskforce ---------------------------------------------------------------------------------------------


def _reason(revision: dict) -> tuple[str, ...]:
    """A revision's reason as a line that says what it is (none when it gave none)."""
    return (_("Skäl: %(reason)s", reason=revision["reason"]),) if revision["reason"] else ()



def taskforce_page(user) -> StartPage:
    page = StartPage("taskforce", _("Det här väntar på statsstödstaskforcen."))
    since = utcnow() - timedelta(days=RULINGS_RECENT_DAYS)
    page.sections += [
        Section("drafts", _("Utkast till avgöranden"),
                [Item(f"{r['number']}: {r['title']}", url_for("stateaid.show", id=r["id"]),
                      _("Gör klart och kom överens om %(number)s", number=r["number"]), r["revised_at"],
                      _("Senast ändrat")) for r in stateaid.draft_rulings(limit=SHOWN + 1)],
                _("Inga utkast väntar."), more_url=url_for("stateaid.index", status="draft"),
                more_text=_("Alla utkast i registret")),
        Section("assessments", _("Projekt vars flaggor ber om en bedömning"),
                [Item(p["title"], url_for("projects.show", id=p["id"]) + "#bedomning",
                      _("Bedöm och länka ett avgörande"), None, None,
                      tuple(pick(sv, en) for sv, en in p["flags"]))
                 for p in projects.projects_awaiting_assessment(limit=SHOWN + 1)],
                _("Inget projekt väntar på en bedömning.")),
        Section("revised", _("Avgöranden ändrade de senaste %(n)s dagarna", n=RULINGS_RECENT_DAYS),
                # Drafts are listed above, as work to finish; here what the register holds changed.
                [Item(f"{r['number']}: {r['title']}", url_for("stateaid.show", id=r["id"]), None, r["revised_at"],
                      _("Version %(n)s", n=r["revision"]), (r["status_label"], *_reason(r)))
                 for r in stateaid.rulings_revised_since(since, limit=SHOWN + 1) if r["status"] != "draft"],
                _("Inga avgöranden har ändrats de senaste %(n)s dagarna.", n=RULINGS_RECENT_DAYS),
                more_url=url_for("stateaid.index"), more_text=_("Alla avgöranden i registret")),
    ]
    return page


# --- reader ------------------------------------------------------------------------------------------------


def _latest_first(items: list[Item]) -> list[Item]:
    """Changes of different kinds in one list, the latest first (each kind comes sorted, but not together)."""
    return sorted(items, key=lambda i: i.when.timestamp() if isinstance(i.when, datetime) else 0, reverse=True)


def _date_text(value: str | None) -> str:
    """A stored ISO date or UTC moment as it is shown elsewhere ("–" when there was none)."""
    if not value:
        return "–"
    if len(value) <= 10:
        return value
    try:
        return format_datetime(datetime.fromisoformat(value))
    except ValueError:
        return value


def reader_page(user) -> StartPage:
    page = StartPage("reader", _("Det här har ändrats de senaste %(n)s dagarna.", n=CHANGES_DAYS))
    since = utcnow() - timedelta(days=CHANGES_DAYS)
    page.sections += [
        Section("rounds", _("Snabbdialoger"), _latest_first(
                [Item(r["theme"], url_for("dialogues.round_page", id=r["round_id"]), None, r["changed_at"],
                      _("Ändrad"), (round_status_label(r["status"]),))
                 for r in dialogues.rounds_changed_since(since, limit=SHOWN + 1)]
                + [Item(f["theme"], url_for("dialogue_followup.round_followup", id=f["round_id"]), None,
                        f["created_at"], _("Återkoppling"), (f"{f['organisation']}: {f['led_to']}",))
                   for f in dialogues.feedback_since(since, limit=SHOWN + 1)]),
                _("Inga snabbdialoger har ändrats."), more_url=url_for("dialogues.index"),
                more_text=_("Alla snabbdialoger")),
        Section("call_dates", _("Flyttade datum i utlysningar"),
                [Item(c["title"], url_for("calendar.call", id=c["call_id"]), None, c["changed_at"], _("Ändrad"),
                      (_("%(what)s: %(old)s → %(new)s", what=c["label"] or _("Datum"), old=_date_text(c["old"]),
                         new=_date_text(c["new"])),)) for c in calendar.date_changes_since(since, limit=SHOWN + 1)],
                _("Inga datum har flyttats."), more_url=url_for("calendar.index"), more_text=_("Alla utlysningar")),
        Section("new_calls", _("Nya utlysningar"),
                [Item(c["title"], url_for("calendar.call", id=c["id"]), None, c["created_at"], _("Tillagd"),
                      (c["funder"],)) for c in calendar.calls_added_since(since, limit=SHOWN + 1)],
                _("Inga nya utlysningar."), more_url=url_for("calendar.index"), more_text=_("Alla utlysningar")),
        Section("rulings", _("Statsstödsavgöranden"), _ruling_changes(since),
                _("Inga avgöranden har kommit överens eller ändrats."), more_url=url_for("stateaid.index"),
                more_text=_("Alla avgöranden i registret")),
    ]
    return page


def _ruling_changes(since: datetime) -> list[Item]:
    """Rulings agreed since `since`, then agreed rulings revised since then (each ruling once; drafts are
    the taskforce's own)."""
    agreed = stateaid.agreed_rulings_since(since, limit=SHOWN + 1)
    items = [Item(f"{r['number']}: {r['title']}", url_for("stateaid.show", id=r["id"]), None, r["agreed_at"],
                  _("Överenskommet")) for r in agreed]
    seen = {r["id"] for r in agreed}
    items += [Item(f"{r['number']}: {r['title']}", url_for("stateaid.show", id=r["id"]), None, r["revised_at"],
                   _("Version %(n)s", n=r["revision"]), _reason(r))
              for r in stateaid.rulings_revised_since(since, limit=SHOWN + 1)
              if r["status"] != "draft" and r["id"] not in seen]
    return items


def round_status_label(status: str) -> str:
    """The round's state in words, as the round pages name it."""
    return current_app.jinja_env.filters["round_status"](status)


# --- the page ----------------------------------------------------------------------------------------------


def start_page(user) -> StartPage:
    """The work list for the signed-in user's role."""
    if user.role == "strategist" and user.region is not None:
        return strategist_page(user)
    if user.role in ("planner", "admin"):
        return planner_page(user)
    if user.role == "taskforce":
        return taskforce_page(user)
    return reader_page(user)


def directory_counts() -> dict[str, int]:
    """How much the directory holds, for the line of links under the work list."""
    return {**directory.counts(), **priorities.counts()}
