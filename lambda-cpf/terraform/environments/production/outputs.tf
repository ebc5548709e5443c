output "auth_alias_invoke_arn" {
  description = "Lambda integration URI for infra-kubernetes' API Gateway (auth routes)."
  value       = module.serverless.auth_alias_invoke_arn
}

output "auth_function_name" {
  description = "Name of the auth function."
  value       = module.serverless.auth_function_name
}

output "signing_key_secret_arn" {
  description = "Secret holding the signing key PEM."
  value       = module.serverless.signing_key_secret_arn
}

output "order_events_topic_arn" {
  description = "SNS FIFO topic for oficina-flask's relay."
  value       = module.serverless.order_events_topic_arn
}

output "notifications_queue_url" {
  description = "SQS FIFO queue of the notification function."
  value       = module.serverless.notifications_queue_url
}

output "notifications_dlq_url" {
  description = "Dead-letter queue of the notifications."
  value       = module.serverless.notifications_dlq_url
}

output "ses_dkim_tokens" {
  description = "DKIM CNAMEs to publish when the SES identity is a domain."
  value       = module.serverless.ses_dkim_tokens
}

output "kms_key_arn" {
  description = "KMS key the relay needs (kms:GenerateDataKey, kms:Decrypt) to publish to the encrypted topic."
  value       = module.serverless.kms_key_arn
}
