"""The budget editor's cells as HTML: the attributes, hidden label and error line of every cell and the
options of its lists, each list worked out once per page.

A 20-partner budget has several hundred cells and thousands of options; written as template macros
they took most of the page's time. Every text is escaped as the template would escape it; the pieces
are plain strings joined once, since each operation on Markup costs more than the string work itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape


def _safe(html: str) -> Markup:
    return Markup(html)  # noqa: S704 - every caller builds it from escaped pieces and fixed markup


class Choices:
    """The options of a list, each written once; a cell only marks its own value as selected."""

    def __init__(self, options: Iterable[tuple[str, str]], first: tuple[str, str] | None = None):
        """``first``: an option that is never marked selected (the empty choice)."""
        self._first = f'<option value="{escape(first[0])}">{escape(first[1])}</option>' if first else ""
        self._options = [(value, f'<option value="{escape(value)}"', f">{escape(text)}</option>")
                         for value, text in options]

    def html(self, selected: str | None) -> Markup:
        return _safe(self._first + "".join(start + (" selected" if value == selected else "") + end
                                            for value, start, end in self._options))


class BudgetCells:
    def __init__(self, errors: Mapping[str, str], labels: Mapping[str, str]):
        self.errors, self.labels = errors, labels

    def attrs(self, name: str) -> Markup:
        """id, name and the error state of the cell's input."""
        n = escape(name)
        if self.errors.get(name):
            return _safe(f'id="{n}" name="{n}" aria-invalid="true" aria-describedby="{n}-error"')
        return _safe(f'id="{n}" name="{n}" aria-invalid="false"')

    def select(self, name: str, choices: Choices, value: str | None, css: str | None = None) -> Markup:
        """A list cell with ``value`` selected."""
        css = f'class="{escape(css)}" ' if css else ""
        return _safe(f"<select {css}{self.attrs(name)}>{choices.html(value)}</select>")

    def error(self, name: str) -> Markup:
        message = self.errors.get(name)
        return _safe(f'<p class="error" id="{escape(name)}-error">{escape(message)}</p>') if message else _safe("")

    def label(self, name: str) -> Markup:
        """The cell's label for screen readers ('Norrstål AB – kostnadsrad 2: belopp')."""
        return _safe(f'<label class="visually-hidden" for="{escape(name)}">{escape(self.labels.get(name, name))}'
                      "</label>")
