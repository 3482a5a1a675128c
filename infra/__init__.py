"""The AWS CDK app that deploys the pipeline around the Chalice API (queues, bucket, functions, edge)."""
