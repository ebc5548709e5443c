variable "name_prefix" {
  description = "Prefix of the KMS alias (e.g. oficina-homolog)."
  type        = string
}

variable "repositories" {
  description = "Repository names to create."
  type        = list(string)
}

variable "keep_images" {
  description = "How many images each repository keeps (older ones expire)."
  type        = number
  default     = 50
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images expire."
  type        = number
  default     = 14
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
