"""403 and 404 pages say why and what to do, naming who can grant access; in Swedish and English."""

from __future__ import annotations

import pytest

TEXT = {
    "sv": {"forbidden": "Åtkomst nekad", "for": "Sidan är till för: Planerare (nationell myndighet), Regional strateg.",
           "as": "Du är inloggad som Lisa Läsare med rollen Läsare", "todo": "Vad du kan göra",
           "grant": "Det är bara administratörer som kan ge behörighet", "admins": "Administratörer",
           "missing": "Sidan finns inte", "check": "Kontrollera adressen", "round": "Rundan ”987654” finns inte.",
           "why": "Varför"},
    "en": {"forbidden": "Access denied", "for": "This page is for: Planner (national agency), Regional strategist.",
           "as": "You are signed in as Lisa Läsare with the role Reader", "todo": "What you can do",
           "grant": "Only administrators can grant access", "admins": "Administrators",
           "missing": "Page not found", "check": "Check the address", "round": "The round “987654” does not exist.",
           "why": "Why"},
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_forbidden_page_says_who_the_page_is_for_and_who_grants_access(client, make_user, login, lang):
    make_user("admin", email="ada.admin@test.invalid", name="Ada Administratör")
    login(make_user("reader", name="Lisa Läsare"))
    response = client.get(f"/projects/new?lang={lang}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    words = TEXT[lang]
    for key in ("forbidden", "for", "as", "todo", "grant", "admins", "why"):
        assert words[key] in html, key
    assert '<a href="mailto:ada.admin@test.invalid">Ada Administratör</a>' in html


def test_forbidden_page_names_the_strategists_region(client, make_user, login):
    login(make_user("strategist", region="ostergotland", name="Stina"))
    response = client.get("/projects/de-minimis")
    assert response.status_code == 403
    assert "(Region Östergötland)" in response.get_data(as_text=True)


def test_refusal_with_a_reason_keeps_it(client, make_user, login, db_session):
    from synergy_app.auth.models import User

    planner = make_user("planner")
    db_session.get(User, planner.id).organisation_id = None  # an account from before planners named an agency
    db_session.flush()
    login(planner)
    response = client.post("/calendar/calls/new", data={"title": "x"})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "inte knutet till någon myndighet" in html and "Vad du kan göra" in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_unknown_address_says_why_and_what_to_do(client, make_user, login, lang):
    login(make_user("reader"))
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    for key in ("missing", "why", "todo", "check"):
        assert TEXT[lang][key] in html, key
    assert 'href="/dialogues/"' in html and 'href="/calendar/"' in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_missing_record_is_named_in_words(client, make_user, login, lang):
    login(make_user("reader"))
    response = client.get(f"/dialogues/987654?lang={lang}")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert TEXT[lang]["round"] in html and TEXT[lang]["todo"] in html
    assert "round '987654'" not in html


def test_api_errors_stay_json(client, make_user, api_token):
    headers = api_token(make_user("reader"))
    response = client.get("/api/v1/no-such-thing", headers=headers)
    assert response.status_code == 404 and response.is_json


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_refusal_for_another_regions_work_names_whose_it_is(client, db_session, make_user, login, lang):
    # Her role may use the page; the presentation belongs to another region, so the page says so rather
    # than listing her own role among those the page is for.
    from datetime import UTC, datetime, timedelta

    from tests.dialogues.followup_support import make_round

    round_ = make_round(db_session, start=datetime.now(UTC) + timedelta(days=30), booked=(), theme="Runda")
    login(make_user("strategist", region="varmland", name="Vera"))
    response = client.get(f"/dialogues/rounds/{round_.id}/regions/ostergotland/presentation?lang={lang}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    words = {"sv": ("hör till Region Östergötland", "Be någon som arbetar för Region Östergötland att göra det.",
                    "Sidan är till för"),
             "en": ("belongs to Region Östergötland", "Ask someone working for Region Östergötland to do it.",
                    "This page is for")}[lang]
    assert words[0] in html and words[1] in html
    assert words[2] not in html
