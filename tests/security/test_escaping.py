"""User text is inert everywhere: a script payload typed into every text field of every form comes
back escaped on every page, and starting-like-a-formula text is kept text in CSV and XLSX exports.

The forms are found as a user finds them: crawling the pages an admin can open (demo data loaded)
and filling every text input and textarea of each form, keeping the other fields' values.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from tests.security.support import seed_demo

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = "=1+1" + IMG + SCRIPT  # also starts like a spreadsheet formula
MARK = "onerror=alert(1)"
SKIP = ("/logout", "/lang/", "/static/", "/api/", "/login")
TEXT_TYPES = {"text", "search", "", None}
MAX_PER_ENDPOINT = 2
MAX_PAGES = 260


def _endpoint_key(path: str) -> str:
    return re.sub(r"/\d+", "/N", path)


def _crawl(client, start: str = "/start") -> tuple[dict[str, bytes], list[tuple[str, object]]]:
    """GET pages reachable by links from the start page; returns bodies by URL and the forms found."""
    seen: dict[str, int] = {}
    pages: dict[str, bytes] = {}
    forms: list[tuple[str, object]] = []
    queue = [start]
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        pages[url] = response.get_data()
        if not response.headers.get("Content-Type", "").startswith("text/html") or not pages[url]:
            continue
        doc = lxml_html.fromstring(pages[url])
        for form in doc.forms:
            if (form.method or "GET").upper() == "POST":
                forms.append((url, form))
        for href in doc.xpath("//a/@href"):
            target = urljoin(url, href).split("#")[0]
            parts = urlsplit(target)
            if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIP) or path in pages:
                continue
            key = _endpoint_key(parts.path)
            if seen.get(key, 0) >= MAX_PER_ENDPOINT:
                continue
            seen[key] = seen.get(key, 0) + 1
            queue.append(path)
    return pages, forms


def _fill(form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for element in form.inputs:
        name = element.get("name")
        if not name:
            continue
        tag = element.tag
        kind = (element.get("type") or "").lower()
        if tag == "textarea" or (tag == "input" and kind in TEXT_TYPES):
            data.setdefault(name, []).append(PAYLOAD)
        elif tag == "select":
            options = [o.get("value", o.text_content()) for o in element.xpath(".//option")]
            chosen = element.value if not element.multiple else list(element.value)
            if element.multiple:
                data.setdefault(name, []).extend(chosen or options[:1])
            else:
                data.setdefault(name, []).append(chosen or next((o for o in options if o), ""))
        elif kind in ("checkbox", "radio"):
            if element.checked:
                data.setdefault(name, []).append(element.get("value", "on"))
        elif kind in ("submit", "button", "file", "reset", "image"):
            continue
        else:
            data.setdefault(name, []).append(element.get("value") or "")
    return data


def _raw_payload(body: bytes) -> bool:
    text = body.decode("utf-8", "replace")
    return SCRIPT in text or "<img src=x onerror" in text


@pytest.fixture
def admin_with_demo(db_session, make_user, login):
    seed_demo()
    return login(make_user("admin"))


def test_script_typed_into_every_form_comes_back_escaped_everywhere(client, admin_with_demo):
    _pages, forms = _crawl(client)
    assert len(forms) > 30, "the crawl found the forms"
    submitted = problems = 0
    problems = []
    filled_forms = set()
    for url, form in forms:
        action = urljoin(url, form.action or url)
        data = _fill(form)
        key = (_endpoint_key(urlsplit(action).path), tuple(sorted(data)))
        if "/logout" in action or key in filled_forms or PAYLOAD not in sum(data.values(), []):
            continue
        filled_forms.add(key)
        response = client.post(urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query
                                                         else ""), data=data)
        submitted += 1
        if response.status_code >= 500:
            problems.append(f"POST {action}: {response.status_code}")
        if _raw_payload(response.get_data()):
            problems.append(f"POST {action}: payload raw in the answer")
    assert submitted > 25
    pages, _forms = _crawl(client)
    stored = 0
    for url, body in pages.items():
        if MARK.encode() in body or MARK.replace("=", "&#61;").encode() in body:
            stored += 1
        if _raw_payload(body):
            problems.append(f"GET {url}: payload raw")
    assert problems == []
    assert stored > 3, "the payload was saved and shown (escaped) on pages"


FORMULAS = ['=HYPERLINK("http://evil.example","klick")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def _cells(fmt: str, body: bytes) -> list[str]:
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";") for cell in row]
    cells = []
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                cells.append(str(cell.value or ""))
    return cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_de_minimis_export_keeps_formula_like_text_as_text(monkeypatch, fmt):
    from synergy_app.stateaid import ledger

    row = {key: FORMULAS[i % len(FORMULAS)] for i, (key, _label) in enumerate(ledger.EXPORT_COLUMNS)}
    monkeypatch.setattr(ledger, "export_rows", lambda: [row])
    cells = [c for c in _cells(fmt, ledger.export(fmt)[0]) if any(f in c for f in FORMULAS)]
    assert len(cells) == len(ledger.EXPORT_COLUMNS)
    assert all(c.startswith("'") for c in cells), cells


def test_the_rulings_register_keeps_formula_like_text_as_text():
    from types import SimpleNamespace

    from synergy_app.stateaid.rulings_output import register_xlsx

    ruling = SimpleNamespace(number="SA-1")
    revision = SimpleNamespace(title=FORMULAS[0], question=FORMULAS[1], conclusion=FORMULAS[2],
                               legal_basis=[{"citation": FORMULAS[3]}], topics=[], agencies=[], flag_codes=[],
                               decided_on=None, in_force_from=None, number=1)
    cells = [c for c in _cells("xlsx", register_xlsx([(ruling, revision)])) if any(f in c for f in FORMULAS)]
    assert len(cells) == 4 and all(c.startswith("'") for c in cells), cells
