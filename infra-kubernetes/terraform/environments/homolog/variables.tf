variable "environment" {
  description = "Environment name (homolog or production)."
  type        = string

  validation {
    condition     = contains(["homolog", "production"], var.environment)
    error_message = "environment is homolog or production."
  }
}

variable "region" {
  description = "AWS region (the Learner Lab only allows us-east-1 and us-west-2)."
  type        = string
  default     = "us-east-1"
}

variable "existing_iam_role_arn" {
  description = "AWS Academy Learner Lab: ARN of the existing LabRole, used wherever a role is needed; no IAM role, policy or OIDC provider is created. Null (a normal account) creates dedicated least-privilege roles."
  type        = string
  default     = null

  validation {
    condition     = var.existing_iam_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.existing_iam_role_arn))
    error_message = "existing_iam_role_arn must be an IAM role ARN or null."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC (/16)."
  type        = string
}

variable "azs" {
  description = "Availability zones (at least two)."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every zone (cost) instead of one per zone (availability)."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of every log group, in days."
  type        = number
  default     = 365
}

variable "kubernetes_version" {
  description = "Kubernetes version of the cluster."
  type        = string
  default     = "1.31"
}

variable "cluster_public_endpoint" {
  description = "Public endpoint of the Kubernetes API: enabled, the CIDRs allowed (never 0.0.0.0/0) and why it exists."
  type = object({
    enabled = bool
    cidrs   = list(string)
    reason  = string
  })

  validation {
    condition = !var.cluster_public_endpoint.enabled || (
      length(var.cluster_public_endpoint.cidrs) > 0 &&
      alltrue([for c in var.cluster_public_endpoint.cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"]) &&
      length(trimspace(var.cluster_public_endpoint.reason)) >= 10
    )
    error_message = "An enabled public endpoint needs explicit CIDRs (never 0.0.0.0/0) and a reason of at least 10 characters."
  }
}

variable "cluster_admin_principal_arns" {
  description = "IAM principals given cluster-admin (the deploy pipeline's role, administrators)."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the node group."
  type        = list(string)
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"
}

variable "node_min_size" {
  description = "Minimum nodes."
  type        = number
}

variable "node_desired_size" {
  description = "Initial nodes."
  type        = number
}

variable "node_max_size" {
  description = "Maximum nodes."
  type        = number
}

variable "ecr_repositories" {
  description = "ECR repositories to create."
  type        = list(string)
  default     = ["oficina-flask"]
}

variable "load_balancer_deletion_protection" {
  description = "Deletion protection of the internal NLB."
  type        = bool
  default     = true
}

variable "jwt_issuer" {
  description = "Issuer the JWT authorizer accepts (AUTH_ISSUER of lambda-cpf). Null: this API's own endpoint."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Audience the JWT authorizer accepts (docs/contracts/auth.md)."
  type        = string
  default     = "oficina-api"
}

variable "auth_lambda_function_arn" {
  description = "ARN of the auth Lambda (lambda-cpf's Terraform output)."
  type        = string
}

variable "auth_lambda_invoke_arn" {
  description = "Invoke ARN of the auth Lambda (lambda-cpf's Terraform output)."
  type        = string
}

variable "api_throttling" {
  description = "Default throttling of the API (requests per second, burst)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
}

variable "auth_token_throttling" {
  description = "Throttling of POST /auth/token (stricter than the default)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })

  validation {
    condition     = var.auth_token_throttling.rate_limit > 0 && var.auth_token_throttling.burst_limit > 0
    error_message = "auth_token_throttling limits must be positive."
  }
}

variable "app_namespace" {
  description = "Namespace of the app (the kustomize overlay's namespace)."
  type        = string
}

variable "app_secret_name_patterns" {
  description = "Secret names (IAM patterns) the app's SecretStore may read: infra-postgres' oficina_app and oficina_owner role secrets."
  type        = list(string)
}

variable "app_secrets_kms_key_arns" {
  description = "Customer-managed KMS keys of those secrets: infra-postgres output kms_key_arn (empty for aws/secretsmanager)."
  type        = list(string)
  default     = []
}

variable "order_events_topic_arn" {
  description = "SNS FIFO topic of the order events (lambda-cpf output order_events_topic_arn): the outbox relay publishes there (its role's sns:Publish and its OUTBOX_TOPIC_ARN)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+\\.fifo$", var.order_events_topic_arn))
    error_message = "order_events_topic_arn must be the ARN of an SNS FIFO topic (ending in .fifo): lambda-cpf's output of that name."
  }
}

variable "order_events_kms_key_arn" {
  description = "KMS key of that topic (lambda-cpf output kms_key_arn): the relay's role may GenerateDataKey/Decrypt with it through SNS."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.order_events_kms_key_arn))
    error_message = "order_events_kms_key_arn must be a KMS key ARN (arn:...:key/<id>, not an alias): lambda-cpf's output kms_key_arn."
  }
}
