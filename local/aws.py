"""moto in server mode: the local stand-in for SQS and S3 (boto3 is pointed at it by AWS_ENDPOINT_URL)."""
from __future__ import annotations

import logging
import os

from moto.server import ThreadedMotoServer

from chalicelib.adapters.queues import ensure_queue, queue_url, sqs_client
from chalicelib.adapters.storage import ensure_bucket, s3_client
from chalicelib.settings import Settings

LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "eu-west-1"}


def point_boto3_at(port: int) -> None:
    """Every boto3 client made after this talks to the local moto server."""
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
    for key, value in LOCAL_CREDENTIALS.items():
        os.environ.setdefault(key, value)
    sqs_client.cache_clear()
    queue_url.cache_clear()
    s3_client.cache_clear()


def start_moto(settings: Settings, port: int | None = None) -> ThreadedMotoServer:
    port = port or settings.aws_port
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    point_boto3_at(port)
    for name in (settings.frames_queue, settings.commands_queue, settings.exports_queue, settings.rules_queue):
        ensure_queue(name)
    ensure_bucket(settings.reports_bucket)
    return server
