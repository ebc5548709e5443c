variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "allow_cloudwatch_logs" {
  description = "Whether CloudWatch Logs of this account and region may use the key (log group encryption)."
  type        = bool
  default     = false
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
