data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition

  # Learner Lab: LabRole for both functions and no IAM resource at all (tests/test_terraform_policy.py).
  create_iam = var.lab_role_arn == null

  auth_function_name   = "${var.name}-auth-cpf"
  notify_function_name = "${var.name}-notify"

  # Contract names (docs/contracts/events.md).
  topic_name = "${var.name}-order-events.fifo"
  queue_name = "${var.name}-notifications.fifo"
  dlq_name   = "${var.name}-notifications-dlq.fifo"
  table_name = "${var.name}-notifications-idempotency"

  # Datadog: with the Python layer the runtime calls datadog_lambda's wrapper, which calls ours.
  datadog   = var.datadog_python_layer_arn != null
  dd_layers = compact([var.datadog_python_layer_arn, var.datadog_extension_layer_arn])
  dd_common = merge(
    {
      DD_ENV                     = var.environment
      DD_VERSION                 = var.version_tag
      DD_SITE                    = var.datadog_site
      DD_TRACE_ENABLED           = "true"
      DD_LOGS_INJECTION          = "true"
      DD_SERVERLESS_LOGS_ENABLED = "true"
      DD_CAPTURE_LAMBDA_PAYLOAD  = "false" # payloads carry CPF / e-mail / phone
      DD_MERGE_XRAY_TRACES       = "false"
      # No inferred API Gateway / SQS span: aws.lambda is the local root, so it carries
      # DD_VERSION (ddtrace tags version only on spans of the root's service) and continues the
      # caller's trace directly (tests/test_tracing.py).
      DD_TRACE_MANAGED_SERVICES = "false"
      DD_AGENT_HOST             = "127.0.0.1" # the extension's DogStatsD
      DD_DOGSTATSD_PORT         = "8125"
    },
    var.datadog_api_key_secret_arn == null ? {} : { DD_API_KEY_SECRET_ARN = var.datadog_api_key_secret_arn },
  )

  auth_handler   = "auth_cpf.handler.lambda_handler"
  notify_handler = "oficina_notify.handler.lambda_handler"

  package_hash = try(filebase64sha256(var.package_path), null)

  tags = merge(var.tags, { environment = var.environment })
}
