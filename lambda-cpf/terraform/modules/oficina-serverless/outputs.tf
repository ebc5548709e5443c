output "auth_alias_invoke_arn" {
  description = "Invoke ARN of the auth function's alias live: the Lambda integration URI of infra-kubernetes' API Gateway routes POST /auth/token and GET /.well-known/{proxy+}."
  value       = aws_lambda_alias.auth_live.invoke_arn
}

output "auth_alias_arn" {
  description = "ARN of the auth function's alias live."
  value       = aws_lambda_alias.auth_live.arn
}

output "auth_function_name" {
  description = "Name of the auth function."
  value       = aws_lambda_function.auth.function_name
}

output "signing_key_secret_arn" {
  description = "Secrets Manager secret of the signing key (put the PEM with put-secret-value, README)."
  value       = aws_secretsmanager_secret.signing_key.arn
}

output "order_events_topic_arn" {
  description = "SNS FIFO topic the oficina-flask relay publishes to (its OUTBOX_TOPIC_ARN)."
  value       = aws_sns_topic.order_events.arn
}

output "notifications_queue_url" {
  description = "URL of the SQS FIFO queue consumed by the notification function."
  value       = aws_sqs_queue.notifications.id
}

output "notifications_dlq_url" {
  description = "URL of the dead-letter queue (inspect, then redrive with start-message-move-task)."
  value       = aws_sqs_queue.dlq.id
}

output "notify_function_name" {
  description = "Name of the notification function."
  value       = aws_lambda_function.notify.function_name
}

output "idempotency_table_name" {
  description = "DynamoDB table of processed event ids."
  value       = aws_dynamodb_table.idempotency.name
}

output "ses_identity_arn" {
  description = "SES identity the e-mails are sent from."
  value       = aws_sesv2_email_identity.this.arn
}

output "ses_dkim_tokens" {
  description = "DKIM tokens to publish as CNAMEs when ses_identity is a domain (empty for an address)."
  value       = try(aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens, [])
}

output "kms_key_arn" {
  description = "KMS key of the topic, queues, table, secret and logs: the relay needs kms:GenerateDataKey and kms:Decrypt on it to publish."
  value       = aws_kms_key.this.arn
}
