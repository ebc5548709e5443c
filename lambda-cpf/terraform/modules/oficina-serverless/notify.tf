# The notification function: SQS FIFO event source with ReportBatchItemFailures, idempotency in
# DynamoDB, e-mail through SES, SMS through SNS (README "Notifications").

resource "aws_dynamodb_table" "idempotency" {
  name                        = local.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "event_id"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "event_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this.arn
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = local.tags
}

resource "aws_sesv2_email_identity" "this" {
  # A domain (DKIM tokens in the outputs, to publish in DNS) or a single address (SES mails a
  # verification link) - the same resource handles both.
  email_identity = var.ses_identity
  tags           = local.tags
}

resource "aws_cloudwatch_log_group" "notify" {
  name              = "/aws/lambda/${local.notify_function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_lambda_function" "notify" {
  #checkov:skip=CKV_AWS_116:the function is invoked by an SQS event source mapping, where a function DLQ is never used; failed records go to the queue's own DLQ (redrive policy, maxReceiveCount) which is alarmed on.
  #checkov:skip=CKV_AWS_117:the function only calls public AWS endpoints (SES, SNS, DynamoDB, SQS) and reads no private data store; in a VPC it would need a NAT gateway or four interface endpoints for no isolation gain.
  #checkov:skip=CKV_AWS_272:code signing needs an AWS Signer profile, which the Learner Lab does not offer; the zip is reproducible and its SHA-256 is printed by make package and pinned in source_code_hash.
  function_name                  = local.notify_function_name
  description                    = "Oficina order notifications: SQS FIFO -> SES e-mail / SNS SMS (lambda-cpf)"
  role                           = local.create_iam ? aws_iam_role.notify[0].arn : var.lab_role_arn
  runtime                        = "python3.11"
  architectures                  = ["x86_64"]
  filename                       = var.package_path
  source_code_hash               = local.package_hash
  handler                        = local.datadog ? "datadog_lambda.handler.handler" : local.notify_handler
  layers                         = local.dd_layers
  memory_size                    = var.notify_memory_mb
  timeout                        = var.notify_timeout_seconds
  reserved_concurrent_executions = var.notify_reserved_concurrency
  publish                        = true
  kms_key_arn                    = aws_kms_key.this.arn

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text" # our lines are already JSON (log contract)
    log_group  = aws_cloudwatch_log_group.notify.name
  }

  environment {
    variables = merge(
      {
        NOTIFY_IDEMPOTENCY_TABLE    = aws_dynamodb_table.idempotency.name
        NOTIFY_EMAIL_SOURCE         = var.email_source
        NOTIFY_IDEMPOTENCY_TTL_DAYS = tostring(var.idempotency_ttl_days)
        # A claim outlives the invocation that holds it, so a live sender is never doubled.
        NOTIFY_LEASE_SECONDS = tostring(var.notify_timeout_seconds * 2)
        LOG_LEVEL            = var.log_level
        DD_SERVICE           = "oficina-notify"
      },
      local.dd_common,
      local.datadog ? { DD_LAMBDA_HANDLER = local.notify_handler } : {},
    )
  }

  tags = local.tags

  depends_on = [aws_cloudwatch_log_group.notify]
}

resource "aws_lambda_alias" "notify_live" {
  name             = "live"
  description      = "The version the SQS event source invokes."
  function_name    = aws_lambda_function.notify.function_name
  function_version = aws_lambda_function.notify.version
}

resource "aws_lambda_event_source_mapping" "notifications" {
  event_source_arn        = aws_sqs_queue.notifications.arn
  function_name           = aws_lambda_alias.notify_live.arn
  batch_size              = var.notify_batch_size
  function_response_types = ["ReportBatchItemFailures"]
  enabled                 = true
}
