"""What the CDK app accepts as a stage and its options, what it refuses (saying why), and the prod stack it builds."""
from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from infra.app import build as build_app
from infra.config import CHALICE_CONFIG, ConfigError, names_for, props_from_context, secret_name_for


def test_deployable_stages_take_their_secret_name_from_the_chalice_config() -> None:
    stages = json.loads(CHALICE_CONFIG.read_text())["stages"]
    assert secret_name_for("dev") == stages["dev"]["environment_variables"]["HES_SECRETS_ID"] == "hes-core/dev"
    assert secret_name_for("prod") == "hes-core/prod"


@pytest.mark.parametrize("stage", ["local", "qa", ""])
def test_the_local_or_an_unknown_stage_is_refused_naming_the_deployable_ones(stage: str) -> None:
    with pytest.raises(ConfigError, match=r"^stage: .* pass -c stage=dev\|prod"):
        props_from_context({"stage": stage})


@pytest.mark.parametrize(("context", "field"), [({"timezone": "Mars/Olympus"}, "timezone"),
                                                ({"edgeTasks": "0"}, "edgeTasks"),
                                                ({"edgeTasks": "two"}, "edgeTasks")])
def test_a_bad_timezone_or_edge_task_count_is_refused(context: dict[str, str], field: str) -> None:
    with pytest.raises(ConfigError, match=f"^{field}: "):
        props_from_context({"stage": "dev", **context})


def test_context_values_arrive_as_text_and_become_the_stack_props() -> None:
    props = props_from_context({"stage": "prod", "edgeTasks": "2"})
    assert (props.stage, props.secret_name, props.edge_tasks) == ("prod", "hes-core/prod", 2)
    assert props.names == names_for("prod") and props.names.frames == "hes-frames-prod"
    assert props.timezone == "Africa/Lagos"  # the HES_TIMEZONE default


def test_the_app_builds_the_prod_stack_from_its_context(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path), context={"stage": "prod", "edgeTasks": "2", "timezone": "Africa/Accra"})
    stack = build_app(app)
    assert stack.stack_name == "hes-core-prod"
    template = Template.from_stack(stack)
    services = template.find_resources("AWS::ECS::Service")
    assert [s["Properties"]["DesiredCount"] for s in services.values()] == [1, 1]  # one named task per service
    template.has_resource_properties("AWS::ECS::TaskDefinition", {"ContainerDefinitions": [Match.object_like(
        {"Environment": Match.array_with([{"Name": "HES_EDGE_ID", "Value": "e2"}])})]})
    template.has_resource_properties("AWS::SQS::Queue", {"QueueName": "hes-commands-prod-e2"})
    template.has_resource_properties("AWS::SQS::Queue", {"QueueName": "hes-frames-prod"})
    template.has_resource_properties("AWS::Lambda::Function", {"Environment": {"Variables": Match.object_like(
        {"HES_STAGE": "prod", "HES_SECRETS_ID": "hes-core/prod", "HES_TIMEZONE": "Africa/Accra"})}})
    template.has_resource_properties("AWS::Scheduler::Schedule", {
        "ScheduleExpression": "cron(30 1 * * ? *)", "ScheduleExpressionTimezone": "Africa/Accra"})


def test_the_app_refuses_a_stage_that_is_not_deployable_before_building_anything() -> None:
    app = cdk.App(context={"stage": "local"})
    with pytest.raises(ConfigError, match="stage: 'local' is not deployable"):
        build_app(app)
    assert app.node.children == []
