###############################################################################
# Identity
###############################################################################

variable "name" {
  description = "Name prefix of every resource (e.g. `oficina-homolog`). Used as the DB instance identifier."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}[a-z0-9]$", var.name))
    error_message = "name must be 4-42 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (`homolog` or `production`); production-only safeguards are enforced by validations below and by the policy tests."
  type        = string

  validation {
    condition     = contains(["homolog", "production"], var.environment)
    error_message = "environment must be homolog or production."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider default_tags)."
  type        = map(string)
  default     = {}
}

###############################################################################
# Network (from infra-kubernetes: its VPC, private subnets and node/pod security groups)
###############################################################################

variable "vpc_id" {
  description = "ID of the platform VPC (output of infra-kubernetes)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two, in different AZs) for the DB subnet group and the RDS Proxy. Never public subnets: the instance is not publicly accessible."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "RDS needs private subnets in at least two availability zones."
  }
}

variable "app_security_group_ids" {
  description = "Security groups of the Kubernetes nodes/pods running oficina-flask, dbt and the Datadog agent; the only sources allowed to reach the instance directly on the database port."
  type        = list(string)

  validation {
    condition     = length(var.app_security_group_ids) >= 1
    error_message = "At least one application (cluster nodes/pods) security group is required."
  }
}

variable "auth_lambda_security_group_ids" {
  description = "Extra security groups of the auth Lambda allowed to reach the RDS Proxy. The module also creates `proxy_client_security_group_id`, which the function can attach instead."
  type        = list(string)
  default     = []
}

variable "port" {
  description = "TCP port of the database and of the proxy."
  type        = number
  default     = 5432
}

###############################################################################
# Engine and instance
###############################################################################

variable "engine_version" {
  description = "PostgreSQL version: a major (`16`, `17`: AWS picks the default minor and auto minor upgrades apply) or a full `major.minor`. 16 or newer."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?$", var.engine_version)) && tonumber(split(".", var.engine_version)[0]) >= 16
    error_message = "engine_version must be PostgreSQL 16 or newer (e.g. \"16\", \"16.9\", \"17\")."
  }
}

variable "instance_class" {
  description = "DB instance class (Graviton burstable classes are enough for homolog)."
  type        = string
  default     = "db.t4g.small"
}

variable "allocated_storage" {
  description = "Initial storage in GiB (gp3)."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Upper bound in GiB for storage autoscaling (must be greater than allocated_storage)."
  type        = number
  default     = 100
}

variable "db_name" {
  description = "Name of the application database created with the instance."
  type        = string
  default     = "oficina"
}

variable "master_username" {
  description = "Master user name. Its password is generated, stored and rotated by RDS in Secrets Manager (manage_master_user_password); it is used only to run bootstrap/roles.sql."
  type        = string
  default     = "oficina_admin"
}

variable "ca_cert_identifier" {
  description = "Certificate authority of the server certificate clients verify (sslmode=verify-full)."
  type        = string
  default     = "rds-ca-rsa2048-g1"
}

variable "multi_az" {
  description = "Standby replica in a second AZ with automatic failover. Required in production."
  type        = bool
  default     = true

  validation {
    condition     = var.environment != "production" || var.multi_az
    error_message = "production must be Multi-AZ."
  }
}

variable "deletion_protection" {
  description = "Refuse DeleteDBInstance. Required in production."
  type        = bool
  default     = true

  validation {
    condition     = var.environment != "production" || var.deletion_protection
    error_message = "production must have deletion protection."
  }
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy (only sensible for throw-away homolog instances)."
  type        = bool
  default     = false

  validation {
    condition     = var.environment != "production" || !var.skip_final_snapshot
    error_message = "production always takes a final snapshot."
  }
}

variable "apply_immediately" {
  description = "Apply modifications immediately instead of in the maintenance window."
  type        = bool
  default     = false
}

###############################################################################
# Backups
###############################################################################

variable "backup_retention_period" {
  description = "Days of automated backups kept, which is also the point-in-time-recovery window. At least 7; production uses longer."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35
    error_message = "backup_retention_period must be between 7 and 35 days (point-in-time recovery for at least a week)."
  }

  validation {
    condition     = var.environment != "production" || var.backup_retention_period >= 14
    error_message = "production keeps at least 14 days of backups (point-in-time recovery)."
  }
}

variable "backup_window" {
  description = "Daily UTC window for the automated backup (must not overlap the maintenance window)."
  type        = string
  default     = "05:00-06:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window."
  type        = string
  default     = "sun:06:30-sun:07:30"
}

###############################################################################
# Parameters, logs, monitoring
###############################################################################

variable "log_min_duration_statement_ms" {
  description = "Statements slower than this (milliseconds) are logged with their duration (slow-query log, exported to CloudWatch)."
  type        = number
  default     = 500

  validation {
    condition     = var.log_min_duration_statement_ms >= 0
    error_message = "log_min_duration_statement_ms must be >= 0 (-1 would disable the slow-query log)."
  }
}

variable "cloudwatch_log_retention_days" {
  description = "Retention of the exported PostgreSQL logs in CloudWatch Logs."
  type        = number
  default     = 365
}

variable "monitoring_interval" {
  description = "Enhanced monitoring interval in seconds (OS metrics). 0 is not allowed: enhanced monitoring is always on."
  type        = number
  default     = 60

  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 1, 5, 10, 15, 30, 60."
  }
}

variable "database_insights_mode" {
  description = "CloudWatch Database Insights mode, the successor of the Performance Insights console: `standard` (7 days of Performance Insights included) or `advanced` (needs performance_insights_retention_period >= 465)."
  type        = string
  default     = "standard"

  validation {
    condition     = contains(["standard", "advanced"], var.database_insights_mode)
    error_message = "database_insights_mode must be standard or advanced."
  }
}

variable "performance_insights_retention_period" {
  description = "Days of Performance Insights data kept (7 is the free tier; otherwise a multiple of 31, up to 731)."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_period == 7 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period <= 731)
    error_message = "performance_insights_retention_period must be 7 or a multiple of 31 up to 731."
  }
}

###############################################################################
# Encryption
###############################################################################

variable "kms_key_arn" {
  description = "Existing customer-managed KMS key to use for storage, Performance Insights, secrets and logs. null creates a dedicated key (recommended)."
  type        = string
  default     = null
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a scheduled deletion of the created KMS key."
  type        = number
  default     = 30
}

###############################################################################
# IAM: normal account (roles created here) or AWS Academy Learner Lab (existing role)
###############################################################################

variable "existing_monitoring_role_arn" {
  description = "ARN of an existing role RDS enhanced monitoring can assume (AWS Academy Learner Lab: the LabRole). null creates a dedicated role with AmazonRDSEnhancedMonitoringRole."
  type        = string
  default     = null
}

variable "existing_proxy_role_arn" {
  description = "ARN of an existing role the RDS Proxy assumes to read the database user secrets (Learner Lab: the LabRole). null creates a dedicated least-privilege role."
  type        = string
  default     = null
}

###############################################################################
# Database role secrets and RDS Proxy
###############################################################################

variable "database_roles" {
  description = "Login roles created by bootstrap/roles.sql that get a Secrets Manager secret ({engine, host, port, dbname, username, password}); the password is generated at apply time and written write-only (never in the state). bootstrap/set_role_passwords.py copies it into PostgreSQL."
  type        = list(string)
  default     = ["oficina_owner", "oficina_app", "oficina_auth", "oficina_analytics", "datadog"]
}

variable "role_password_version" {
  description = "Bump to generate and write new passwords for every role secret (then run bootstrap/set_role_passwords.py)."
  type        = number
  default     = 1
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted role secret can still be restored."
  type        = number
  default     = 30
}

variable "create_proxy" {
  description = "Create the RDS Proxy in front of the instance for the auth Lambda (many short-lived connections)."
  type        = bool
  default     = true
}

variable "proxy_roles" {
  description = "Database roles (among database_roles) the RDS Proxy can log in as; clients authenticate to the proxy with IAM and TLS."
  type        = list(string)
  default     = ["oficina_auth"]

  validation {
    condition     = alltrue([for role in var.proxy_roles : contains(var.database_roles, role)])
    error_message = "Every proxy role must be one of database_roles (it needs a secret)."
  }
}

variable "proxy_iam_auth" {
  description = "How clients authenticate to the RDS Proxy: REQUIRED (IAM token from rds-db:connect, recommended) or DISABLED (the role password from its secret, SCRAM; only if the caller cannot be granted rds-db:connect). TLS is required either way."
  type        = string
  default     = "REQUIRED"

  validation {
    condition     = contains(["REQUIRED", "DISABLED"], var.proxy_iam_auth)
    error_message = "proxy_iam_auth must be REQUIRED or DISABLED."
  }
}

variable "proxy_idle_client_timeout" {
  description = "Seconds an idle client connection to the proxy is kept."
  type        = number
  default     = 1800
}

variable "proxy_max_connections_percent" {
  description = "Share of the instance max_connections the proxy may open."
  type        = number
  default     = 50
}
