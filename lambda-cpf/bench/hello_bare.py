"""Hello-world Lambda handler, no framework: the baseline for process start."""

import json


def lambda_handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"hello": "world"}),
    }
