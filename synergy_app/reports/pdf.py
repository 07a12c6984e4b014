"""HTML to PDF with WeasyPrint, made the same way for every capability.

Relative links (images, stylesheets) resolve against files, never over HTTP: a PDF made during a
request must not fetch from the server that is busy making it. By default that is the app's static
folder; a presentation template passes its own folder. Fonts come from one FontConfiguration per
document, shared by its stylesheets and its HTML, so @font-face rules apply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

__all__ = ["PDF_MIME", "PdfError", "StylesheetError", "html_to_pdf", "response"]

PDF_MIME = "application/pdf"


class PdfError(RuntimeError):
    """The PDF could not be made."""


class StylesheetError(PdfError):
    """A stylesheet is missing, cannot be read or has rules WeasyPrint skips (which would silently drop
    a page size or a font)."""

    MESSAGES = {"missing": "not found", "unreadable": "cannot be read: {}", "invalid": "has errors: {}"}

    def __init__(self, path: Path, kind: str, detail: str = ""):
        self.path, self.kind, self.detail = path, kind, detail
        super().__init__(f"{path.name}: " + self.MESSAGES[kind].format(detail))


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _default_base_url() -> str | None:
    from flask import current_app, has_app_context  # noqa: PLC0415

    if has_app_context() and current_app.static_folder:
        return Path(current_app.static_folder).as_uri() + "/"
    return None


def _stylesheet(path: Path, fonts):
    from weasyprint import CSS  # noqa: PLC0415 - WeasyPrint loads Pango at import time

    if not path.is_file():
        raise StylesheetError(path, "missing")
    logger = logging.getLogger("weasyprint")
    collector = _CollectWarnings()
    logger.addHandler(collector)
    try:
        sheet = CSS(filename=str(path), font_config=fonts)
    except Exception as exc:  # WeasyPrint raises parser and OS errors alike for an unreadable file
        raise StylesheetError(path, "unreadable", str(exc)) from exc
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise StylesheetError(path, "invalid", "; ".join(collector.messages[:3]))
    return sheet


def html_to_pdf(html: str, *, base_url: str | Path | None = None, stylesheets: Sequence[Path] = ()) -> bytes:
    """The PDF of ``html``. ``base_url``: where relative links point (default: the app's static folder);
    ``stylesheets``: extra CSS files, each refused with StylesheetError when WeasyPrint would skip a rule."""
    from weasyprint import HTML  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    fonts = FontConfiguration()
    sheets = [_stylesheet(Path(p), fonts) for p in stylesheets]
    if base_url is None:
        base_url = _default_base_url()
    elif isinstance(base_url, Path):
        base_url = str(base_url)
    try:
        return HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets, font_config=fonts)
    except Exception as exc:  # layout can fail in many ways; all of them mean "no PDF"
        raise PdfError(str(exc)) from exc


def response(pdf: bytes, filename: str, *, inline: bool = True):
    """A Flask response with the PDF, shown in the browser (inline) or downloaded."""
    from flask import Response  # noqa: PLC0415

    disposition = "inline" if inline else "attachment"
    return Response(pdf, mimetype=PDF_MIME, headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})
