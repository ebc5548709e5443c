variable "create" {
  description = "Create the workload roles (false in the AWS Academy Learner Lab, which forbids creating IAM roles)."
  type        = bool
}

variable "name" {
  description = "Name prefix of the roles (e.g. oficina-homolog)."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster of the Pod Identity associations."
  type        = string
}

variable "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster (IRSA). Null when create = false."
  type        = string
  default     = null
}

variable "oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster."
  type        = string
}

variable "app_namespace" {
  description = "Namespace of the app."
  type        = string
}

variable "app_service_account" {
  description = "Service account of the app (used by the SecretStore to read the secrets)."
  type        = string
  default     = "oficina-flask"
}

variable "app_secret_name_patterns" {
  description = "Secrets Manager secret names the app's SecretStore may read, as IAM name patterns (infra-postgres names them <name>/db/<role>-<suffix>: e.g. oficina-homolog/db/oficina_app-*)."
  type        = list(string)

  validation {
    condition     = length(var.app_secret_name_patterns) > 0 && alltrue([for p in var.app_secret_name_patterns : can(regex("^[A-Za-z0-9_+=.@-]+/[A-Za-z0-9_+=.@/-]*[A-Za-z0-9_+=.@-]+-?\\*?$", p))])
    error_message = "Each pattern names a secret path (at least one slash); a bare * is not allowed."
  }
}

variable "app_secrets_kms_key_arns" {
  description = "Customer-managed KMS keys encrypting those secrets (empty when they use aws/secretsmanager)."
  type        = list(string)
  default     = []
}

variable "relay_service_account" {
  description = "Service account of the outbox relay (same namespace as the app)."
  type        = string
  default     = "oficina-outbox-relay"
}

variable "relay_topic_arn" {
  description = "SNS FIFO topic the outbox relay publishes to (lambda-cpf output order_events_topic_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+\\.fifo$", var.relay_topic_arn))
    error_message = "relay_topic_arn must be the ARN of an SNS FIFO topic (ending in .fifo)."
  }
}

variable "relay_topic_kms_key_arn" {
  description = "KMS key encrypting that topic (lambda-cpf output kms_key_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.relay_topic_kms_key_arn))
    error_message = "relay_topic_kms_key_arn must be a KMS key ARN (arn:...:key/<id>, not an alias)."
  }
}

variable "lbc_namespace" {
  description = "Namespace of the AWS Load Balancer Controller."
  type        = string
  default     = "kube-system"
}

variable "lbc_service_account" {
  description = "Service account of the AWS Load Balancer Controller."
  type        = string
  default     = "aws-load-balancer-controller"
}

variable "lbc_target_group_arns" {
  description = "Target groups the controller may register pods in."
  type        = list(string)
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
