# --- For oficina-flask (and dbt, Datadog): direct connection to the instance ---------------------

output "db_instance_identifier" {
  description = "RDS instance identifier."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "RDS instance ARN."
  value       = aws_db_instance.this.arn
}

output "endpoint" {
  description = "Host name of the instance (use sslmode=verify-full with the RDS CA bundle)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Database port."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Application database name."
  value       = aws_db_instance.this.db_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed master credentials (only for bootstrap/roles.sql)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "role_secret_arns" {
  description = "Secrets Manager ARN per database role ({engine, host, port, dbname, username, password}); oficina_app feeds DATABASE_URL, oficina_owner MIGRATIONS_DATABASE_URL."
  value       = { for role, secret in aws_secretsmanager_secret.role : role => secret.arn }
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.this.id
}

output "kms_key_arn" {
  description = "KMS key encrypting storage, Performance Insights, secrets and logs (grant kms:Decrypt to whoever reads a role secret)."
  value       = local.kms_key_arn
}

output "parameter_group_name" {
  description = "DB parameter group name."
  value       = aws_db_parameter_group.this.name
}

output "cloudwatch_log_group_names" {
  description = "CloudWatch log groups receiving the exported PostgreSQL logs."
  value       = [for group in aws_cloudwatch_log_group.this : group.name]
}

# --- For lambda-cpf (the auth function): through the RDS Proxy ------------------------------------

output "proxy_endpoint" {
  description = "RDS Proxy endpoint for the auth Lambda (TLS + IAM token); null when create_proxy is false."
  value       = try(aws_db_proxy.this[0].endpoint, null)
}

output "proxy_arn" {
  description = "RDS Proxy ARN."
  value       = try(aws_db_proxy.this[0].arn, null)
}

output "proxy_auth_connect_arns" {
  description = "Resource ARNs for the function's IAM policy (rds-db:connect), one per proxy role."
  value = var.create_proxy ? {
    for role in var.proxy_roles : role => format(
      "arn:%s:rds-db:%s:%s:dbuser:%s/%s",
      data.aws_partition.current.partition,
      data.aws_region.current.name,
      data.aws_caller_identity.current.account_id,
      element(split(":", aws_db_proxy.this[0].arn), 6),
      role,
    )
  } : {}
}

output "proxy_client_security_group_id" {
  description = "Security group to attach to the auth Lambda so it can reach the proxy; null without proxy."
  value       = try(aws_security_group.proxy_client[0].id, null)
}
