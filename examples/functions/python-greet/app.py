"""Greets event["name"]: a Python function run through the local Lambda's Python runtime."""

import logging

logger = logging.getLogger()
# Lambda's Python runtime leaves the root logger at WARNING: INFO lines need this, as on AWS.
logger.setLevel(logging.INFO)


def handler(event, context):
    name = (event or {}).get("name", "world")
    logger.info("greeting %s", name)
    return {
        "message": f"Hello, {name}!",
        "function": context.function_name,
        "requestId": context.aws_request_id,
    }
