"""The one PDF helper: WeasyPrint with the same options for every capability."""

import pytest

from synergy_app.reports.pdf import PDF_MIME, StylesheetError, html_to_pdf, response

HTML = "<h1>Statsstödskontroll för Västerås</h1><p>Åtgärd: 1 200 000 kr</p>"


def test_html_becomes_a_pdf_without_and_with_an_app(app):
    assert html_to_pdf(HTML).startswith(b"%PDF-")
    with app.app_context():
        assert html_to_pdf(HTML).startswith(b"%PDF-")


def test_a_stylesheet_that_weasyprint_would_partly_skip_is_refused(tmp_path):
    css = tmp_path / "slides.css"
    css.write_text("@page { size: A4 }\nh1 { colr: red; }\n", encoding="utf-8")
    with pytest.raises(StylesheetError) as exc:
        html_to_pdf(HTML, base_url=tmp_path, stylesheets=[css])
    assert exc.value.kind == "invalid" and "colr" in exc.value.detail
    css.write_text("@page { size: A4 } h1 { color: red }", encoding="utf-8")
    assert html_to_pdf(HTML, base_url=tmp_path, stylesheets=[css]).startswith(b"%PDF-")
    with pytest.raises(StylesheetError) as missing:
        html_to_pdf(HTML, stylesheets=[tmp_path / "none.css"])
    assert missing.value.kind == "missing" and str(missing.value) == "none.css: not found"


def test_response_shows_inline_or_downloads(app):
    with app.test_request_context():
        shown = response(b"%PDF-1.7", "rapport.pdf")
        saved = response(b"%PDF-1.7", "rapport.pdf", inline=False)
    assert shown.mimetype == PDF_MIME
    assert shown.headers["Content-Disposition"] == 'inline; filename="rapport.pdf"'
    assert saved.headers["Content-Disposition"] == 'attachment; filename="rapport.pdf"'
