"""CSV imports with the utility's sample files: all or nothing, every bad row named."""

from __future__ import annotations

import pytest

from tests.api.conftest import Http
from tests.conftest import fixture_bytes

AREAS = ["Industrial Park", "Downtown", "North Suburbs", "Lekki Phase 1", "Ikeja GRA"]


@pytest.fixture
def areas(admin: Http) -> dict[str, str]:
    ids = {}
    for name in AREAS:
        res = admin.post("/areas", {"name": name})
        assert res.status == 201, res.json
        ids[name] = res.json["id"]
    return ids


def import_samples(admin: Http) -> None:
    for kind in ("meters", "sims", "customers"):
        res = admin.upload(f"/{kind}/import", fixture_bytes(f"{kind}.csv"))
        assert res.status == 200, res.json
        assert res.json["created"] == {"meters": 60, "sims": 60, "customers": 40}[kind]


def test_the_sample_files_import_with_identifiers_and_links_intact(admin: Http, areas: dict[str, str]) -> None:
    import_samples(admin)
    meters = admin.get("/meters?page_size=500").json
    assert meters["total"] == 60
    numbers = {m["meter_number"] for m in meters["items"]}
    assert "04312000000" in numbers and all(len(n) == 11 for n in numbers)
    assert admin.get("/sims").json["total"] == 60
    customers = admin.get("/customers?page_size=100").json
    assert customers["total"] == 40
    okafor = next(c for c in customers["items"] if c["address"].startswith("10 Admiralty Way"))
    assert okafor["meter_numbers"] == ["04312000000"] and okafor["sim_number"] == "8923401000000000000"
    assert okafor["address"] == "10 Admiralty Way, Industrial Park, Lagos"
    assert okafor["area_ids"] == [areas["Industrial Park"]]
    meter = admin.get("/meters/04312000000").json
    assert meter["customer_name"] == "Chukwuemeka Okafor" and meter["status"] == "installed"
    assert meter["sim_number"] == "8923401000000000000" and meter["area_name"] == "Industrial Park"
    assert admin.get("/sims/8923401000000000000").json["meter_number"] == "04312000000"
    names = {c["name"] for c in customers["items"]}
    assert "Adébáyọ̀ Eze" in names


def test_area_filter_narrows_meters_sims_and_customers(admin: Http, areas: dict[str, str]) -> None:
    import_samples(admin)
    area = areas["Downtown"]
    assert admin.get(f"/meters?area={area}").json["total"] == 12
    customers = admin.get(f"/customers?area={area}").json
    assert customers["total"] > 0 and all(area in c["area_ids"] for c in customers["items"])
    sims = admin.get(f"/sims?area={area}").json
    assert sims["total"] == customers["total"]


def test_a_dry_run_reports_without_writing(admin: Http, areas: dict[str, str]) -> None:
    res = admin.upload("/meters/import?dry_run=true", fixture_bytes("meters.csv"))
    assert res.status == 200
    assert res.json["dry_run"] is True and res.json["valid_rows"] == 60 and res.json["created"] == 0
    assert res.json["preview"][0] == {"Meter Number": "04312000000", "Concentrator ID": "DCU-0001",
                                      "Meter Type": "Three Phase", "Area": "Industrial Park"}
    assert admin.get("/meters").json["total"] == 0


def test_one_bad_row_writes_nothing_and_every_problem_is_named(admin: Http, areas: dict[str, str]) -> None:
    csv = (
        b"Meter Number,Concentrator ID,Meter Type,Area\r\n"
        b"001,DCU-1,Single Phase,Downtown\r\n"
        b"002,,Single Phase,Downtown\r\n"
        b"001,DCU-1,Single Phase,Downtown\r\n"
        b"003,DCU-1,Single Phase,Atlantis\r\n"
    )
    res = admin.upload("/meters/import", csv)
    assert res.status == 422
    details = res.json["error"]["details"]
    assert {"row": 3, "field": "Concentrator ID", "message": "is required"} in details
    assert {"row": 4, "field": "Meter Number", "message": "'001' is already used on row 2 of this file"} in details
    assert any(d["row"] == 5 and d["field"] == "Area" and "Atlantis" in d["message"] for d in details)
    assert "nothing was imported" in res.json["error"]["message"]
    assert admin.get("/meters").json["total"] == 0


def test_bad_sim_rows_name_the_ip_and_port_problems(admin: Http) -> None:
    csv = b"Sim Number,IP Address,Port\n111111,10.0.0.300,4059\n222222,2001:db8::1,70000\n333333,10.0.0.1,abc\n"
    res = admin.upload("/sims/import?dry_run=true", csv)
    assert res.status == 200 and res.json["valid_rows"] == 0
    errors = {(e["row"], e["field"]): e["message"] for e in res.json["errors"]}
    assert errors[(2, "IP Address")] == "not an IPv4 or IPv6 address"
    assert "65535" in errors[(3, "Port")]
    assert (4, "Port") in errors


def test_rows_that_clash_with_the_database_are_refused(admin: Http, areas: dict[str, str]) -> None:
    import_samples(admin)
    again = admin.upload("/meters/import", fixture_bytes("meters.csv"))
    assert again.status == 422
    assert len(again.json["error"]["details"]) == 60
    assert again.json["error"]["details"][0] == {
        "row": 2,
        "field": "Meter Number",
        "message": "meter '04312000000' already exists",
    }
    customers = admin.upload("/customers/import?dry_run=true", fixture_bytes("customers.csv")).json
    assert customers["valid_rows"] == 0
    assert "already assigned" in customers["errors"][0]["message"]


def test_customers_with_unknown_meters_or_sims_are_refused(admin: Http) -> None:
    csv = b'Customer Name,Address,Phone No,Meter Number,Sim Number\nA,"1 Road, Town",+234 801,999,88888\n'
    res = admin.upload("/customers/import", csv)
    assert res.status == 422
    fields = {d["field"]: d["message"] for d in res.json["error"]["details"]}
    assert fields["Meter Number"] == "unknown meter '999'"
    assert fields["Sim Number"] == "unknown SIM '88888'"


def test_missing_columns_and_non_utf8_files_get_clear_errors(admin: Http) -> None:
    res = admin.upload("/meters/import", b"Meter Number,Meter Type\n1,Single\n")
    assert res.status == 422 and "Concentrator ID" in res.json["error"]["message"]
    res = admin.upload("/meters/import", "Meter Number,Concentrator ID,Meter Type\n1,D,Caf\xe9\n".encode("latin-1"))
    assert res.status == 422 and "UTF-8" in res.json["error"]["message"]
    res = admin.upload("/meters/import", b"")
    assert res.status == 422


def test_files_over_the_limit_get_413(admin: Http) -> None:
    big = b"Meter Number,Concentrator ID,Meter Type\n" + b"1,D,S\n" * 1_000_000
    res = admin.upload("/meters/import", big)
    assert res.status == 413 and "MiB" in res.json["error"]["message"]


def test_multipart_uploads_work_like_raw_csv(admin: Http, areas: dict[str, str]) -> None:
    boundary = "XyZ"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + fixture_bytes("meters.csv")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    res = admin.call(
        "POST", "/meters/import", raw=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert res.status == 200, res.json
    assert res.json["created"] == 60


def test_templates_and_exports_are_csv_with_formulas_neutralised(admin: Http, areas: dict[str, str]) -> None:
    template = admin.get("/meters/import/template")
    assert template.status == 200 and template.headers["content-type"].startswith("text/csv")
    assert template.body.decode().startswith("Meter Number,Concentrator ID,Meter Type,Area")
    admin.post("/meters", {"meter_number": "0007", "concentrator_id": "DCU-9", "meter_type": "=HYPERLINK(1)"})
    export = admin.get("/meters/export")
    assert export.status == 200 and "attachment" in export.headers["content-disposition"]
    lines = export.body.decode().splitlines()
    assert lines[0].startswith("Meter Number,")
    assert lines[1].startswith("0007,DCU-9,'=HYPERLINK(1)")


def test_an_exported_customer_file_round_trips_through_the_import_check(admin: Http, areas: dict[str, str]) -> None:
    import_samples(admin)
    exported = admin.get("/customers/export").body
    assert b"'+234" in exported  # phone numbers start with + and are neutralised
    report = admin.upload("/customers/import?dry_run=true", exported).json
    assert report["total_rows"] == 40
    assert all("already" in e["message"] for e in report["errors"])
