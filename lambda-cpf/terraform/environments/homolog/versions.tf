terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100.0 is the version in the offline mirror used by the tests.
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}
