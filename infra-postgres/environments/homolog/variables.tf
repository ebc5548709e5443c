variable "aws_region" {
  description = "AWS region (the Learner Lab only allows us-east-1 and us-west-2)."
  type        = string
  default     = "us-east-1"
}

variable "vpc_id" {
  description = "Platform VPC id: output of infra-kubernetes for the same environment (scripts/network-from-kubernetes.sh writes it to network.auto.tfvars.json)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnet ids of the platform VPC (output of infra-kubernetes)."
  type        = list(string)
}

variable "app_security_group_ids" {
  description = "Security groups of the cluster nodes/pods (output of infra-kubernetes)."
  type        = list(string)
}

variable "auth_lambda_security_group_ids" {
  description = "Optional extra security groups of the auth Lambda allowed to reach the RDS Proxy."
  type        = list(string)
  default     = []
}

variable "lab_role_arn" {
  description = "AWS Academy Learner Lab only: ARN of the existing LabRole, used instead of creating IAM roles for the RDS Proxy and enhanced monitoring. null (normal account) creates dedicated roles."
  type        = string
  default     = null
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL version (16 or newer)."
  type        = string
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
}

variable "multi_az" {
  description = "Multi-AZ standby."
  type        = bool
}

variable "deletion_protection" {
  description = "Deletion protection."
  type        = bool
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy."
  type        = bool
}

variable "backup_retention_period" {
  description = "Automated backup / point-in-time recovery window in days."
  type        = number
}

variable "performance_insights_retention_period" {
  description = "Performance Insights retention in days."
  type        = number
}

variable "log_min_duration_statement_ms" {
  description = "Slow-query log threshold in milliseconds."
  type        = number
}

variable "cloudwatch_log_retention_days" {
  description = "Retention of the exported PostgreSQL logs."
  type        = number
}

variable "secret_recovery_window_in_days" {
  description = "Recovery window of deleted role secrets."
  type        = number
}
