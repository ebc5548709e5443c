variable "name" {
  description = "Name prefix of every network resource (e.g. oficina-homolog)."
  type        = string
}

variable "cidr_block" {
  description = "CIDR of the VPC (a /16 is expected: subnets are carved from it)."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 16
    error_message = "cidr_block must be a valid IPv4 CIDR of size /16 or larger."
  }
}

variable "azs" {
  description = "Availability zones to spread the subnets over (at least two)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 4
    error_message = "Use between two and four availability zones."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, not zone-redundant) instead of one per zone."
  type        = bool
  default     = false
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the flow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the flow logs, in days."
  type        = number
  default     = 365
}

variable "existing_iam_role_arn" {
  description = "An existing role for the flow-log delivery (AWS Academy Learner Lab: LabRole). Null creates a dedicated role."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
