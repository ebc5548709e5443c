# Execution roles, one per function, least privilege. Learner Lab (lab_role_arn set): none of
# these exist (count = 0) and both functions run as LabRole.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# --- auth --------------------------------------------------------------------------------------

resource "aws_iam_role" "auth" {
  count              = local.create_iam ? 1 : 0
  name               = "${local.auth_function_name}-exec"
  description        = "Execution role of ${local.auth_function_name}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "auth" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.auth.arn}:*"]
  }

  statement {
    sid = "VpcNetworkInterfaces"
    # Lambda creates the ENIs of vpc_config as the function's role; EC2 offers no resource
    # ARN before the interface exists, so these are scoped to the account's region instead.
    actions = [
      "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = [local.region]
    }
  }

  statement {
    sid       = "SigningKey"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.signing_key.arn]
  }

  statement {
    sid       = "Decrypt"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "RdsProxyIamAuth"
    actions   = ["rds-db:connect"]
    resources = var.rds_proxy_auth_connect_arns
  }

  statement {
    sid       = "XRay"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }

  dynamic "statement" {
    for_each = var.datadog_api_key_secret_arn == null ? [] : [1]
    content {
      sid       = "DatadogApiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.datadog_api_key_secret_arn]
    }
  }
}

resource "aws_iam_role_policy" "auth" {
  count  = local.create_iam ? 1 : 0
  name   = "least-privilege"
  role   = aws_iam_role.auth[0].id
  policy = data.aws_iam_policy_document.auth.json
}

# --- notify ------------------------------------------------------------------------------------

resource "aws_iam_role" "notify" {
  count              = local.create_iam ? 1 : 0
  name               = "${local.notify_function_name}-exec"
  description        = "Execution role of ${local.notify_function_name}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "notify" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.notify.arn}:*"]
  }

  statement {
    sid = "ConsumeTheQueue"
    actions = [
      "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]
    resources = [aws_sqs_queue.notifications.arn]
  }

  statement {
    sid       = "IdempotencyTable"
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.idempotency.arn]
  }

  statement {
    sid       = "SendEmail"
    actions   = ["ses:SendEmail"]
    resources = [aws_sesv2_email_identity.this.arn]
  }

  dynamic "statement" {
    for_each = var.sms_enabled ? [1] : []
    content {
      sid = "SendSms"
      # SMS to a phone number has no resource ARN: "*" is the only resource SNS accepts ...
      actions   = ["sns:Publish"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.sms_enabled ? [1] : []
    content {
      sid = "NoPublishingToTopics"
      # ... so publishing to any topic (or application endpoint) is denied explicitly.
      effect    = "Deny"
      actions   = ["sns:Publish"]
      resources = ["arn:${local.partition}:sns:*:*:*"]
    }
  }

  statement {
    sid       = "EncryptedQueueAndTable"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "XRay"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"] # X-Ray has no resource-level permissions
  }

  dynamic "statement" {
    for_each = var.datadog_api_key_secret_arn == null ? [] : [1]
    content {
      sid       = "DatadogApiKey"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.datadog_api_key_secret_arn]
    }
  }
}

resource "aws_iam_role_policy" "notify" {
  count  = local.create_iam ? 1 : 0
  name   = "least-privilege"
  role   = aws_iam_role.notify[0].id
  policy = data.aws_iam_policy_document.notify.json
}
