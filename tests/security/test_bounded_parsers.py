"""Every parser costs what its input is worth: structures that explode (YAML aliases, recurrences from an
old DTSTART, declared sheet dimensions, deep nesting) give a clear, short message within a bounded time.

Bounds are generous so that a loaded machine does not fail them: under 2 s a document and messages under
2 kB (the unbounded versions took minutes and built messages of hundreds of megabytes).
"""

from __future__ import annotations

import copy
import io
import json
import re
import time
import zipfile
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import yaml
from click.testing import CliRunner
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from synergy_app.bounded_parsing import NoAliasLoader, check_nesting, load_yaml
from synergy_app.calendar.import_ics import (
    MAX_FILE_OCCURRENCES,
    STOCKHOLM,
    _Event,
    _expand,
    parse_ics,
)
from synergy_app.calendar.import_tabular import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, parse_xlsx
from synergy_app.projects.xlsx_budget import WorkbookError, document_from_workbook, template_xlsx
from synergy_app.stateaid.cli import check_project_command
from synergy_app.stateaid.project_document import DocumentError, parse_project_document
from tests.stateaid.conftest import EXAMPLE

SECONDS = 2.0
MESSAGE_BYTES = 2048
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WINDOW = (date(2023, 1, 1), date(2036, 12, 31))


@contextmanager
def bounded_time(seconds: float = SECONDS):
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"took {elapsed:.2f} s"


def _short(*messages: str) -> None:
    for message in messages:
        assert message and len(message.encode()) < MESSAGE_BYTES, f"{len(message.encode())} bytes"


def _refused_document(content) -> DocumentError:
    with bounded_time():
        try:
            parse_project_document(content)
        except DocumentError as exc:
            _short(exc.message_sv, exc.message_en, str(exc))
            return exc
    raise AssertionError("the document was accepted")


# --- YAML aliases ------------------------------------------------------------------------------------

FIELDS = ["title", "partners[0].kind", "partners[0].size", "partners[0].name", "costs[0].amount_sek",
          "costs[0].category", "funding[0].partner", "partners[0].de_minimis_received"]


@st.composite
def alias_bombs(draw):
    """A project file whose anchors nest `depth` levels with `fan` aliases each, used in a field."""
    depth, fan = draw(st.integers(2, 12)), draw(st.integers(2, 12))
    flow = draw(st.booleans())
    lines = [f'a0: &a0 "{draw(st.text(alphabet="lo", min_size=1, max_size=5))}"']
    for level in range(1, depth + 1):
        refs = ", ".join([f"*a{level - 1}"] * fan)
        lines.append(f"a{level}: &a{level} [{refs}]" if flow else
                     f"a{level}: &a{level}\n" + "\n".join(f"  - *a{level - 1}" for _ in range(fan)))
    bomb = f"*a{depth}"
    field = draw(st.sampled_from(FIELDS))
    doc = yaml.safe_dump(EXAMPLE, allow_unicode=True, sort_keys=False)
    key = field.rsplit(".", 1)[-1]
    doc = re.sub(rf"(^|\n)(\s*-?\s*){re.escape(key)}: [^\n]*", rf"\1\2{key}: {bomb}", doc, count=1)
    return "\n".join(lines) + "\n" + doc


@FUZZ
@given(alias_bombs())
def test_yaml_aliases_are_refused_quickly_with_a_short_message(content):
    exc = _refused_document(content)
    assert "alias" in exc.message_en


def test_the_issues_nested_alias_example():
    # "A few hundred bytes of nested aliases": nine levels of nine; expanded, 387 million strings.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    content = "\n".join(lines) + "\ntitle: *i\ngrant_date: 2026-03-01\npartners: *i\ncosts: *i\n"
    assert len(content) < 600
    exc = _refused_document(content)
    assert exc.message_sv.endswith(")") and "alias" in exc.message_en


def test_an_anchor_without_alias_still_reads():
    doc = yaml.safe_dump(EXAMPLE, allow_unicode=True, sort_keys=False).replace("title:", "title: &t", 1)
    assert parse_project_document(doc).title == EXAMPLE["title"]


# Documents read from libyaml's events must read exactly as the full loader reads them (values, types,
# key order), and anything else (aliases, merge keys, tags, errors) must get the full loader's answer.
SAME_READING = [
    "title: Projekt\ngrant_date: 2026-03-01\namount_sek: 1200000\nrate: '0.40'\neffective: yes\nnone: ~\n",
    "a: 017\nb: 0x1F\nc: 1_000\nd: -5\ne: +5\nf: 1.5\ng: .inf\nh: 190:20:30\ni: '12'\nj: !!str 12\n",
    "a: 2026-02-28T10:00:00Z\nb: !!binary aGVsbG8=\nc: ! 12\nd: |\n  text\ne: >\n  folded\n",
    "1: one\n1.5: x\n2020-01-01: day\ntrue: t\n~: nothing\n'quoted': \"x\"\n",
    "partners:\n- id: a\n  costs: [1, {b: [c, {d: e}]}]\n- {id: b}\n", "", "--- 12", "[1, [2, [3]]]",
    "a: &x 1\nb: 2\n", "a: &x 1\nb: *x\n", "<<: {a: 1}\nb: 2\n", "? [1, 2]\n: 3\n", "a: !!set {x, y}\n",
    "a: !foo bar\n", "a: 2026-02-30\n", "a: 1\n---\nb: 2\n", "a: [1, 2\n", "a: !!python/name:os.system\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n", "a: !!int '99999'\n", "a: " + "9" * 5000 + "\n",
]


def _reading(read, text):
    try:
        value = read(text)
    except Exception as exc:  # noqa: BLE001 - the outcome itself is compared
        return type(exc), str(exc)
    return repr(value)


@pytest.mark.parametrize("text", SAME_READING)
def test_yaml_reads_the_same_as_the_full_loader(text):
    def full(content):
        check_nesting(content)
        return yaml.load(content, Loader=NoAliasLoader)  # noqa: S506 (a SafeLoader subclass)

    for content in (text, text.encode()):
        assert _reading(load_yaml, content) == _reading(full, content)


def test_a_project_file_reads_the_same_as_with_the_full_loader():
    doc = yaml.safe_dump(EXAMPLE, allow_unicode=True, sort_keys=False)
    assert repr(load_yaml(doc)) == repr(yaml.load(doc, Loader=NoAliasLoader))  # noqa: S506
    assert load_yaml(doc) == EXAMPLE


# --- huge values in messages ---------------------------------------------------------------------------

HUGE = st.one_of(
    st.integers(10_000, 200_000).map(lambda n: "x" * n),
    st.integers(1_000, 5_000).map(lambda n: list(range(n))),
    st.integers(200, 1_000).map(lambda n: {f"k{i}": "v" * 50 for i in range(n)}),
    st.just("@@BIGINT@@"),  # a 5,000-digit integer literal, written into the text below
)


@FUZZ
@given(st.sampled_from(["kind", "size", "category", "partner", "amount_sek", "id-twice", "unknown-key"]), HUGE)
def test_a_huge_value_is_quoted_as_a_short_excerpt(where, value):
    doc = copy.deepcopy(EXAMPLE)
    if where in ("kind", "size"):
        doc["partners"][0][where] = value
    elif where in ("category", "partner", "amount_sek"):
        doc["costs"][0][where] = value
    elif where == "id-twice":
        long_id = value if isinstance(value, str) else "y" * 50_000
        doc["partners"][0]["id"] = doc["partners"][1]["id"] = long_id
    else:
        doc["partners"][0]["x" * 10_000 if isinstance(value, str) else "extra"] = 1
    text = json.dumps(doc).replace('"@@BIGINT@@"', "9" * 5000)
    _refused_document(text)
    _refused_document(yaml.safe_dump(doc, allow_unicode=True).replace("'@@BIGINT@@'", "9" * 5000))


# --- nesting ----------------------------------------------------------------------------------------

@st.composite
def deep_documents(draw):
    depth = draw(st.sampled_from([65, 100, 1_000, 10_000, 100_000, 1_000_000]))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ("[{\"b\":", "}]")]))
    inner = opening * depth + "1" + closing * draw(st.integers(0, depth))
    field = draw(st.sampled_from(["title", "partners", "costs", "collaboration"]))
    doc = json.dumps({**EXAMPLE, field: "@@"}).replace('"@@"', inner)
    return doc if draw(st.booleans()) else "[" * depth  # a whole document of brackets too


@FUZZ
@given(deep_documents())
def test_deep_nesting_is_an_invalid_document(content):
    exc = _refused_document(content)
    assert "nested deeper than 64 levels" in exc.message_en or "cannot be read" in exc.message_en


def test_deep_nesting_exits_2_in_check_project(tmp_path):
    path = tmp_path / "djup.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = CliRunner().invoke(check_project_command, [str(path)])
    assert result.exit_code == 2
    assert "nästlat djupare än 64 nivåer" in result.output


def test_deep_nesting_is_a_400_on_the_api_and_the_web_import(client, make_user, api_token, login, db_session):
    deep = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    user = make_user("planner")
    for content_type in ("application/json", "application/yaml"):
        response = client.post("/api/v1/projects/check", data=deep,
                               headers={**api_token(user), "Content-Type": content_type})
        assert response.status_code == 400
        assert "nested deeper than 64" in response.get_json()["error"]["message"] or \
            "nästlat djupare än 64" in response.get_json()["error"]["message"]
    # Any API body: the JSON reader refuses it as not JSON instead of overflowing the stack.
    response = client.post("/api/v1/calls/alignment", data=b"[" * 100_000,
                           headers={**api_token(user), "Content-Type": "application/json"})
    assert response.status_code == 400
    login(user)
    response = client.post("/projects/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(deep), "djup.json")})
    assert response.status_code == 400
    assert "nästlat djupare än 64 nivåer" in response.get_data(as_text=True)


# --- ICS recurrence ---------------------------------------------------------------------------------

def _ics(events: list[tuple[str, str, str]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for n, (dtstart, rrule, summary) in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:serie-{n}@example.se", f"SUMMARY:{summary}", f"DTSTART{dtstart}",
                  f"RRULE:{rrule}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode()


BY_PARTS = st.lists(st.sampled_from([
    "BYMONTH=2", "BYMONTHDAY=30", "BYMONTHDAY=-1", "BYMONTHDAY=29", "BYDAY=MO", "BYDAY=MO,FR", "BYDAY=-1FR",
    "BYSETPOS=2", "BYSETPOS=-1", "BYYEARDAY=366", "BYWEEKNO=53", "BYHOUR=9", "WKST=SU", "BYMONTH=6,12",
]), max_size=3, unique=True)
FREQS = st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"])


@st.composite
def recurring_events(draw):
    year = draw(st.sampled_from([1, 1600, 1900, 1970, 2000, 2022, 2026, 2040]))
    day = date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    if draw(st.booleans()):
        dtstart = f";VALUE=DATE:{day.year:04d}{day.month:02d}{day.day:02d}"
    else:
        hour, zone = draw(st.integers(0, 23)), draw(st.sampled_from(["", "Z"]))
        dtstart = f":{day.year:04d}{day.month:02d}{day.day:02d}T{hour:02d}0000{zone}"
    parts = [f"FREQ={draw(FREQS)}", f"INTERVAL={draw(st.sampled_from([1, 2, 3, 7, 13, 1000]))}"]
    parts += draw(BY_PARTS)
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.sampled_from([1, 10, 1000, 10**6, 10**9]))}")
    summary = draw(st.sampled_from(["Utlysning", "Sista ansökningsdag", "Öppnar", "x" * 5000]))
    return dtstart, ";".join(parts), summary


@FUZZ
@given(st.lists(recurring_events(), min_size=1, max_size=5))
def test_any_recurrence_expands_in_bounded_time_and_output(events):
    with bounded_time():
        preview = parse_ics(_ics(events), "vinnova", {"vinnova"}, window_start=WINDOW[0], window_end=WINDOW[1])
    assert len(preview.rows) <= 5 * 500 + 5
    for error in list(preview.file_errors) + [e for r in preview.rows for e in r.errors + r.warnings]:
        _short(error.message_sv, error.message_en)


def test_the_issues_example_a_high_frequency_from_an_old_dtstart():
    for rrule in ("FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=HOURLY"):
        with bounded_time():
            preview = parse_ics(_ics([(":19000101T090000Z", rrule, "Utlysning")]), "vinnova", {"vinnova"},
                                window_start=WINDOW[0], window_end=WINDOW[1])
        assert [e.message_en for r in preview.rows for e in r.errors] == [
            "Event 1 (Utlysning): A call recurs at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)."]
    with bounded_time():
        preview = parse_ics(_ics([(";VALUE=DATE:19000101", "FREQ=DAILY", "Utlysning")]), "vinnova", {"vinnova"},
                            window_start=WINDOW[0], window_end=WINDOW[1])
    assert len(preview.rows) == 500
    assert preview.rows[0].warnings[0].message_en == (
        'Event 1 ("Utlysning"): the recurrence yields more than 500 occurrences in the window; '
        "only the first 500 are read.")
    assert preview.rows[0].call.opens_on == date(2023, 1, 1)  # the window's first day, not 1900


def test_a_rule_that_matches_nothing_stops_at_the_window():
    with bounded_time():
        preview = parse_ics(_ics([(";VALUE=DATE:20230101", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "Utlysning")]),
                            "vinnova", {"vinnova"}, window_start=WINDOW[0], window_end=WINDOW[1])
    assert preview.rows[0].warnings[0].message_en == "Event 1: no occurrences in the chosen window."


def test_count_from_long_before_the_window_is_refused_naming_the_event():
    preview = parse_ics(_ics([(";VALUE=DATE:10000101", "FREQ=DAILY;COUNT=1000000000", "Gammal serie")]),
                        "vinnova", {"vinnova"}, window_start=WINDOW[0], window_end=WINDOW[1])
    message = preview.rows[0].errors[0].message_en
    assert message.startswith('Event 1 ("Gammal serie"): the recurrence would have to be counted from a DTSTART')
    assert "UNTIL instead of COUNT" in message


def test_the_occurrences_of_a_whole_file_are_capped_naming_the_event():
    events = [(f";VALUE=DATE:2024{m:02d}01", "FREQ=WEEKLY", f"Serie {m}") for m in range(1, 13)]
    preview = parse_ics(_ics(events), "vinnova", {"vinnova"}, window_start=WINDOW[0], window_end=WINDOW[1])
    assert preview.rows == [] and len(preview.file_errors) == 1
    message = preview.file_errors[0].message_en
    assert f"more than {MAX_FILE_OCCURRENCES} occurrences together" in message
    assert re.search(r'passed at event \d+, "Serie \d+"', message)


@st.composite
def ordinary_rules(draw):
    """Rules a funder might write, from a DTSTART before or inside the window."""
    start = datetime(draw(st.integers(1995, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28)),
                     draw(st.integers(0, 23)), draw(st.sampled_from([0, 30])))
    freq = draw(st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY"]))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 5))}"]
    parts += draw(st.lists(st.sampled_from(["BYMONTH=3,9", "BYMONTHDAY=15", "BYMONTHDAY=-1", "BYDAY=TU",
                                            "BYDAY=MO,TH", "BYSETPOS=1", "WKST=SU", "BYHOUR=14"]),
                           max_size=2, unique=True))
    if freq in ("YEARLY", "MONTHLY") and "BYSETPOS=1" in parts and not any(p.startswith("BYDAY") for p in parts):
        parts.remove("BYSETPOS=1")
    timed = draw(st.booleans())
    return (start.replace(tzinfo=STOCKHOLM) if timed else start.date()), ";".join(parts)


@settings(max_examples=150, deadline=None)
@given(ordinary_rules())
def test_skipping_ahead_gives_the_occurrences_walking_from_dtstart_gives(rule):
    start, rrule = rule
    ev = _Event(1, "x@y", "x", None, start, None, rrule)
    window = (date(2026, 1, 1), date(2031, 12, 31))
    found, _ = _expand(ev, *window, limit=100_000)
    timed = isinstance(start, datetime)
    dtstart = start if timed else datetime.combine(start, datetime.min.time())
    lo = datetime.combine(window[0], datetime.min.time())
    hi = datetime.combine(window[1], datetime.max.time())
    if timed:
        lo, hi = lo.replace(tzinfo=STOCKHOLM), hi.replace(tzinfo=STOCKHOLM)
    expected = []
    for occurrence in rrulestr(rrule, dtstart=dtstart):
        if occurrence > hi:
            break
        if occurrence >= lo:
            # In UTC: a wall time in the spring-forward gap never equals an instant in another zone (PEP 495).
            expected.append(occurrence.replace(tzinfo=None).replace(tzinfo=STOCKHOLM).astimezone(UTC) if timed
                            else occurrence.date())
    assert found == expected


# --- XLSX dimensions -------------------------------------------------------------------------------

def _with_dimension(content: bytes, ref: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data)
            archive.writestr(info.filename, data)
    return out.getvalue()


@st.composite
def huge_sheets(draw):
    """A small workbook with a far cell and a declared dimension up to the whole sheet (A1:XFD1048576)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel", "Finansiär", "Referens", "Öppnar", "Sista ansökningsdag"])
    row, column = draw(st.integers(2, 1_048_576)), draw(st.integers(1, 16_384))
    ws.cell(row=row, column=column, value=draw(st.sampled_from(["x", "vinnova", 1, None])))
    buffer = io.BytesIO()
    wb.save(buffer)
    last = draw(st.sampled_from(["XFD1048576", "A1048576", "XFD2", f"XFD{row}"]))
    return _with_dimension(buffer.getvalue(), f"A1:{last}")


@FUZZ
@given(huge_sheets())
def test_a_declared_or_far_away_sheet_size_is_not_walked(content):
    with bounded_time():
        preview = parse_xlsx(content, {"vinnova"})
    for error in list(preview.file_errors) + [e for r in preview.rows for e in r.errors]:
        _short(error.message_sv, error.message_en)


def test_the_caps_are_named():
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel"])
    ws.cell(row=MAX_SHEET_ROWS + 5, column=1, value="x")
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = parse_xlsx(_with_dimension(buffer.getvalue(), "A1:XFD1048576"), {"vinnova"})
    assert [e.message_en for e in preview.file_errors] == [
        f"The sheet has more than {MAX_SHEET_ROWS} rows; split the file."]
    wb = Workbook()
    wb.active.append(["Titel"])
    wb.active.cell(row=2, column=MAX_SHEET_COLUMNS + 1, value="x")
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = parse_xlsx(buffer.getvalue(), {"vinnova"})
    assert [e.message_en for e in preview.file_errors] == [
        f"Row 2 has values beyond column {MAX_SHEET_COLUMNS}; the template has fewer columns."]


@FUZZ
@given(st.sampled_from(["Projekt", "Partner", "Kostnader", "Finansiering"]), st.integers(2, 1_048_576),
       st.integers(1, 16_384))
def test_a_budget_workbook_with_a_far_cell_is_bounded(sheet, row, column):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_xlsx()))
    if sheet in wb.sheetnames:
        wb[sheet].cell(row=row, column=column, value="x")
    buffer = io.BytesIO()
    wb.save(buffer)
    content = _with_dimension(buffer.getvalue(), "A1:XFD1048576")
    with bounded_time():
        try:
            document_from_workbook(content)
        except WorkbookError as exc:
            _short(exc.message_sv, exc.message_en)


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_reading():
    wb = Workbook()
    wb.active.append(["Titel"])
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * (60 * 1024 * 1024))
            archive.writestr(info.filename, data)
    content = out.getvalue()
    assert len(content) < 200_000
    with bounded_time():
        preview = parse_xlsx(content, {"vinnova"})
    assert [e.message_en for e in preview.file_errors] == ["The workbook unpacks to more than 50 MB and is not read."]
    with bounded_time(), __import__("pytest").raises(WorkbookError, match="unpacks to more than 50 MB"):
        document_from_workbook(content)


def test_time_zone_and_interval_alignment_examples():
    """Weekly every other Tuesday from 2001 keeps its fortnight grid when skipped ahead to 2026."""
    ev = _Event(1, "x@y", "x", None, date(2001, 1, 2), None, "FREQ=WEEKLY;INTERVAL=2")
    found, _ = _expand(ev, date(2026, 1, 1), date(2026, 2, 28), limit=100)
    assert all((d - date(2001, 1, 2)).days % 14 == 0 for d in found) and found[0] < date(2026, 1, 15)
    assert found[0] - timedelta(days=14) < date(2026, 1, 1)


@FUZZ
@given(st.sampled_from(["header", "funder", "date"]), st.integers(1_000, 100_000))
def test_a_huge_cell_is_quoted_as_a_short_excerpt(where, size):
    from synergy_app.calendar.import_tabular import parse_csv

    huge = "x" * size
    header = ["Titel", "Finansiär", "Referens", "Öppnar", "Sista ansökningsdag"]
    row = ["Utlysning", "vinnova", "ref-1", "2026-01-01", "2026-03-01"]
    if where == "header":
        header.append(huge)
    elif where == "funder":
        row[1] = huge
    else:
        row[3] = huge
    content = (";".join(header) + "\n" + ";".join(row) + "\n").encode()
    with bounded_time():
        preview = parse_csv(content, {"vinnova"})
    errors = list(preview.file_errors) + [e for r in preview.rows for e in r.errors]
    assert errors
    for error in errors:
        _short(error.message_sv, error.message_en)
