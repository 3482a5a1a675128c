"""One stack per stage: the queues, the reports bucket, the Lambda functions and the edge listener on Fargate.

The Chalice API is deployed by `chalice deploy` next to it; this stack gives it a role (output `ApiRoleArn`)
with exactly what the API does with the pipeline: send to COMMANDS/EXPORTS/RULES, read and write reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Duration, IgnoreMode, RemovalPolicy, Stack, TimeZone
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

REPO = Path(__file__).resolve().parent.parent
EDGE_DOCKERFILE = "infra/edge/Dockerfile"
LAMBDA_DOCKERFILE = "infra/lambda/Dockerfile"
EDGE_PORT = 4059
MAX_RECEIVE_COUNT = 5


@dataclass(frozen=True)
class Names:
    """Resource names of a stage, from the defaults in `chalicelib/settings.py` (e.g. `hes-frames` -> `hes-frames-dev`);
    the bucket's name is its stem plus the account and region (bucket names are global)."""

    frames: str
    commands: str
    exports: str
    rules: str
    reports_bucket_stem: str


@dataclass(frozen=True)
class HesStackProps:
    stage: str  # dev | prod
    secret_name: str  # Secrets Manager secret (JSON of HES_* keys) the processes read; never created here
    names: Names
    timezone: str  # the daily schedules run at local times of this zone (the HES_TIMEZONE setting)
    edge_tasks: int = 1


@dataclass(frozen=True)
class FunctionSpec:
    handler: str
    timeout_s: int
    memory_mb: int


FUNCTIONS = {
    "decode_frames": FunctionSpec("functions.decode_frames.handler", 60, 512),
    "poll_events": FunctionSpec("functions.poll_events.handler", 60, 256),
    # also imports large interval files from S3: 500,000 rows take about a minute and 1.8 GB locally
    "export_reports": FunctionSpec("functions.export_reports.handler", 900, 3008),
    "evaluate_rules": FunctionSpec("functions.evaluate_rules.handler", 900, 1024),
}


def visibility_for(timeout_s: int) -> Duration:
    """AWS's advice for a queue feeding a Lambda function: at least six times the function's timeout."""
    return Duration.seconds(6 * timeout_s)


class HesStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: HesStackProps, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.props = props
        names = props.names
        secret = secretsmanager.Secret.from_secret_name_v2(self, "Secret", props.secret_name)

        self.frames = self._queue("Frames", names.frames, visibility_for(FUNCTIONS["decode_frames"].timeout_s))
        # the edge waits up to 120 s for a batch of commands to finish before deleting it
        self.commands = self._queue("Commands", names.commands, Duration.minutes(5))
        self.exports = self._queue("Exports", names.exports, visibility_for(FUNCTIONS["export_reports"].timeout_s))
        self.rules = self._queue("Rules", names.rules, visibility_for(FUNCTIONS["evaluate_rules"].timeout_s))
        self.bucket = self._reports_bucket(names.reports_bucket_stem)

        environment = {
            "HES_STAGE": props.stage,
            "HES_SECRETS_ID": props.secret_name,
            "HES_TIMEZONE": props.timezone,
            "HES_FRAMES_QUEUE": names.frames,
            "HES_COMMANDS_QUEUE": names.commands,
            "HES_EXPORTS_QUEUE": names.exports,
            "HES_RULES_QUEUE": names.rules,
            "HES_REPORTS_BUCKET": self.bucket.bucket_name,
        }
        fns = {name: self._function(name, spec, environment) for name, spec in FUNCTIONS.items()}
        for fn in fns.values():
            secret.grant_read(fn)

        fns["decode_frames"].add_event_source(sources.SqsEventSource(
            self.frames, batch_size=10, max_concurrency=10, report_batch_item_failures=True))
        fns["export_reports"].add_event_source(sources.SqsEventSource(
            self.exports, batch_size=1, report_batch_item_failures=True))
        fns["evaluate_rules"].add_event_source(sources.SqsEventSource(
            self.rules, batch_size=1, report_batch_item_failures=True))
        self.commands.grant_send_messages(fns["poll_events"])  # a poll is a read job for the edge
        self.exports.grant_send_messages(fns["export_reports"])  # the daily run queues the due reports
        self.bucket.grant_read_write(fns["export_reports"])
        self.rules.grant_send_messages(fns["evaluate_rules"])  # the daily run queues yesterday's scoring

        self._schedule("PollEventsSchedule", fns["poll_events"], scheduler.ScheduleExpression.rate(Duration.minutes(5)),
                       "read the event logs of the meters online now")
        self._schedule("ExportsDaily", fns["export_reports"], self._daily(1, 0), "queue the scheduled exports due")
        self._schedule("RulesDaily", fns["evaluate_rules"], self._daily(1, 30), "score yesterday for every area")

        self.edge_commands: list[sqs.Queue] = []  # with several edge tasks, each one's own commands queue
        nlb = self._edge(environment, secret)
        for queue in self.edge_commands:
            queue.grant_send_messages(fns["poll_events"])
        self._api_role(secret)

        CfnOutput(self, "MeterEndpoint", value=nlb.load_balancer_dns_name,
                  description=f"what meters dial (TCP {EDGE_PORT})")
        for queue_id, queue in (("Frames", self.frames), ("Commands", self.commands), ("Exports", self.exports),
                                ("Rules", self.rules)):
            CfnOutput(self, f"{queue_id}QueueUrl", value=queue.queue_url)
        CfnOutput(self, "ReportsBucketName", value=self.bucket.bucket_name)

    def _queue(self, construct_id: str, name: str, visibility: Duration) -> sqs.Queue:
        dead_letters = sqs.Queue(self, f"{construct_id}DeadLetters", queue_name=f"{name}-dlq",
                                 retention_period=Duration.days(14), encryption=sqs.QueueEncryption.SQS_MANAGED,
                                 enforce_ssl=True)
        return sqs.Queue(self, construct_id, queue_name=name, visibility_timeout=visibility,
                         retention_period=Duration.days(4), encryption=sqs.QueueEncryption.SQS_MANAGED,
                         enforce_ssl=True,
                         dead_letter_queue=sqs.DeadLetterQueue(queue=dead_letters, max_receive_count=MAX_RECEIVE_COUNT))

    def _reports_bucket(self, stem: str) -> s3.Bucket:
        return s3.Bucket(
            self, "Reports", bucket_name=f"{stem}-{self.account}-{self.region}",  # unique, yet known before deploying
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True, removal_policy=RemovalPolicy.RETAIN,
            lifecycle_rules=[s3.LifecycleRule(id="expire-reports", prefix="reports/", expiration=Duration.days(90),
                                              abort_incomplete_multipart_upload_after=Duration.days(1)),
                             s3.LifecycleRule(id="expire-import-uploads", prefix="imports/",
                                              expiration=Duration.days(7))],
            # the web app PUTs large interval files here through presigned URLs (the URL is the credential)
            cors=[s3.CorsRule(allowed_methods=[s3.HttpMethods.PUT], allowed_origins=["*"],
                              allowed_headers=["content-type"], max_age=3000)])

    def _function(self, name: str, spec: FunctionSpec, environment: dict[str, str]) -> lambda_.Function:
        construct_id = "".join(part.title() for part in name.split("_"))
        log_group = logs.LogGroup(self, f"{construct_id}Logs", log_group_name=f"/hes/{self.props.stage}/{name}",
                                  retention=logs.RetentionDays.ONE_MONTH, removal_policy=RemovalPolicy.DESTROY)
        # one image for every function (same build, same asset); the handler is the function's command
        code = lambda_.DockerImageCode.from_image_asset(str(REPO), cmd=[spec.handler], **image_build(LAMBDA_DOCKERFILE))
        return lambda_.DockerImageFunction(
            self, construct_id, function_name=f"hes-{self.props.stage}-{name.replace('_', '-')}", code=code,
            architecture=lambda_.Architecture.X86_64, timeout=Duration.seconds(spec.timeout_s),
            memory_size=spec.memory_mb, environment=environment, tracing=lambda_.Tracing.ACTIVE, log_group=log_group)

    def _daily(self, hour: int, minute: int) -> scheduler.ScheduleExpression:
        return scheduler.ScheduleExpression.cron(hour=str(hour), minute=str(minute),
                                                 time_zone=TimeZone.of(self.props.timezone))

    def _schedule(self, construct_id: str, fn: lambda_.IFunction, expression: scheduler.ScheduleExpression,
                  description: str) -> None:
        scheduler.Schedule(self, construct_id, schedule=expression, description=description,
                           target=targets.LambdaInvoke(fn, retry_attempts=2, max_event_age=Duration.hours(1)))

    def edge_ids(self) -> list[str]:
        """One edge task: unnamed, it takes every command from COMMANDS. Several: each is a service of one task
        named e1, e2, ... (HES_EDGE_ID), with its own commands queue for the meters it holds."""
        return [""] if self.props.edge_tasks == 1 else [f"e{i}" for i in range(1, self.props.edge_tasks + 1)]

    def _edge(self, environment: dict[str, str], secret: secretsmanager.ISecret) -> elbv2.NetworkLoadBalancer:
        # public subnets and public task IPs: no NAT gateway to pay for; the tasks reach SQS and MongoDB directly
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=0, subnet_configuration=[
            ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24)])
        cluster = ecs.Cluster(self, "Cluster", vpc=vpc)
        log_group = logs.LogGroup(self, "EdgeLogs", log_group_name=f"/hes/{self.props.stage}/edge",
                                  retention=logs.RetentionDays.ONE_MONTH, removal_policy=RemovalPolicy.DESTROY)
        image = ecs.ContainerImage.from_asset(str(REPO), **image_build(EDGE_DOCKERFILE))
        edge_services = []
        for edge_id in self.edge_ids():
            suffix = edge_id.upper()  # construct ids: Edge / EdgeE1, EdgeE2, ...
            task = ecs.FargateTaskDefinition(self, f"EdgeTask{suffix}", cpu=512, memory_limit_mib=1024,
                                             runtime_platform=ecs.RuntimePlatform(
                                                 cpu_architecture=ecs.CpuArchitecture.X86_64,
                                                 operating_system_family=ecs.OperatingSystemFamily.LINUX))
            task.add_container(
                "edge", image=image, essential=True,
                environment={**environment, "HES_EDGE_HOST": "0.0.0.0", "HES_EDGE_PORT": str(EDGE_PORT),
                             **({"HES_EDGE_ID": edge_id} if edge_id else {})},
                port_mappings=[ecs.PortMapping(container_port=EDGE_PORT, protocol=ecs.Protocol.TCP)],
                logging=ecs.LogDrivers.aws_logs(stream_prefix=f"edge{edge_id}", log_group=log_group),
                stop_timeout=Duration.seconds(30))
            self.frames.grant_send_messages(task.task_role)
            self.commands.grant_consume_messages(task.task_role)  # meters no edge holds: any edge may dial them
            if edge_id:
                own = self._queue(f"Commands{suffix}", f"{self.props.names.commands}-{edge_id}", Duration.minutes(5))
                own.grant_consume_messages(task.task_role)
                self.edge_commands.append(own)
            secret.grant_read(task.task_role)
            service = ecs.FargateService(
                self, f"Edge{suffix}", cluster=cluster, task_definition=task, desired_count=1,
                assign_public_ip=True, vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
                min_healthy_percent=100, max_healthy_percent=200,
                circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True))
            service.connections.allow_from_any_ipv4(ec2.Port.tcp(EDGE_PORT), "meters, through the NLB")
            edge_services.append(service)

        nlb = elbv2.NetworkLoadBalancer(self, "MeterNlb", vpc=vpc, internet_facing=True, cross_zone_enabled=True,
                                        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC))
        listener = nlb.add_listener("Meters", port=EDGE_PORT, protocol=elbv2.Protocol.TCP)
        listener.add_targets(
            "Edge", port=EDGE_PORT, protocol=elbv2.Protocol.TCP,
            targets=[s.load_balancer_target(container_name="edge", container_port=EDGE_PORT) for s in edge_services],
            health_check=elbv2.HealthCheck(protocol=elbv2.Protocol.TCP, interval=Duration.seconds(30)),
            deregistration_delay=Duration.seconds(60))
        return nlb

    def _api_role(self, secret: secretsmanager.ISecret) -> None:
        """The role `chalice deploy` uses (manage_iam_role false): what the API does with the pipeline, no more."""
        role = iam.Role(self, "ApiRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"HES Core API ({self.props.stage}), deployed by chalice",
                        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(
                            "service-role/AWSLambdaBasicExecutionRole")])
        for queue in (self.commands, *self.edge_commands, self.exports, self.rules):
            queue.grant_send_messages(role)
        self.bucket.grant_read_write(role)
        secret.grant_read(role)
        CfnOutput(self, "ApiRoleArn", value=role.role_arn, description="iam_role_arn for .chalice/config.json")


def image_build(dockerfile: str) -> dict[str, Any]:
    """How an image asset is built at deploy (synth only stages its context): from the repository root, minus what
    `<dockerfile>.dockerignore` leaves out (the file `docker build -f <dockerfile> .` reads too), for x86_64."""
    lines = (REPO / f"{dockerfile}.dockerignore").read_text().splitlines()
    exclude = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return {"file": dockerfile, "exclude": exclude, "ignore_mode": IgnoreMode.DOCKER,
            "platform": ecr_assets.Platform.LINUX_AMD64}
