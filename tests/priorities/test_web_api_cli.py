"""GET /api/v1/areas/<id>/matches, GET /api/v1/regions/<id>/matches and `flask match`."""

from __future__ import annotations

import json

from sqlalchemy import select

from synergy_app.priorities.models import Area

HALLBAR = "vinnova-hallbar-industri"


def test_area_matches_by_slug_and_id(client, make_user, api_token, db_session):
    headers = api_token(make_user("reader"))
    body = client.get(f"/api/v1/areas/{HALLBAR}/matches?top=3", headers=headers).get_json()
    assert body["area"]["slug"] == HALLBAR
    assert len(body["regions"]) == 3
    first = body["regions"][0]
    assert first["score"] >= body["regions"][1]["score"]
    match = first["priorities"][0]
    assert set(match) >= {"slug", "title", "score", "explanation", "shared_codes", "terms"}
    assert match["explanation"]["sv"].startswith("Delar ") and match["explanation"]["en"].startswith("Shares ")
    area_id = db_session.scalar(select(Area.id).where(Area.slug == HALLBAR))
    by_id = client.get(f"/api/v1/areas/{area_id}/matches?top=3", headers=headers).get_json()
    assert by_id["regions"] == body["regions"]


def test_region_matches_by_slug_county_code_and_id(client, make_user, api_token):
    headers = api_token(make_user("reader"))
    body = client.get("/api/v1/regions/vastmanland/matches", headers=headers).get_json()
    assert body["region"]["code"] == "19"
    assert body["areas"][0]["organisation_slug"]
    assert client.get("/api/v1/regions/19/matches", headers=headers).get_json()["areas"] == body["areas"]
    region_id = body["region"]["id"]
    if len(str(region_id)) > 2 or region_id > 25:
        assert client.get(f"/api/v1/regions/{region_id}/matches", headers=headers).status_code == 200


def test_unknown_ids_give_404_with_close_matches(client, make_user, api_token):
    headers = api_token(make_user("reader"))
    response = client.get("/api/v1/areas/vinnova-hallbar-industr/matches", headers=headers)
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and HALLBAR in error["suggestions"]
    region = client.get("/api/v1/regions/vastmanlnd/matches", headers=headers)
    assert region.status_code == 404 and "vastmanland" in region.get_json()["error"]["suggestions"]


def test_bad_top_is_refused(client, make_user, api_token):
    headers = api_token(make_user("reader"))
    response = client.get(f"/api/v1/areas/{HALLBAR}/matches?top=zero", headers=headers)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "top"


def test_api_needs_a_token(client):
    assert client.get(f"/api/v1/areas/{HALLBAR}/matches").status_code == 401


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["match", *args])


def test_cli_text_and_json(app, db_session):
    text = _cli(app, "--area", HALLBAR, "--top", "3")
    assert text.exit_code == 0, text.output
    assert text.output.startswith("Regions for Hållbar industri")
    assert "  1. " in text.output and "Shares" in text.output
    out = _cli(app, "--region", "vastmanland", "--format", "json", "--top", "2")
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["region"] == "vastmanland" and len(data["areas"]) == 2
    assert data["areas"][0]["priorities"][0]["explanation_en"].startswith("Shares")


def test_cli_unknown_slug_lists_close_matches_and_exits_2(app, db_session):
    result = _cli(app, "--area", "vinnova-hallbar-industr")
    assert result.exit_code == 2
    assert "unknown area 'vinnova-hallbar-industr'" in result.output and HALLBAR in result.output
    assert _cli(app, "--region", "vastmanlnd").exit_code == 2
    assert _cli(app).exit_code == 2
    assert _cli(app, "--area", HALLBAR, "--region", "vastmanland").exit_code == 2
