def test_api_requires_a_token_and_answers_in_json(client):
    response = client.get("/api/v1/regions")
    assert response.status_code == 401
    assert set(response.get_json()["error"]) >= {"code", "message", "field"}


def test_revoked_or_wrong_token_is_refused(client, make_user, api_token, db_session):
    from synergy_app.auth import service
    from synergy_app.auth.models import ApiToken

    user = make_user()
    headers = api_token(user)
    assert client.get("/api/v1/regions", headers=headers).status_code == 200
    token = db_session.query(ApiToken).filter_by(user_id=user.id).one()
    service.revoke_token(user, token.id)
    assert client.get("/api/v1/regions", headers=headers).status_code == 401
    assert client.get("/api/v1/regions", headers={"Authorization": "Bearer syn_nonsense"}).status_code == 401


def test_regions_list_has_codes_names_and_priorities(client, make_user, api_token):
    data = client.get("/api/v1/regions", headers=api_token(make_user())).get_json()
    assert len(data["regions"]) == 21
    skane = next(r for r in data["regions"] if r["slug"] == "skane")
    assert skane["code"] == "12" and skane["name"] == "Region Skåne"
    assert skane["priorities"] and {"title", "codes", "source"} <= set(skane["priorities"][0])


def test_region_by_code_or_slug(client, make_user, api_token):
    headers = api_token(make_user())
    by_code = client.get("/api/v1/regions/05", headers=headers).get_json()
    by_slug = client.get("/api/v1/regions/ostergotland", headers=headers).get_json()
    assert by_code == by_slug and by_code["nuts3"] == "SE123"


def test_unknown_region_is_a_json_404_with_close_matches(client, make_user, api_token):
    response = client.get("/api/v1/regions/ostergotlnd", headers=api_token(make_user()))
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found" and "ostergotland" in error["suggestions"]


def test_organisations_filtered_by_kind(client, make_user, api_token):
    headers = api_token(make_user())
    agencies = client.get("/api/v1/organisations?kind=national_agency", headers=headers).get_json()["organisations"]
    assert agencies and all(o["kind"] == "national_agency" for o in agencies)
    assert "vinnova" in {o["slug"] for o in agencies}
    clusters = client.get("/api/v1/organisations?kind=cluster_initiative", headers=headers).get_json()
    assert len(clusters["organisations"]) == 39


def test_unknown_kind_names_the_field(client, make_user, api_token):
    response = client.get("/api/v1/organisations?kind=spaceship", headers=api_token(make_user()))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == "kind" and "national_agency" in error["message"]


def test_unknown_api_route_is_json(client, make_user, api_token):
    response = client.get("/api/v1/nothing-here", headers=api_token(make_user()))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_healthz_reports_database_and_migrations(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
