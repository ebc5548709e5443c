variable "aws_region" {
  description = "AWS region (the Learner Lab only allows us-east-1 and us-west-2)."
  type        = string
  default     = "us-east-1"
}

variable "lab_role_arn" {
  description = "AWS Academy Learner Lab only: ARN of LabRole, used as the execution role of both functions (no IAM resources are created). null in a normal account."
  type        = string
  default     = null
}

variable "package_path" {
  description = "Lambda zip built by `make package`."
  type        = string
  default     = "../../../dist/lambda-cpf.zip"
}

variable "version_tag" {
  description = "DD_VERSION of the release (e.g. the git SHA)."
  type        = string
  default     = "0.1.0"
}

variable "auth_issuer" {
  description = "AUTH_ISSUER: the API's https URL (serves /.well-known/openid-configuration)."
  type        = string
}

variable "auth_reserved_concurrency" {
  description = "Reserved concurrency of the auth function."
  type        = number
}

variable "private_subnet_ids" {
  description = "Private subnets of the platform VPC (infra-kubernetes output)."
  type        = list(string)
}

variable "proxy_client_security_group_id" {
  description = "infra-postgres output proxy_client_security_group_id."
  type        = string
}

variable "rds_proxy_endpoint" {
  description = "infra-postgres output proxy_endpoint."
  type        = string
}

variable "db_name" {
  description = "infra-postgres output db_name."
  type        = string
}

variable "rds_proxy_auth_connect_arns" {
  description = "Values of infra-postgres output proxy_auth_connect_arns."
  type        = list(string)
}

variable "api_gateway_execution_arn" {
  description = "Execution ARN of the HTTP API of infra-kubernetes allowed to invoke the auth alias."
  type        = string
}

variable "notify_reserved_concurrency" {
  description = "Reserved concurrency of the notification function."
  type        = number
}

variable "ses_identity" {
  description = "SES identity: a domain or a single e-mail address."
  type        = string
}

variable "email_source" {
  description = "From address of the notification e-mails (inside ses_identity)."
  type        = string
}

variable "sms_enabled" {
  description = "Allow SMS through SNS."
  type        = bool
  default     = true
}

variable "publisher_role_arns" {
  description = "Roles allowed to publish to the topic (the relay's workload identity)."
  type        = list(string)
  default     = []
}

variable "alarm_actions" {
  description = "ARNs notified by the DLQ and function-error alarms."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Deletion protection of the idempotency table."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of the functions' log groups in days."
  type        = number
}

variable "signing_key_recovery_window_days" {
  description = "Recovery window of the signing-key secret."
  type        = number
}

variable "datadog_python_layer_arn" {
  description = "Datadog Python layer ARN (null: no Datadog wrapper)."
  type        = string
  default     = null
}

variable "datadog_extension_layer_arn" {
  description = "Datadog Lambda Extension layer ARN (null: no extension)."
  type        = string
  default     = null
}

variable "datadog_api_key_secret_arn" {
  description = "Secrets Manager ARN of the Datadog API key."
  type        = string
  default     = null
}

variable "datadog_site" {
  description = "DD_SITE."
  type        = string
  default     = "datadoghq.com"
}
