terraform {
  # 1.11 is the first release with write-only arguments (secret_string_wo), used so that no
  # database password is ever stored in the Terraform state.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100.0 is the version in the offline mirror used by the tests; write-only arguments
      # and the ephemeral aws_secretsmanager_random_password need a recent 5.x.
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}
