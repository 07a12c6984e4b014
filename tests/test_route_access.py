"""Walk every route with every role and check the allowed/denied answer.

Each view declares its audience with @allow(...); this test refuses a route without a
declaration and checks that the declaration is enforced: a logged-in role outside the
audience gets 403, an anonymous visitor is sent to the login page (or 401 under /api/).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from synergy_app.auth.access import PUBLIC, access_of, role_allowed
from synergy_app.auth.models import ROLES

# A sample value for every URL parameter name used by any route. A route with a new
# parameter name fails below until a sample is added here.
SAMPLES = {
    "key": "ostergotland",
    "slug": "vinnova",
    "code": "sv",
    "filename": "css/app.css",
    "token_id": 1,
    "actual_id": 1,
    "slot_id": 1,
    "id": 1,
    "region": "ostergotland",
    "area": "vinnova-hallbar-industri",
    "fmt": "csv",
    "section": "actions",
}

# Endpoints whose request ends the session; they are requested last for each role.
LAST = {"auth.logout"}


def _routes(app):
    """Every (rule, method) pair the app answers, GET before the writes of the same rule."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}, key=lambda m: (m != "GET", m)):
            routes.append((rule, method))
    routes.sort(key=lambda item: (item[0].endpoint in LAST, item[0].rule, item[1] != "GET"))
    return routes


def test_the_walk_covers_every_registered_rule_and_method(app):
    walked = {(rule.rule, method) for rule, method in _routes(app)}
    registered = {(rule.rule, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert registered - walked == set()
    for rule, _method in _routes(app):
        _url(rule)  # fails with the missing sample's name


def _url(rule) -> str:
    values = {}
    for arg in rule.arguments:
        if arg not in SAMPLES:
            pytest.fail(f"route {rule.rule}: add a sample value for parameter '{arg}' to SAMPLES")
        values[arg] = SAMPLES[arg]
    return rule.build(values, append_unknown=False)[1]


def test_every_route_declares_who_may_use_it(app):
    missing = [rule.rule for rule, _ in _routes(app) if access_of(app.view_functions[rule.endpoint]) is None]
    assert missing == [], f"routes without @allow(...): {missing}"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_route_answers_each_role_as_declared(app, client, make_user, login, api_token, db_session, role):
    headers = {}
    if role is not None:
        user = make_user(role, region="ostergotland" if role == "strategist" else None)
        login(user)
        headers = api_token(user)
        from synergy_app.auth.models import ApiToken

        SAMPLES["token_id"] = db_session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
    problems = []
    for rule, method in _routes(app):
        audience = access_of(app.view_functions[rule.endpoint])
        url = _url(rule)
        is_api = rule.rule.startswith("/api/")
        response = client.open(url, method=method, headers=headers if is_api else {})
        status = response.status_code
        allowed = role_allowed(audience, role)
        if allowed:
            if status in (401, 403) or (status == 302 and "/login" in response.headers.get("Location", "")
                                        and PUBLIC not in audience and rule.endpoint != "auth.logout"):
                problems.append(f"{role}: {method} {url} should be allowed, got {status}")
        else:
            expected = 403 if role is not None else (401 if is_api else 302)
            if status != expected:
                problems.append(f"{role}: {method} {url} should be denied with {expected}, got {status}")
            if role is None and not is_api and "/login" not in response.headers.get("Location", ""):
                problems.append(f"anonymous: {method} {url} should redirect to the login page")
        if status >= 500:
            problems.append(f"{role}: {method} {url} failed with {status}")
    assert problems == []
