"""Walk the workspace as a user would (every internal link reachable from the start page) and read
each page's visible text: what a reader sees, in the language the page says it is in.

The rules a page's text must keep live here too, so the crawl tests and their own unit tests share them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Elements whose text is not read as prose: code shown on purpose (feed addresses, file names,
# the technical reason behind a "details" control) and what is never shown.
SKIPPED = {"script", "style", "code", "kbd", "samp", "pre", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Downloads and actions, not pages.
NOT_PAGES = re.compile(r"\.(ics|csv|xlsx|pdf|docx|json|eml|zip|pptx|svg|png)$|/export|/download|/feed/|"
                       r"/logout|/api/|/static/|/set-language|/lang/|format=")


@dataclass
class Run:
    text: str
    lang: str  # the language the text is declared in (nearest lang attribute)


class VisibleText(HTMLParser):
    """The page's text runs, each with its declared language; code-like elements are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, skipped)
        self.runs: list[Run] = []
        self.links: list[str] = []
        self.page_lang = ""

    def _lang(self) -> str:
        for _tag, lang, _skip in reversed(self.stack):
            if lang:
                return lang
        return self.page_lang

    def _skipping(self) -> bool:
        return any(skip for _tag, _lang, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = (attrs.get("lang") or "")[:2]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in VOID:
            if tag == "img" and attrs.get("alt") and not self._skipping():
                self.runs.append(Run(attrs["alt"], self._lang()))
            return
        classes = (attrs.get("class") or "").split()
        skipped = tag in SKIPPED or "technical" in classes or "hidden" in attrs
        self.stack.append((tag, (attrs.get("lang") or "")[:2] or None, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skipping():
            self.runs.append(Run(text, self._lang()))


def read_page(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


# --- the rules ---------------------------------------------------------------------------------------------

URL_OR_MAIL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:se|eu|com|org|invalid|ics|xlsx|csv|pdf|docx)\b")
SNAKE_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PYTHON_VALUE = re.compile(r"\b(True|False)\b")
PYTHON_NONE = re.compile(r"\bNone\b")  # a word in English, a program value on a Swedish page
FORMAT_VALUE = re.compile(r"(?<![.\w/])(xlsx|csv|ics|docx|pdf|json|yaml)\b")

SWEDISH_WORDS = {"och", "för", "inte", "med", "till", "att", "är", "som", "på", "av", "eller", "har", "kan",
                 "ska", "vid", "från", "efter", "utan", "alla", "inga", "saknas", "visa", "spara",
                 "detta", "denna", "finns", "inom", "mellan", "enligt", "sig", "sina", "vara"}
ENGLISH_WORDS = {"the", "and", "of", "with", "for", "to", "is", "are", "not", "this", "that", "from", "by",
                 "has", "have", "be", "no", "none", "which", "its", "their", "show", "save"}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# "1 varningar", "1 warnings": a count of one with a plural noun, or a plural written as "(s)".
SV_ONE_PLURAL = re.compile(r"(?<![\d,.\u00a0\u202f ])\b1 (varningar|flaggor|fel|regioner|projekt(?:en)|avgöranden|"
                           r"utlysningar|pass|partner(?:s)|åtgärder|rader|timmar|dagar|organisationer|"
                           r"omgångar|meddelanden|inbjudningar|bokningar|presentationer|områden|prioriteringar|"
                           r"aktörer|kostnader|poster|frågor|svar(?:en))\b")
EN_ONE_PLURAL = re.compile(r"(?<![\d,.\u00a0\u202f ])\b1 (warnings|errors|flags|regions|projects|rulings|calls|"
                           r"slots|partners|actions|rows|hours|days|organisations|rounds|messages|invitations|"
                           r"bookings|presentations|areas|priorities|costs|items|questions|answers|changes|"
                           r"infos|notes|matches)\b")
PSEUDO_PLURAL = re.compile(r"\w\((?:s|ar|or|er|na)\)")

# One way to write numbers per language: no English thousands/decimals on a Swedish page and the reverse.
SV_FOREIGN_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+\.\d{1,2}\s?(?:%|kr|euro|EUR|SEK)")
EN_FOREIGN_NUMBER = re.compile(r"\b\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?\s?(?:kr|euro|SEK|EUR|%)|"
                               r"\b\d+,\d{1,2}\s?(?:%|kr|euro|EUR|SEK)|\b0,\d+\b")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - 40):end + 40]


def problems_in(runs: list[Run], page_lang: str, slugs: frozenset[str] = frozenset(),
                data: re.Pattern[str] | None = None) -> list[str]:
    """What a reader should never see in these text runs, each named with the words around it.

    `data` matches what users and reference records wrote (titles, names, notes): it is read in the
    language it was written in, so only the words around it are held to the page's language.
    """
    found: list[str] = []
    other = {"sv": ("English", ENGLISH_WORDS), "en": ("Swedish", SWEDISH_WORDS)}
    plural = {"sv": SV_ONE_PLURAL, "en": EN_ONE_PLURAL}
    numbers = {"sv": ("English number", SV_FOREIGN_NUMBER), "en": ("Swedish number", EN_FOREIGN_NUMBER)}
    for run in runs:
        text = URL_OR_MAIL.sub(" ", run.text)
        checks = [(SNAKE_KEY, "internal key"), (PYTHON_VALUE, "program value"), (FORMAT_VALUE, "file-format value"),
                  (PSEUDO_PLURAL, "pseudo-plural")]
        if run.lang in plural:
            checks += [(plural[run.lang], "plural error"), (numbers[run.lang][1], numbers[run.lang][0])]
        if run.lang == "sv":
            checks.append((PYTHON_NONE, "program value"))
        for pattern, what in checks:
            found += [f"{what} {m.group(0)!r} in {_around(text, m.start(), m.end())!r}"
                      for m in pattern.finditer(text)]
        for m in re.finditer(r"(?<![\w-])[a-z0-9][a-z0-9-]+(?![\w-])", text):
            if m.group(0) in slugs:
                found.append(f"slug {m.group(0)!r} in {_around(text, m.start(), m.end())!r}")
        if run.lang in other:
            name, words = other[run.lang]
            foreign = _words(data.sub(" ", text) if data else text) & words
            if len(foreign) >= 2:
                found.append(f"{name} {sorted(foreign)} on a {'Swedish' if run.lang == 'sv' else 'English'} "
                             f"page in {text[:120]!r}")
    if page_lang not in ("sv", "en"):
        found.append(f"page language {page_lang!r}")
    return found


# --- the walk ----------------------------------------------------------------------------------------------

def data_pattern(values) -> re.Pattern[str]:
    """One pattern for every stored text (longest first, so a title wins over a word inside it)."""
    texts = sorted({" ".join(v.split()) for v in values if v and len(v.strip()) > 3}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in texts) or r"(?!x)x")


def pattern_of(path: str) -> str:
    """Pages that differ only by ids or dates are one kind of page."""
    path = re.sub(r"/\d+(?=/|$)", "/N", path)
    path = re.sub(r"/(areas|regions|organisations|funders|clusters|themes|people)/[^/]+", r"/\1/S", path)
    return re.sub(r"\d{4}-\d{2}-\d{2}", "D", path)


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # path -> html
    failures: list[str] = field(default_factory=list)


def crawl(client, start: tuple[str, ...] = ("/start",), *, per_pattern: int = 1, limit: int = 200,
          skip: re.Pattern[str] = NOT_PAGES) -> Crawl:
    """Every internal page reachable by links from `start` (GET only), a few of each kind."""
    result = Crawl()
    queue: deque[str] = deque(start)
    seen: set[str] = set(start)
    per_kind: dict[str, int] = {}
    while queue and len(result.pages) < limit:
        path = queue.popleft()
        kind = pattern_of(urlsplit(path).path)
        if per_kind.get(kind, 0) >= per_pattern:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            continue
        if response.status_code != 200:
            result.failures.append(f"{path}: {response.status_code}")
            continue
        if not response.mimetype == "text/html":
            continue
        html = response.get_data(as_text=True)
        result.pages[path] = html
        for href in read_page(html).links:
            for target in _internal(path, href):
                if target not in seen and not skip.search(target):
                    seen.add(target)
                    queue.append(target)
    return result


def _internal(base: str, href: str) -> Iterator[str]:
    url = urlsplit(urljoin("http://localhost" + base, href))
    if url.netloc not in ("localhost", "") or url.scheme not in ("http", ""):
        return
    query = "&".join(p for p in url.query.split("&") if p and not p.startswith("lang="))
    yield url.path + (f"?{query}" if query else "")
