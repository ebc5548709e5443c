# Offline runs with a mocked AWS provider (no credentials, no network): what each IAM mode
# creates. Run by tests/test_terraform.py (`terraform test`).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mocked-exec" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:oficina-test-order-events.fifo" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/oficina-test" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/oficina-test-notifications-idempotency" }
  }
  mock_resource "aws_lambda_alias" {
    defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:oficina-test-notify:live" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:us-east-1:123456789012:oficina-test-notifications.fifo" }
  }
}

variables {
  name                           = "oficina-test"
  environment                    = "test"
  package_path                   = "does-not-exist.zip"
  auth_reserved_concurrency      = 5
  auth_issuer                    = "https://api.test.oficina.example"
  private_subnet_ids             = ["subnet-aaaa", "subnet-bbbb"]
  proxy_client_security_group_id = "sg-proxyclient"
  rds_proxy_endpoint             = "oficina-test.proxy-abc.us-east-1.rds.amazonaws.com"
  db_name                        = "oficina"
  rds_proxy_auth_connect_arns    = ["arn:aws:rds-db:us-east-1:123456789012:dbuser:prx-123/oficina_auth"]
  api_gateway_execution_arn      = "arn:aws:execute-api:us-east-1:123456789012:abc123"
  notify_reserved_concurrency    = 2
  ses_identity                   = "no-reply@test.oficina.example"
  email_source                   = "Oficina <no-reply@test.oficina.example>"
}

run "normal_account_creates_one_role_per_function" {
  command = apply # everything is mocked: nothing leaves this machine

  assert {
    condition     = length(aws_iam_role.auth) == 1 && length(aws_iam_role.notify) == 1
    error_message = "a normal account gets one execution role per function"
  }
  assert {
    condition     = length(aws_iam_role_policy.auth) == 1 && length(aws_iam_role_policy.notify) == 1
    error_message = "each role gets its least-privilege inline policy"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.notifications.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "partial batch failure reporting must be on"
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.notifications.redrive_policy).maxReceiveCount == 5
    error_message = "contract: DLQ after 5 receives"
  }
  assert {
    condition     = aws_sns_topic.order_events.name == "oficina-test-order-events.fifo" && aws_sqs_queue.notifications.name == "oficina-test-notifications.fifo" && aws_sqs_queue.dlq.name == "oficina-test-notifications-dlq.fifo"
    error_message = "names of docs/contracts/events.md"
  }
  assert {
    condition     = aws_sns_topic_subscription.notifications.raw_message_delivery == true
    error_message = "contract: raw message delivery"
  }
  assert {
    condition     = aws_lambda_function.auth.handler == "auth_cpf.handler.lambda_handler" && aws_lambda_function.notify.handler == "oficina_notify.handler.lambda_handler"
    error_message = "without the Datadog layer the runtime calls our handlers directly"
  }
  assert {
    condition     = aws_lambda_permission.api_gateway_invokes_auth.qualifier == "live"
    error_message = "API Gateway invokes the alias live"
  }
}

run "learner_lab_creates_no_iam_and_uses_lab_role" {
  command = apply # everything is mocked: nothing leaves this machine

  variables {
    lab_role_arn                = "arn:aws:iam::123456789012:role/LabRole"
    datadog_python_layer_arn    = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python311:107"
    datadog_extension_layer_arn = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:72"
  }

  assert {
    condition     = length(aws_iam_role.auth) + length(aws_iam_role.notify) + length(aws_iam_role_policy.auth) + length(aws_iam_role_policy.notify) == 0
    error_message = "LabRole mode must not create any IAM resource"
  }
  assert {
    condition     = aws_lambda_function.auth.role == "arn:aws:iam::123456789012:role/LabRole" && aws_lambda_function.notify.role == "arn:aws:iam::123456789012:role/LabRole"
    error_message = "both functions run as LabRole"
  }
  assert {
    condition     = aws_lambda_function.auth.handler == "datadog_lambda.handler.handler" && aws_lambda_function.auth.environment[0].variables["DD_LAMBDA_HANDLER"] == "auth_cpf.handler.lambda_handler"
    error_message = "with the Datadog layer, the wrapper calls our handler"
  }
  assert {
    condition     = aws_lambda_function.notify.handler == "datadog_lambda.handler.handler" && aws_lambda_function.notify.environment[0].variables["DD_LAMBDA_HANDLER"] == "oficina_notify.handler.lambda_handler"
    error_message = "with the Datadog layer, the wrapper calls the notification handler"
  }
  assert {
    condition = alltrue([for vars in [aws_lambda_function.auth.environment[0].variables, aws_lambda_function.notify.environment[0].variables] :
      vars["DD_TRACE_ENABLED"] == "true" && vars["DD_LOGS_INJECTION"] == "true" && vars["DD_MERGE_XRAY_TRACES"] == "false" &&
    vars["DD_TRACE_MANAGED_SERVICES"] == "false" && vars["DD_ENV"] == var.environment && vars["DD_VERSION"] == var.version_tag && vars["DD_DOGSTATSD_PORT"] == "8125"])
    error_message = "tracing on, logs injection on, X-Ray not merged, unified service tagging on both functions"
  }
  assert {
    condition     = aws_lambda_function.auth.environment[0].variables["DD_SERVICE"] == "auth-cpf" && aws_lambda_function.notify.environment[0].variables["DD_SERVICE"] == "oficina-notify"
    error_message = "service names of docs/observability.md"
  }
  assert {
    condition     = length(aws_lambda_function.notify.layers) == 2 && aws_lambda_function.notify.environment[0].variables["DD_CAPTURE_LAMBDA_PAYLOAD"] == "false"
    error_message = "Datadog layers attached; payloads (personal data) never captured"
  }
}
