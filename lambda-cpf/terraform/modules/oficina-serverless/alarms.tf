# Failures are visible: anything in the DLQ pages (the DogStatsD failure metric and the Datadog
# monitor are the observability repository's; this alarm works even without Datadog).

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.name}-notifications-dlq-not-empty"
  alarm_description   = "Order notifications reached the DLQ (${local.dlq_name}): poisoned or undeliverable. See lambda-cpf README, Failure handling."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "notify_errors" {
  alarm_name          = "${var.name}-notify-function-errors"
  alarm_description   = "The notification function itself failed (crash or timeout), not a single record."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.notify.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  tags                = local.tags
}
