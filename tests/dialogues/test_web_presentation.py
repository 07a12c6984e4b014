"""The strategist's presentation editor, downloads (PDF 16:9, PPTX) and the round's agenda PDF."""

from __future__ import annotations

import io

from pptx import Presentation as Deck
from pypdf import PdfReader
from sqlalchemy import select

from synergy_app.dialogues.models_followup import Presentation
from tests.dialogues.followup_support import GOOD_CONTENT, make_round


def _url(round_, region="ostergotland", suffix=""):
    return f"/dialogues/rounds/{round_.id}/regions/{region}/presentation{suffix}"


def test_editor_is_prefilled_from_priorities_and_theme(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="ostergotland", name="Stina Strateg"))
    page = client.get(_url(round_)).get_data(as_text=True)
    assert "Hållbar industri" in page
    assert "Beräknad talartid" in page
    assert "strategi för smart specialisering" in page  # pre-filled region_s3 text
    assert "Stina Strateg" in page  # the strategist as contact
    assert "inte ett äskande om nationell finansiering" in page


def test_strategist_saves_and_downloads_her_deck(client, db_session, make_user, login):
    round_ = make_round(db_session)
    user = login(make_user("strategist", region="ostergotland"))
    response = client.post(_url(round_), data=GOOD_CONTENT)
    assert response.status_code == 302
    stored = db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id))
    assert stored.updated_by_id == user.id
    assert stored.content["focus_areas"] == ["Avancerade material och tillverkning", "Digitalisering av industrin"]
    assert stored.content["contacts"][0]["name"] == "Stina Strateg"

    pdf = client.get(_url(round_, suffix=".pdf"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(pdf.data))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Vanguard Initiative" in text

    pptx = client.get(_url(round_, suffix=".pptx"))
    assert pptx.status_code == 200
    deck = Deck(io.BytesIO(pptx.data))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    texts = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "Fullskaliga systemdemonstratorer" in texts


def test_validation_errors_name_the_field_and_save_nothing(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    bad = dict(GOOD_CONTENT, focus_areas="Bara ett område")
    response = client.post(_url(round_), data=bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Presentationen sparades inte" in page
    assert "minst 2 behövs" in page
    assert db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id)) is None


def test_speaking_time_warning_when_over_ten_minutes(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    # 1,200 words take more than nine minutes to say at 130 words a minute, plus slide time.
    long = dict(GOOD_CONTENT, region_s3=" ".join(["ord"] * 1200))
    response = client.post(_url(round_), data=long)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Varning:" in page and "mer än 10:00" in page
    assert "Korta främst" in page
    assert db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id)) is None


def test_another_regions_strategist_is_refused(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="vastmanland"))
    assert client.get(_url(round_)).status_code == 403
    assert client.post(_url(round_), data=GOOD_CONTENT).status_code == 403
    assert client.get(_url(round_, suffix=".pdf")).status_code == 403
    assert client.get(_url(round_, suffix=".pptx")).status_code == 403


def test_planner_reads_but_cannot_edit(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("planner"))
    page = client.get(_url(round_))
    assert page.status_code == 200
    assert "Bara regionens strateg" in page.get_data(as_text=True)
    assert client.post(_url(round_), data=GOOD_CONTENT).status_code == 403
    assert client.get(_url(round_, suffix=".pdf")).data.startswith(b"%PDF")


def test_reader_is_refused_and_uninvited_region_not_found(client, db_session, make_user, login):
    round_ = make_round(db_session, booked=("vastmanland",))
    login(make_user("strategist", region="ostergotland"))
    assert client.get(_url(round_)).status_code == 404
    client.post("/logout")
    login(make_user("reader"))
    assert client.get(_url(round_, region="vastmanland")).status_code == 403


def test_my_presentation_redirects_to_own_region(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    response = client.get(f"/dialogues/rounds/{round_.id}/my-presentation")
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(round_))


def test_template_that_fails_to_render_gives_a_clear_message(client, db_session, make_user, login, monkeypatch):
    from synergy_app.dialogues import views_session
    from synergy_app.dialogues.rendering import TemplateRenderError

    round_ = make_round(db_session)
    login(make_user("strategist", region="ostergotland"))
    client.post(_url(round_), data=GOOD_CONTENT)
    before = db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id)).content

    def broken(*args, **kwargs):
        raise TemplateRenderError("template 'snabbdialog-region': slides.css has errors")

    monkeypatch.setattr(views_session, "render_presentation_pdf", broken)
    response = client.get(_url(round_, suffix=".pdf"))
    assert response.status_code == 422
    assert "Mallen kunde inte återges" in response.get_data(as_text=True)
    assert db_session.scalar(select(Presentation).where(Presentation.round_id == round_.id)).content == before


def test_agenda_pdf_lists_the_running_order(client, db_session, make_user, login):
    round_ = make_round(db_session)
    login(make_user("reader"))
    response = client.get(f"/dialogues/rounds/{round_.id}/agenda.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Region Östergötland" in text and "Region Västmanland" in text
    assert text.index("Östergötland") < text.index("Västmanland")


def test_unknown_round_is_404(client, db_session, make_user, login):
    login(make_user("planner"))
    assert client.get("/dialogues/rounds/999999/agenda.pdf").status_code == 404
    assert client.get("/dialogues/rounds/999999/regions/ostergotland/presentation").status_code == 404
