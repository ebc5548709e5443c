variable "name" {
  description = "Name of the cluster (also the prefix of its resources)."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane (the manifests are validated against it)."
  type        = string
  default     = "1.31"
}

variable "upgrade_support_type" {
  description = "STANDARD or EXTENDED support once the version leaves standard support."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.upgrade_support_type)
    error_message = "upgrade_support_type is STANDARD or EXTENDED."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets, one per availability zone, for the control-plane ENIs and the nodes."
  type        = list(string)
}

variable "public_endpoint" {
  description = "Public API endpoint of the cluster. Off by default (the private endpoint is always on). When enabled it needs the CIDRs allowed to reach it (never 0.0.0.0/0) and the reason it exists."
  type = object({
    enabled = bool
    cidrs   = list(string)
    reason  = string
  })
  default = {
    enabled = false
    cidrs   = []
    reason  = ""
  }

  validation {
    condition = !var.public_endpoint.enabled || (
      length(var.public_endpoint.cidrs) > 0 &&
      alltrue([for c in var.public_endpoint.cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && c != "::/0"]) &&
      length(trimspace(var.public_endpoint.reason)) >= 10
    )
    error_message = "An enabled public endpoint needs explicit CIDRs (never 0.0.0.0/0) and a reason of at least 10 characters."
  }
}

variable "cluster_admin_principal_arns" {
  description = "IAM principals (roles of the deploy pipeline, administrators) given cluster-admin through EKS access entries."
  type        = list(string)
  default     = []
}

variable "existing_iam_role_arn" {
  description = "An existing role used as cluster role and node role instead of creating them (AWS Academy Learner Lab: LabRole). Null creates dedicated roles."
  type        = string
  default     = null
}

variable "logs_kms_key_arn" {
  description = "KMS key that encrypts the control-plane log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the control-plane logs, in days."
  type        = number
  default     = 365
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type is ON_DEMAND or SPOT."
  }
}

variable "node_ami_type" {
  description = "AMI family of the nodes."
  type        = string
  default     = "AL2023_x86_64_STANDARD"
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
}

variable "node_desired_size" {
  description = "Initial number of nodes (later changes are ignored: scaling owns it)."
  type        = number
}

variable "node_max_size" {
  description = "Maximum number of nodes."
  type        = number

  validation {
    condition     = var.node_max_size >= 1
    error_message = "node_max_size must be at least 1."
  }
}

variable "node_disk_size_gib" {
  description = "Root volume size of each node, in GiB."
  type        = number
  default     = 50
}

variable "imds_hop_limit" {
  description = "IMDSv2 response hop limit on the nodes: 1 keeps pods away from node credentials; 2 only where pods must use them (Learner Lab)."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2], var.imds_hop_limit)
    error_message = "imds_hop_limit is 1 or 2."
  }
}

variable "addon_versions" {
  description = "Versions of the EKS add-ons; null picks the default version for the cluster's Kubernetes version."
  type = object({
    vpc-cni                = optional(string)
    coredns                = optional(string)
    kube-proxy             = optional(string)
    metrics-server         = optional(string)
    eks-pod-identity-agent = optional(string)
  })
  default = {}
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
