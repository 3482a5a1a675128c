"""Device profiles: any brand onboarded by its OBIS file."""

from __future__ import annotations

from tests.api.conftest import Http
from tests.conftest import fixture_bytes


def profile(admin: Http) -> dict:
    res = admin.post("/device-profiles", {"brand": "Acme", "model": "SP-1", "meter_type": "Single Phase"})
    assert res.status == 201, res.json
    return res.json


def test_the_sample_obis_file_fills_a_profile(admin: Http) -> None:
    created = profile(admin)
    dry = admin.upload(
        f"/device-profiles/{created['id']}/objects/import?dry_run=true", fixture_bytes("obis-single-phase-prepaid.csv")
    )
    assert dry.status == 200 and dry.json["valid_rows"] == 36 and dry.json["errors"] == []
    assert admin.get(f"/device-profiles/{created['id']}").json["objects"] == []
    res = admin.upload(
        f"/device-profiles/{created['id']}/objects/import", fixture_bytes("obis-single-phase-prepaid.csv")
    )
    assert res.status == 200 and res.json["created"] == 36
    objects = admin.get(f"/device-profiles/{created['id']}").json["objects"]
    energy = next(o for o in objects if o["obis"] == "1.0.1.8.0.255")
    assert energy == {
        "obis": "1.0.1.8.0.255",
        "class_id": 3,
        "kind": "attribute",
        "index": 2,
        "name": "Active energy import (+A) total",
        "group": "Energy",
        "unit": "kWh",
        "scaler": 0.01,
        "access": "R",
        "data_type": "double-long-unsigned",
    }
    disconnect = next(o for o in objects if o["obis"] == "0.0.96.3.10.255" and o["kind"] == "method")
    assert disconnect["access"] == "X" and disconnect["index"] == 1


def test_a_bad_obis_file_writes_nothing_and_names_each_row(admin: Http) -> None:
    created = profile(admin)
    csv = (
        b"OBIS Code,Class ID,Kind,Index,Name,Group,Unit,Scaler,Access,Data Type\n"
        b"1.0.1.8.0.255,3,attribute,2,Energy,Energy,kWh,0.01,R,double-long-unsigned\n"
        b"1.0.1.8.0,3,attribute,2,Energy again,Energy,kWh,0.01,R,double-long-unsigned\n"
        b"1.0.1.8,3,attribute,2,Broken,Energy,kWh,0.01,R,double-long-unsigned\n"
        b"0.0.96.3.10.255,70,method,1,Disconnect,Relay,,,R,\n"
        b"1.0.32.7.0.255,3,attribute,2,Voltage,Inst,V,-1,R,long-unsigned-ish\n"
    )
    res = admin.upload(f"/device-profiles/{created['id']}/objects/import", csv)
    assert res.status == 422
    errors = {(d["row"], d["field"]): d["message"] for d in res.json["error"]["details"]}
    assert "already on row 2" in errors[(3, "OBIS Code")]
    assert "not an OBIS code" in errors[(4, "OBIS Code")]
    assert "must be X" in errors[(5, "Access")]
    assert (6, "Scaler") in errors and "unknown DLMS data type" in errors[(6, "Data Type")]
    assert admin.get(f"/device-profiles/{created['id']}").json["objects"] == []


def test_the_push_layout_must_point_at_the_profiles_objects(admin: Http) -> None:
    created = profile(admin)
    admin.upload(f"/device-profiles/{created['id']}/objects/import", fixture_bytes("obis-single-phase-prepaid.csv"))
    bad = admin.patch(
        f"/device-profiles/{created['id']}",
        {
            "push_layout": [
                {"position": 1, "obis": "0.0.96.1.0.255", "class_id": 1},
                {"position": 3, "obis": "9.9.9.9.9.255", "class_id": 3},
            ]
        },
    )
    assert bad.status == 422
    messages = [d["message"] for d in bad.json["error"]["details"]]
    assert any("without gaps" in m for m in messages) and any("9.9.9.9.9.255" in m for m in messages)
    good = admin.patch(
        f"/device-profiles/{created['id']}",
        {
            "push_layout": [
                {"position": 1, "obis": "0.0.96.1.0.255", "class_id": 1},
                {"position": 2, "obis": "1-0:1.8.0*255", "class_id": 3},
            ]
        },
    )
    assert good.status == 200 and good.json["push_layout"][1]["obis"] == "1.0.1.8.0.255"


def test_brand_and_model_are_unique_and_viewers_only_read(admin: Http, as_role) -> None:  # type: ignore[no-untyped-def]
    created = profile(admin)
    assert admin.post("/device-profiles", {"brand": "ACME", "model": "sp-1"}).status == 409
    viewer = as_role("viewer")
    assert viewer.get(f"/device-profiles/{created['id']}").status == 200
    assert viewer.post("/device-profiles", {"brand": "X", "model": "Y"}).status == 403
    assert admin.get("/device-profiles/objects/template").body.decode().startswith("OBIS Code,Class ID,Kind")
    assert admin.delete(f"/device-profiles/{created['id']}").status == 204


def test_meters_reference_an_existing_profile_which_then_cannot_be_deleted(admin: Http) -> None:
    created = profile(admin)
    bad = admin.post("/meters", {"meter_number": "1", "concentrator_id": "D", "meter_type": "S",
                                 "device_profile": "nope"})
    assert bad.status == 422 and bad.json["error"]["details"][0]["field"] == "device_profile"
    res = admin.post("/meters", {"meter_number": "1", "concentrator_id": "D", "meter_type": "S",
                                 "device_profile": created["id"]})
    assert res.status == 201 and res.json["device_profile"] == created["id"]
    assert admin.get(f"/device-profiles/{created['id']}").json["meter_count"] == 1
    assert admin.delete(f"/device-profiles/{created['id']}").status == 409


def test_the_obis_catalogue_prefills_names_by_code_or_words(admin: Http) -> None:
    by_code = admin.get("/obis/catalog?q=1.0.32.7.0.255").json["items"]
    assert by_code and by_code[0]["description"] == "L1 Voltage Inst. value" and 3 in by_code[0]["class_ids"]
    by_words = admin.get("/obis/catalog?q=battery%20voltage&limit=5").json["items"]
    assert any(e["description"] == "Battery voltage" for e in by_words) and len(by_words) <= 5
    assert admin.get("/obis/catalog?q=").json == {"items": [], "total": 0}
    assert admin.get("/obis/catalog?q=1.0.32&limit=x").status == 400


def test_the_default_profile_describes_the_simulated_meter_and_stays(admin: Http) -> None:
    default = next(p for p in admin.get("/device-profiles").json["items"] if p["is_default"])
    assert [e["obis"] for e in default["push_layout"]][:3] == ["0.0.96.1.0.255", "0.0.1.0.0.255", "1.0.1.8.0.255"]
    res = admin.delete(f"/device-profiles/{default['id']}")
    assert res.status == 409 and "default profile" in res.json["error"]["message"]
