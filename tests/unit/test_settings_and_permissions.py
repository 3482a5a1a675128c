import pytest

from chalicelib.domain.models import SimCreate
from chalicelib.domain.permissions import ALL_PERMISSIONS, ROLE_PERMISSIONS, allows
from chalicelib.settings import LOCAL_ADMIN_PASSWORD, LOCAL_JWT_SECRET, Settings, SettingsError


def test_the_local_stage_starts_on_defaults_and_asks_for_a_password_change() -> None:
    settings = Settings(stage="local", _env_file=None)
    assert settings.bootstrap_admin_password == (LOCAL_ADMIN_PASSWORD, True)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_other_stages_refuse_missing_or_default_secrets(stage: str) -> None:
    with pytest.raises(SettingsError) as err:
        Settings(stage=stage, jwt_secret=LOCAL_JWT_SECRET)
    message = str(err.value)
    assert "HES_JWT_SECRET" in message and "HES_ADMIN_PASSWORD" in message and "HES_MONGODB_URI" in message
    assert "HES_METER_KEY_SECRET" in message


def test_other_stages_start_with_real_secrets() -> None:
    settings = Settings(stage="prod", jwt_secret="x" * 40, admin_password="a-real-secret-from-env",
                        mongodb_uri="mongodb+srv://cluster.example.net/", meter_key_secret="m" * 40)
    assert settings.bootstrap_admin_password == ("a-real-secret-from-env", False)


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HES_HTTP_PORT", "9090")
    monkeypatch.setenv("HES_TIMEZONE", "Africa/Accra")
    settings = Settings()
    assert settings.http_port == 9090 and settings.timezone == "Africa/Accra"


def test_roles_nest_as_design_section_5_says() -> None:
    admin, operator, viewer = (ROLE_PERMISSIONS[r] for r in ("admin", "operator", "viewer"))
    assert admin == ALL_PERMISSIONS - {"own:read"}  # a customer's own view is no staff permission
    assert viewer < operator < admin
    assert not any(p.endswith(":write") for p in viewer)
    assert not allows("operator", "users:manage") and not allows("operator", "audit:read")
    assert ROLE_PERMISSIONS["customer"] == {"self", "own:read"}
    assert not any(allows(role, "own:read") for role in ("admin", "operator", "viewer"))
    assert not allows("nobody", "self")


def test_ip_addresses_are_normalised() -> None:
    sim = SimCreate(sim_number="123456", ip_address=" 2001:DB8:0:0::1 ", port=1)
    assert sim.ip_address == "2001:db8::1"


def test_cloud_secrets_come_from_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import boto3
    from moto import mock_aws

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        boto3.client("secretsmanager").create_secret(Name="hes-core/prod", SecretString=json.dumps({
            "HES_MONGODB_URI": "mongodb+srv://cluster0.example.net/", "HES_JWT_SECRET": "s" * 48,
            "HES_ADMIN_PASSWORD": "from-the-secret-store", "HES_METER_KEY_SECRET": "k" * 40,
        }))
        monkeypatch.setenv("HES_SECRETS_ID", "hes-core/prod")
        settings = Settings(stage="prod")
    assert settings.mongodb_uri == "mongodb+srv://cluster0.example.net/"
    assert settings.jwt_secret == "s" * 48 and settings.admin_password == "from-the-secret-store"


def test_sealed_meter_secrets_open_only_with_the_same_master_secret_and_context() -> None:
    from chalicelib.domain.secrets_box import SecretBox

    box = SecretBox("master-one")
    sealed = box.seal(b"00112233", "04312000000|password")
    assert "00112233" not in sealed and box.open(sealed, "04312000000|password") == b"00112233"
    with pytest.raises(ValueError):
        box.open(sealed, "04312000001|password")  # another meter's context
    with pytest.raises(ValueError):
        SecretBox("master-two").open(sealed, "04312000000|password")
