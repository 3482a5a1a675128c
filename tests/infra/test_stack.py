"""The dev stack, synthesized once: queues, functions, schedules, the edge behind its NLB, and who may do what."""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from chalicelib import settings as settings_module
from infra.config import names_for, secret_name_for
from infra.hes_stack import EDGE_PORT, FUNCTIONS, MAX_RECEIVE_COUNT, HesStack, HesStackProps

QUEUES = ("frames", "commands", "exports", "rules")
CONSUMERS = {"frames": "decode_frames", "exports": "export_reports", "rules": "evaluate_rules"}
SEND = {"sqs:SendMessage"}
CONSUME = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"}


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Template, Path]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    props = HesStackProps(stage="dev", secret_name=secret_name_for("dev"), names=names_for("dev"),
                          timezone="Africa/Lagos")
    stack = HesStack(app, "hes-core-dev", props)
    template = Template.from_stack(stack)
    app.synth()
    return template, outdir


@pytest.fixture(scope="module")
def template(synth: tuple[Template, Path]) -> Template:
    return synth[0]


@pytest.fixture(scope="module")
def resources(template: Template) -> dict[str, dict[str, Any]]:
    return dict(template.to_json()["Resources"])


def of_type(resources: dict[str, dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r["Properties"] for k, r in resources.items() if r["Type"] == kind}


def queue_ids(resources: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Logical id of each queue by its name."""
    return {p["QueueName"]: k for k, p in of_type(resources, "AWS::SQS::Queue").items()}


def function_ids(resources: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Logical id of each function by its module (command `functions.decode_frames.handler` -> `decode_frames`)."""
    return {p["ImageConfig"]["Command"][0].split(".")[1]: k
            for k, p in of_type(resources, "AWS::Lambda::Function").items()}


def ref_id(value: dict[str, Any]) -> str:
    return str(value["Ref"]) if "Ref" in value else str(value["Fn::GetAtt"][0])


def grants(resources: dict[str, dict[str, Any]]) -> dict[str, set[tuple[str, str]]]:
    """(action, resource logical id or ARN text) pairs of every role's inline policies, by role logical id."""
    out: dict[str, set[tuple[str, str]]] = {}
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        for role in policy["Roles"]:
            pairs = out.setdefault(ref_id(role), set())
            for statement in policy["PolicyDocument"]["Statement"]:
                assert statement["Effect"] == "Allow"
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                for target in targets:
                    name = target if isinstance(target, str) else (
                        ref_id(target) if "Ref" in target or "Fn::GetAtt" in target else json.dumps(target))
                    pairs.update((action, name) for action in actions)
    return out


def role_of_function(resources: dict[str, dict[str, Any]], module: str) -> str:
    return ref_id(resources[function_ids(resources)[module]]["Properties"]["Role"])


def edge_task_role(resources: dict[str, dict[str, Any]]) -> str:
    (task,) = of_type(resources, "AWS::ECS::TaskDefinition").values()
    return ref_id(task["TaskRoleArn"])


def api_role(template: Template) -> str:
    return ref_id(template.to_json()["Outputs"]["ApiRoleArn"]["Value"])


def queue_actions(pairs: set[tuple[str, str]], resources: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    by_id = {v: k for k, v in queue_ids(resources).items()}
    out: dict[str, set[str]] = {}
    for action, target in pairs:
        if action.startswith("sqs:"):
            out.setdefault(by_id[target], set()).add(action)
    return out


def test_every_queue_is_named_for_the_stage_and_redrives_to_its_dead_letter_queue(
        resources: dict[str, dict[str, Any]]) -> None:
    ids = queue_ids(resources)
    queues = of_type(resources, "AWS::SQS::Queue")
    assert set(ids) == {f"hes-{q}-dev" for q in QUEUES} | {f"hes-{q}-dev-dlq" for q in QUEUES}
    for queue in QUEUES:
        props = queues[ids[f"hes-{queue}-dev"]]
        assert props["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": [ids[f"hes-{queue}-dev-dlq"], "Arn"]},
                                          "maxReceiveCount": MAX_RECEIVE_COUNT}
        assert props["SqsManagedSseEnabled"] is True
    assert MAX_RECEIVE_COUNT == 5


def test_the_queue_names_follow_the_settings_the_processes_read() -> None:
    defaults = settings_module.Settings.model_fields
    names = names_for("prod")
    assert names.frames == f"{defaults['frames_queue'].default}-prod"
    assert names.commands == f"{defaults['commands_queue'].default}-prod"
    assert names.exports == f"{defaults['exports_queue'].default}-prod"
    assert names.rules == f"{defaults['rules_queue'].default}-prod"


def test_a_queue_hides_a_message_for_six_times_its_consumers_timeout(resources: dict[str, dict[str, Any]]) -> None:
    queues, functions = of_type(resources, "AWS::SQS::Queue"), of_type(resources, "AWS::Lambda::Function")
    ids, fids = queue_ids(resources), function_ids(resources)
    for queue, module in CONSUMERS.items():
        timeout = functions[fids[module]]["Timeout"]
        assert timeout == FUNCTIONS[module].timeout_s
        assert queues[ids[f"hes-{queue}-dev"]]["VisibilityTimeout"] >= 6 * timeout
    # the edge deletes a batch of commands only after waiting up to 120 s for it to run
    assert queues[ids["hes-commands-dev"]]["VisibilityTimeout"] > 120


def test_each_work_queue_feeds_its_function_which_reports_partial_batch_failures(
        resources: dict[str, dict[str, Any]]) -> None:
    ids, fids = queue_ids(resources), function_ids(resources)
    mappings = {(ref_id(p["EventSourceArn"]), ref_id(p["FunctionName"])): p
                for p in of_type(resources, "AWS::Lambda::EventSourceMapping").values()}
    assert set(mappings) == {(ids[f"hes-{q}-dev"], fids[m]) for q, m in CONSUMERS.items()}
    for mapping in mappings.values():
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    frames = mappings[(ids["hes-frames-dev"], fids["decode_frames"])]
    assert frames["BatchSize"] == 10 and frames["ScalingConfig"]["MaximumConcurrency"] >= 2


def test_the_functions_run_the_repository_handlers_from_one_image_with_tracing(
        resources: dict[str, dict[str, Any]]) -> None:
    functions = of_type(resources, "AWS::Lambda::Function")
    assert {p["ImageConfig"]["Command"][0] for p in functions.values()} == {s.handler for s in FUNCTIONS.values()}
    assert len({json.dumps(p["Code"], sort_keys=True) for p in functions.values()}) == 1
    for props in functions.values():
        module, attribute = props["ImageConfig"]["Command"][0].rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), attribute))
        assert props["PackageType"] == "Image" and props["Architectures"] == ["x86_64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        env = props["Environment"]["Variables"]
        assert env["HES_STAGE"] == "dev" and env["HES_SECRETS_ID"] == "hes-core/dev"
        assert {env[f"HES_{q.upper()}_QUEUE"] for q in QUEUES} == {f"hes-{q}-dev" for q in QUEUES}
        assert ref_id(env["HES_REPORTS_BUCKET"]) in of_type(resources, "AWS::S3::Bucket")


def test_schedules_poll_every_five_minutes_and_run_exports_and_rules_daily_in_local_time(
        resources: dict[str, dict[str, Any]]) -> None:
    fids = function_ids(resources)
    schedules = {ref_id(p["Target"]["Arn"]): p for p in of_type(resources, "AWS::Scheduler::Schedule").values()}
    assert set(schedules) == {fids["poll_events"], fids["export_reports"], fids["evaluate_rules"]}
    assert schedules[fids["poll_events"]]["ScheduleExpression"] == "rate(5 minutes)"
    assert schedules[fids["export_reports"]]["ScheduleExpression"] == "cron(0 1 * * ? *)"
    assert schedules[fids["evaluate_rules"]]["ScheduleExpression"] == "cron(30 1 * * ? *)"
    for module in ("export_reports", "evaluate_rules"):
        assert schedules[fids[module]]["ScheduleExpressionTimezone"] == "Africa/Lagos"


def test_no_secret_is_created_and_no_secret_value_is_in_the_template(template: Template) -> None:
    template.resource_count_is("AWS::SecretsManager::Secret", 0)
    text = json.dumps(template.to_json())
    for value in (settings_module.LOCAL_JWT_SECRET, settings_module.LOCAL_ADMIN_PASSWORD,
                  settings_module.LOCAL_METER_KEY_SECRET, "mongodb://", "mongodb+srv://"):
        assert value not in text
    for key in ("HES_JWT_SECRET", "HES_ADMIN_PASSWORD", "HES_MONGODB_URI", "HES_METER_KEY_SECRET"):
        assert key not in text  # they come from the secret at run time, never as configuration


def test_the_functions_the_edge_and_the_api_may_read_the_stage_secret(
        template: Template, resources: dict[str, dict[str, Any]]) -> None:
    roles = [role_of_function(resources, m) for m in FUNCTIONS] + [edge_task_role(resources), api_role(template)]
    for role in roles:
        readable = {target for action, target in grants(resources)[role] if action == "secretsmanager:GetSecretValue"}
        assert len(readable) == 1 and ":secret:hes-core/dev-??????" in readable.pop()


def test_each_role_gets_exactly_the_queue_actions_its_code_uses(
        template: Template, resources: dict[str, dict[str, Any]]) -> None:
    pairs = grants(resources)
    expected = {
        role_of_function(resources, "decode_frames"): {"hes-frames-dev": CONSUME},
        role_of_function(resources, "poll_events"): {"hes-commands-dev": SEND},
        role_of_function(resources, "export_reports"): {"hes-exports-dev": CONSUME | SEND},
        role_of_function(resources, "evaluate_rules"): {"hes-rules-dev": CONSUME | SEND},
        edge_task_role(resources): {"hes-frames-dev": SEND, "hes-commands-dev": CONSUME},
        api_role(template): {"hes-commands-dev": SEND, "hes-exports-dev": SEND, "hes-rules-dev": SEND},
    }
    for role, queues in expected.items():
        got = queue_actions(pairs[role], resources)
        assert set(got) == set(queues), role
        for queue, actions in queues.items():
            assert actions <= got[queue], (role, queue)
            assert not (got[queue] & (SEND | CONSUME)) - actions, (role, queue)
    others = set(pairs) - set(expected)  # the schedules' and the VPC's helper roles
    assert all(not queue_actions(pairs[role], resources) for role in others)


def test_only_the_export_function_and_the_api_touch_the_reports_bucket(
        template: Template, resources: dict[str, dict[str, Any]]) -> None:
    (bucket,) = of_type(resources, "AWS::S3::Bucket")
    writers = {role for role, pairs in grants(resources).items()
               if ("s3:PutObject", bucket) in pairs and any(a.startswith("s3:GetObject") for a, _ in pairs)}
    assert writers == {role_of_function(resources, "export_reports"), api_role(template)}


def test_the_reports_bucket_is_private_encrypted_tls_only_and_expires_reports(
        template: Template, resources: dict[str, dict[str, Any]]) -> None:
    template.has_resource_properties("AWS::S3::Bucket", {
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "LifecycleConfiguration": {"Rules": Match.array_with([Match.object_like(
            {"Prefix": "reports/", "ExpirationInDays": 90, "Status": "Enabled"})])},
    })
    template.has_resource("AWS::S3::Bucket", {"DeletionPolicy": "Retain"})
    # large interval files arrive by presigned PUT from the web app, and go after a week
    template.has_resource_properties("AWS::S3::Bucket", {
        "CorsConfiguration": {"CorsRules": [Match.object_like({"AllowedMethods": ["PUT"]})]},
        "LifecycleConfiguration": {"Rules": Match.array_with([Match.object_like(
            {"Prefix": "imports/", "ExpirationInDays": 7, "Status": "Enabled"})])},
    })
    template.has_resource_properties("AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})


def test_meters_dial_an_internet_facing_nlb_on_tcp_4059_that_forwards_to_the_edge_tasks(
        template: Template, resources: dict[str, dict[str, Any]]) -> None:
    assert EDGE_PORT == 4059
    (nlb_id, nlb), = of_type(resources, "AWS::ElasticLoadBalancingV2::LoadBalancer").items()
    assert nlb["Type"] == "network" and nlb["Scheme"] == "internet-facing"
    (listener,) = of_type(resources, "AWS::ElasticLoadBalancingV2::Listener").values()
    assert (listener["Port"], listener["Protocol"], ref_id(listener["LoadBalancerArn"])) == (4059, "TCP", nlb_id)
    (group_id, group), = of_type(resources, "AWS::ElasticLoadBalancingV2::TargetGroup").items()
    assert listener["DefaultActions"] == [{"TargetGroupArn": {"Ref": group_id}, "Type": "forward"}]
    assert (group["Port"], group["Protocol"], group["TargetType"], group["HealthCheckProtocol"]) == (
        4059, "TCP", "ip", "TCP")
    (service,) = of_type(resources, "AWS::ECS::Service").values()
    assert service["LaunchType"] == "FARGATE" and service["DesiredCount"] >= 1
    assert service["LoadBalancers"] == [{"ContainerName": "edge", "ContainerPort": 4059,
                                         "TargetGroupArn": {"Ref": group_id}}]
    assert template.to_json()["Outputs"]["MeterEndpoint"]["Value"] == {"Fn::GetAtt": [nlb_id, "DNSName"]}


def test_the_edge_container_runs_the_listener_image_with_the_stage_settings(
        resources: dict[str, dict[str, Any]]) -> None:
    (task,) = of_type(resources, "AWS::ECS::TaskDefinition").values()
    (container,) = task["ContainerDefinitions"]
    env = {e["Name"]: e["Value"] for e in container["Environment"]}
    assert env["HES_STAGE"] == "dev" and env["HES_SECRETS_ID"] == "hes-core/dev"
    assert env["HES_FRAMES_QUEUE"] == "hes-frames-dev" and env["HES_COMMANDS_QUEUE"] == "hes-commands-dev"
    assert env["HES_EDGE_PORT"] == "4059" and env["HES_EDGE_HOST"] == "0.0.0.0"
    assert container["PortMappings"] == [{"ContainerPort": 4059, "Protocol": "tcp"}]
    assert "container-assets" in json.dumps(container["Image"])  # built from infra/edge/Dockerfile at deploy
    assert task["RuntimePlatform"] == {"CpuArchitecture": "X86_64", "OperatingSystemFamily": "LINUX"}


@pytest.mark.parametrize(("dockerfile", "code", "command"), [
    ("infra/lambda/Dockerfile", "functions", 'ENTRYPOINT ["python", "-m", "awslambdaric"]'),
    ("infra/edge/Dockerfile", "edge_listener", 'CMD ["python", "-m", "edge_listener"]'),
])
def test_each_image_is_built_at_deploy_from_a_context_of_only_what_its_dockerfile_copies(
        synth: tuple[Template, Path], dockerfile: str, code: str, command: str) -> None:
    outdir = synth[1]
    manifest = json.loads((outdir / "hes-core-dev.assets.json").read_text())
    assert all(f["source"]["packaging"] == "file" for f in manifest["files"].values())  # the template, no zip
    (image,) = [i for i in manifest["dockerImages"].values() if i["source"]["dockerFile"] == dockerfile]
    assert image["source"]["platform"] == "linux/amd64"
    context = outdir / image["source"]["directory"]
    assert sorted(p.name for p in context.iterdir()) == sorted(["chalicelib", code, "infra", "requirements.txt"])
    assert [str(p.relative_to(context)) for p in (context / "infra").rglob("*") if p.is_file()] == [dockerfile]
    assert (context / code / "__init__.py").is_file() and (context / "chalicelib" / "settings.py").is_file()
    assert not list(context.rglob("__pycache__"))
    text = (context / dockerfile).read_text()
    assert command in text and f"COPY {code} {code}" in text and "COPY chalicelib chalicelib" in text
    assert "pip install --no-cache-dir --disable-pip-version-check -r requirements.txt" in text


def test_outputs_name_the_queues_the_bucket_and_the_api_role(template: Template,
                                                             resources: dict[str, dict[str, Any]]) -> None:
    outputs = template.to_json()["Outputs"]
    ids = queue_ids(resources)
    for queue in QUEUES:
        assert outputs[f"{queue.title()}QueueUrl"]["Value"] == {"Ref": ids[f"hes-{queue}-dev"]}
    (bucket,) = of_type(resources, "AWS::S3::Bucket")
    assert outputs["ReportsBucketName"]["Value"] == {"Ref": bucket}
    assert resources[api_role(template)]["Type"] == "AWS::IAM::Role"


def test_the_template_has_no_cloudformation_schema_errors(template: Template) -> None:
    from cfnlint.api import ManualArgs, lint  # comes with moto[server]

    matches = lint(json.dumps(template.to_json()), config=ManualArgs(regions=["eu-west-1"]))
    assert [str(m) for m in matches if m.rule.id.startswith("E")] == []


def test_with_several_edge_tasks_each_is_named_and_takes_its_meters_commands_from_its_own_queue(
        tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path))
    props = HesStackProps(stage="dev", secret_name=secret_name_for("dev"), names=names_for("dev"),
                          timezone="Africa/Lagos", edge_tasks=2)
    template = Template.from_stack(HesStack(app, "hes-core-dev", props))
    resources = dict(template.to_json()["Resources"])
    pairs = grants(resources)
    roles = {}
    for task in of_type(resources, "AWS::ECS::TaskDefinition").values():
        (container,) = task["ContainerDefinitions"]
        env = {e["Name"]: e["Value"] for e in container["Environment"]}
        roles[env["HES_EDGE_ID"]] = ref_id(task["TaskRoleArn"])
    assert sorted(roles) == ["e1", "e2"]
    for edge_id, role in roles.items():  # the shared queue (meters no edge holds) and its own, not the other's
        got = queue_actions(pairs[role], resources)
        expected = {"hes-frames-dev": SEND, "hes-commands-dev": CONSUME, f"hes-commands-dev-{edge_id}": CONSUME}
        assert set(got) == set(expected)
        assert all(expected[q] <= got[q] and not (got[q] & (SEND | CONSUME)) - expected[q] for q in expected)
    for role in (api_role(template), role_of_function(resources, "poll_events")):
        got = queue_actions(pairs[role], resources)
        assert all(got[q] >= SEND and not got[q] & CONSUME
                   for q in ("hes-commands-dev", "hes-commands-dev-e1", "hes-commands-dev-e2"))
    queues = queue_ids(resources)
    for edge_id in roles:  # each with its dead-letter queue
        redrive = resources[queues[f"hes-commands-dev-{edge_id}"]]["Properties"]["RedrivePolicy"]
        assert ref_id({"Ref": redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]}) == \
            queues[f"hes-commands-dev-{edge_id}-dlq"]
    (group_id,) = of_type(resources, "AWS::ElasticLoadBalancingV2::TargetGroup")
    services = of_type(resources, "AWS::ECS::Service").values()
    assert [s["DesiredCount"] for s in services] == [1, 1]
    assert all(s["LoadBalancers"][0]["TargetGroupArn"] == {"Ref": group_id} for s in services)
