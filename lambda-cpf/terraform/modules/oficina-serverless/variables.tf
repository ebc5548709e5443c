# --- Naming and IAM mode -----------------------------------------------------------------------

variable "name" {
  description = "Name prefix of every resource, e.g. oficina-homolog (the contract's oficina-<env>)."
  type        = string

  validation {
    condition     = can(regex("^oficina-[a-z0-9-]+$", var.name))
    error_message = "name must look like oficina-<env> (docs/contracts/events.md)."
  }
}

variable "environment" {
  description = "Environment name (homolog, production): the DD_ENV tag and the resource tags."
  type        = string
}

variable "lab_role_arn" {
  description = "AWS Academy Learner Lab only: ARN of the existing LabRole used as the execution role of both functions. null (normal account) creates one least-privilege role per function; with a value no IAM resource is created."
  type        = string
  default     = null
}

variable "package_path" {
  description = "Path of the Lambda zip built by `make package` (both functions ship in it, with different handlers)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the functions' CloudWatch log groups, in days (>= 365 for the audit trail)."
  type        = number
  default     = 365
}

variable "log_level" {
  description = "LOG_LEVEL of both functions (DEBUG, INFO, WARNING, ERROR)."
  type        = string
  default     = "INFO"
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the KMS key is deleted after a destroy."
  type        = number
  default     = 30
}

variable "version_tag" {
  description = "DD_VERSION of both functions (e.g. the git SHA of the release)."
  type        = string
  default     = "0.1.0"
}

# --- Auth function -------------------------------------------------------------------------------

variable "auth_memory_mb" {
  description = "Memory of the auth function (argon2id uses 64 MiB; CPU scales with memory)."
  type        = number
  default     = 512
}

variable "auth_timeout_seconds" {
  description = "Timeout of the auth function in seconds."
  type        = number
  default     = 10
}

variable "auth_reserved_concurrency" {
  description = "Reserved concurrency of the auth function (also a ceiling on RDS Proxy connections)."
  type        = number
}

variable "auth_issuer" {
  description = "AUTH_ISSUER: the https URL under which /.well-known/openid-configuration is served (the API's URL or custom domain)."
  type        = string
}

variable "auth_token_ttl_seconds" {
  description = "AUTH_TOKEN_TTL_SECONDS (60-86400)."
  type        = number
  default     = 900
}

variable "private_subnet_ids" {
  description = "Private subnets of the platform VPC (infra-kubernetes output) where the auth function runs to reach the RDS Proxy."
  type        = list(string)
}

variable "proxy_client_security_group_id" {
  description = "infra-postgres output proxy_client_security_group_id: the security group the RDS Proxy accepts; attached to the auth function."
  type        = string
}

variable "rds_proxy_endpoint" {
  description = "infra-postgres output proxy_endpoint (host of DATABASE_URL)."
  type        = string
}

variable "db_name" {
  description = "infra-postgres output db_name."
  type        = string
}

variable "rds_proxy_auth_connect_arns" {
  description = "infra-postgres output proxy_auth_connect_arns (values): rds-db:connect resources of the oficina_auth role."
  type        = list(string)
}

variable "api_gateway_execution_arn" {
  description = "Execution ARN of the API Gateway HTTP API (infra-kubernetes' gateway) allowed to invoke the auth alias, e.g. arn:aws:execute-api:us-east-1:123456789012:abc123."
  type        = string
}

variable "signing_key_recovery_window_days" {
  description = "Recovery window of the signing-key secret after deletion (0 forces immediate deletion)."
  type        = number
  default     = 30
}

# --- Notification function -----------------------------------------------------------------------

variable "notify_memory_mb" {
  description = "Memory of the notification function."
  type        = number
  default     = 256
}

variable "notify_timeout_seconds" {
  description = "Timeout of the notification function; the queue's visibility timeout is 6 times it."
  type        = number
  default     = 30
}

variable "notify_reserved_concurrency" {
  description = "Reserved concurrency of the notification function (FIFO: at most one batch per message group at a time anyway)."
  type        = number
}

variable "notify_batch_size" {
  description = "Records per invocation (FIFO queues: 1-10)."
  type        = number
  default     = 10

  validation {
    condition     = var.notify_batch_size >= 1 && var.notify_batch_size <= 10
    error_message = "A FIFO event source takes 1 to 10 records per batch."
  }
}

variable "max_receive_count" {
  description = "Receives before a message moves to the DLQ (docs/contracts/events.md: 5)."
  type        = number
  default     = 5
}

variable "ses_identity" {
  description = "SES identity the e-mails are sent from: a domain (oficina.example, DKIM records to publish) or a single e-mail address (verified by a link, e.g. in the Learner Lab)."
  type        = string
}

variable "email_source" {
  description = "NOTIFY_EMAIL_SOURCE: From address of the e-mails, inside ses_identity, e.g. Oficina <no-reply@oficina.example>."
  type        = string
}

variable "sms_enabled" {
  description = "Whether the notification function may send SMS through SNS (sns:Publish to phone numbers)."
  type        = bool
  default     = true
}

variable "idempotency_ttl_days" {
  description = "Days a processed event id is kept (DynamoDB TTL): longer than any redelivery or relay re-publish."
  type        = number
  default     = 14
}

variable "publisher_role_arns" {
  description = "IAM roles allowed to publish to the order-events topic (the oficina-flask relay's IRSA / Pod Identity role). Empty: only principals of this account with an IAM permission."
  type        = list(string)
  default     = []
}

variable "alarm_actions" {
  description = "ARNs notified when the DLQ holds messages or the function errors (e.g. an SNS topic for the on-call)."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Deletion protection of the idempotency table."
  type        = bool
  default     = true
}

# --- Datadog -------------------------------------------------------------------------------------

variable "datadog_python_layer_arn" {
  description = "ARN of the Datadog Python layer (datadog_lambda + ddtrace), e.g. arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python311:<version>. null: no Datadog wrapper."
  type        = string
  default     = null
}

variable "datadog_extension_layer_arn" {
  description = "ARN of the Datadog Lambda Extension layer (DogStatsD on 127.0.0.1:8125, traces, logs), e.g. arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:<version>. null: no extension."
  type        = string
  default     = null
}

variable "datadog_api_key_secret_arn" {
  description = "Secrets Manager ARN of the Datadog API key read by the extension (DD_API_KEY_SECRET_ARN)."
  type        = string
  default     = null
}

variable "datadog_site" {
  description = "DD_SITE (datadoghq.com, datadoghq.eu, us5.datadoghq.com, ...)."
  type        = string
  default     = "datadoghq.com"
}

variable "tags" {
  description = "Extra tags of every resource."
  type        = map(string)
  default     = {}
}
