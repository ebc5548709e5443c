output "endpoint" {
  description = "Instance host name (oficina-flask DATABASE_URL host, dbt, Datadog)."
  value       = module.postgres.endpoint
}

output "port" {
  description = "Database port."
  value       = module.postgres.port
}

output "db_name" {
  description = "Application database name."
  value       = module.postgres.db_name
}

output "master_user_secret_arn" {
  description = "RDS-managed master secret (bootstrap only)."
  value       = module.postgres.master_user_secret_arn
}

output "role_secret_arns" {
  description = "Secret ARN per database role."
  value       = module.postgres.role_secret_arns
}

output "proxy_endpoint" {
  description = "RDS Proxy endpoint for the auth Lambda."
  value       = module.postgres.proxy_endpoint
}

output "proxy_auth_connect_arns" {
  description = "rds-db:connect resources for the auth Lambda's IAM policy."
  value       = module.postgres.proxy_auth_connect_arns
}

output "proxy_client_security_group_id" {
  description = "Security group to attach to the auth Lambda."
  value       = module.postgres.proxy_client_security_group_id
}

output "kms_key_arn" {
  description = "KMS key of the database and its secrets."
  value       = module.postgres.kms_key_arn
}
