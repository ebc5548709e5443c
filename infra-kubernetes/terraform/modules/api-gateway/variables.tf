variable "name" {
  description = "Name of the HTTP API (e.g. oficina-homolog)."
  type        = string
}

variable "jwt_issuer" {
  description = "Expected iss of the tokens: the auth function's issuer URL (AUTH_ISSUER, docs/contracts/auth.md). Null means this API's own endpoint, which serves the discovery documents through the auth Lambda routes."
  type        = string
  default     = null

  validation {
    condition     = var.jwt_issuer == null || can(regex("^https://[^/]+", var.jwt_issuer))
    error_message = "The JWT authorizer needs an https:// issuer (it fetches <issuer>/.well-known/openid-configuration)."
  }
}

variable "jwt_audience" {
  description = "Expected aud of the tokens (docs/contracts/auth.md: oficina-api)."
  type        = string
  default     = "oficina-api"
}

variable "auth_lambda_function_arn" {
  description = "ARN of the auth Lambda (output of lambda-cpf's Terraform)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$", var.auth_lambda_function_arn))
    error_message = "auth_lambda_function_arn must be a Lambda function ARN."
  }
}

variable "auth_lambda_invoke_arn" {
  description = "Invoke ARN of the auth Lambda (output of lambda-cpf's Terraform)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/", var.auth_lambda_invoke_arn))
    error_message = "auth_lambda_invoke_arn must be an API Gateway invoke ARN of a Lambda function."
  }
}

variable "vpc_id" {
  description = "VPC of the VPC link."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the VPC link ENIs."
  type        = list(string)
}

variable "nlb_listener_arn" {
  description = "Listener of the internal NLB in front of the app."
  type        = string
}

variable "nlb_listener_port" {
  description = "Port of that listener."
  type        = number
  default     = 80
}

variable "nlb_security_group_id" {
  description = "Security group of the internal NLB (the VPC link may reach only it)."
  type        = string
}

variable "integration_timeout_ms" {
  description = "Integration timeout; 30000 is the HTTP API maximum and the budget the app's graceful shutdown fits under."
  type        = number
  default     = 30000

  validation {
    condition     = var.integration_timeout_ms >= 50 && var.integration_timeout_ms <= 30000
    error_message = "HTTP API integration timeouts are between 50 and 30000 ms."
  }
}

variable "throttling" {
  description = "Default throttling of every route (steady requests per second and burst)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
}

variable "auth_token_throttling" {
  description = "Stricter throttling of POST /auth/token."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
}

variable "logs_kms_key_arn" {
  description = "KMS key of the access-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the access logs, in days."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
