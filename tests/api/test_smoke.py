from tests.api.conftest import Http


def test_health_answers_without_login(anon: Http) -> None:
    res = anon.get("/health")
    assert res.status == 200
    assert res.json["status"] == "ok" and res.json["database"] == "ok"


def test_admin_creates_and_lists_an_area(admin: Http) -> None:
    res = admin.post("/areas", {"name": "Industrial Park"})
    assert res.status == 201, res.json
    listed = admin.get("/areas")
    assert listed.json["total"] == 1 and listed.json["items"][0]["name"] == "Industrial Park"
