"""Linking calendar calls and taskforce rulings to a project."""

from __future__ import annotations

from synergy_app.calendar.models import Call
from synergy_app.directory.models import Organisation
from synergy_app.projects import checking
from synergy_app.stateaid import rulings_service
from tests.stateaid.test_rulings_service import BASE as RULING


def test_link_and_unlink_a_call(client, planner, demo_project, db_session):
    funder = db_session.query(Organisation).filter(Organisation.slug == "vinnova").one()
    call = Call(identity="ref:vinnova:test-hi", funder_id=funder.id, title="Testutlysning Hållbar industri")
    db_session.add(call)
    db_session.flush()
    assert client.post(f"/projects/{demo_project.id}/calls", data={"call": call.id}).status_code == 302
    page = client.get(f"/projects/{demo_project.id}").get_data(as_text=True)
    assert "Testutlysning Hållbar industri" in page
    client.post(f"/projects/{demo_project.id}/calls", data={"call": call.id, "action": "unlink"})
    db_session.expire_all()
    assert checking.load_project(demo_project.id).calls == []


def test_unknown_call_is_refused(client, planner, demo_project):
    response = client.post(f"/projects/{demo_project.id}/calls", data={"call": 999999})
    assert response.status_code == 400


def _ruling(taskforce, *, agreed: bool):
    ruling = rulings_service.create_ruling({**RULING, "title": f"Testbäddar som mellanhand ({agreed})"}, taskforce)
    if agreed:
        rulings_service.agree_ruling(ruling, taskforce)
    return ruling


def test_taskforce_links_a_ruling_to_a_flag(client, make_user, login, demo_project, db_session):
    taskforce = login(make_user("taskforce"))
    ruling = _ruling(taskforce, agreed=True)
    response = client.post(f"/projects/{demo_project.id}/rulings",
                           data={"flag_code": "INDIRECT_AID_VIA_INTERMEDIARY", "ruling_id": ruling.id,
                                 "label": "Testbäddar som mellanhand"})
    assert response.status_code == 302
    db_session.expire_all()
    links = checking.load_project(demo_project.id).ruling_links
    assert [(link.flag_code, link.ruling_id) for link in links] == [("INDIRECT_AID_VIA_INTERMEDIARY", ruling.id)]
    assert "Testbäddar som mellanhand" in client.get(f"/projects/{demo_project.id}").get_data(as_text=True)


def test_a_draft_ruling_cannot_be_linked_as_a_precedent(client, make_user, login, demo_project, db_session):
    taskforce = login(make_user("taskforce"))
    draft = _ruling(taskforce, agreed=False)
    for ruling_id, message in ((draft.id, "Bara överenskomna avgöranden kan länkas som prejudikat; ett utkast "
                                          "kan inte länkas."),
                               (draft.id + 1000, "Avgörandet finns inte.")):
        response = client.post(f"/projects/{demo_project.id}/rulings",
                               data={"flag_code": "INDIRECT_AID_VIA_INTERMEDIARY", "ruling_id": ruling_id,
                                     "label": "Utkast"})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert checking.load_project(demo_project.id).ruling_links == []


def test_reader_cannot_link(client, make_user, login, demo_project):
    login(make_user("reader"))
    assert client.post(f"/projects/{demo_project.id}/rulings", data={"flag_code": "X", "ruling_id": 1}).status_code \
        == 403
