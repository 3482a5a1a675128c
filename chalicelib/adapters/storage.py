"""S3 for report files (moto locally: AWS_ENDPOINT_URL points boto3 at it; the code is the same)."""
from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import ClientError

_lock = threading.Lock()


@cache
def s3_client() -> Any:
    with _lock:
        return boto3.client("s3")


def ensure_bucket(name: str) -> None:
    try:
        s3_client().head_bucket(Bucket=name)
    except ClientError:
        region = s3_client().meta.region_name
        config = {} if region in (None, "us-east-1") else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3_client().create_bucket(Bucket=name, **config)


def put(bucket: str, key: str, body: bytes, content_type: str) -> None:
    s3_client().put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


def download_url(bucket: str, key: str, filename: str, expires_s: int = 3600) -> str:
    """A presigned GET that makes the browser save the file under its name."""
    return str(s3_client().generate_presigned_url("get_object", Params={
        "Bucket": bucket, "Key": key, "ResponseContentDisposition": f'attachment; filename="{filename}"'},
        ExpiresIn=expires_s))


def upload_url(bucket: str, key: str, content_type: str, expires_s: int = 3600) -> str:
    """A presigned PUT for a browser to upload a file straight to S3 (the bucket allows it by CORS)."""
    return str(s3_client().generate_presigned_url("put_object", Params={
        "Bucket": bucket, "Key": key, "ContentType": content_type}, ExpiresIn=expires_s))
