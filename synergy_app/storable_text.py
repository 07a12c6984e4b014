"""Text the database and the exports can hold.

PostgreSQL refuses a NUL byte in text; XML (and so XLSX and PPTX) refuses every other C0 control
character except tab, newline and carriage return; UTF-8 cannot encode a lone surrogate (which a
JSON escape such as "\\ud800" produces). Such characters are refused where text comes in and
replaced where text goes out, so neither a request nor an export fails on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from .errors import FieldError

# The same C0 range as openpyxl's ILLEGAL_CHARACTERS_RE, plus the surrogate block.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def forbidden_character(text: str) -> str | None:
    """The first character of `text` that cannot be stored, as 'U+0000'; None when all can."""
    found = FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def replace_forbidden(text: str) -> str:
    """`text` with every character that cannot be stored shown as U+FFFD, for output."""
    return FORBIDDEN.sub(REPLACEMENT, text)


def text_error(field: str, codepoint: str) -> FieldError:
    return FieldError(
        field,
        f"innehåller ett tecken som inte kan sparas ({codepoint}, ett styrtecken). Ta bort det och försök igen.",
        f"contains a character that cannot be stored ({codepoint}, a control character). Remove it and try again.",
    )


def problems_in(value, root: str = "") -> Iterator[tuple[str, str]]:
    """(field path, code point) for every text in a decoded JSON/YAML value, keys included.

    Walks with an explicit stack, so a deeply nested document costs no recursion."""
    stack = [(root, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            codepoint = forbidden_character(item)
            if codepoint:
                yield path or "body", codepoint
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                name = str(key)
                codepoint = forbidden_character(name)
                if codepoint:
                    yield (f"{path}.{name!r}" if path else repr(name)), codepoint
                    continue
                stack.append((f"{path}.{name}" if path else name, child))
        elif isinstance(item, list | tuple):
            for i in reversed(range(len(item))):
                stack.append((f"{path}[{i}]", item[i]))
