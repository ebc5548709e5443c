variable "name" {
  description = "Name prefix (e.g. oficina-homolog)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the load balancer (one per zone)."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group allowed to reach the listener (the API Gateway VPC link)."
  type        = string
}

variable "target_security_group_id" {
  description = "Security group of the targets (the EKS cluster security group carried by the pods)."
  type        = string
}

variable "listener_port" {
  description = "Port of the TCP listener."
  type        = number
  default     = 80
}

variable "target_port" {
  description = "Port the app listens on (runtime contract: 8000)."
  type        = number
  default     = 8000
}

variable "deregistration_delay_seconds" {
  description = "Connection draining when a pod leaves; below the pod's terminationGracePeriodSeconds."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Protect the load balancer against deletion."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
