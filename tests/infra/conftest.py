"""CDK tests synthesize in-process: jsii runs the library on the local node (no AWS, docker or network)."""
from __future__ import annotations

import os

# node 20 still runs aws-cdk-lib; without this jsii prints a banner on every start
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
