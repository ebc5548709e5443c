# Offline plan of the homolog root with its committed terraform.tfvars (loaded by terraform test):
# every module validation is evaluated against the real values. Fake credentials, no lookups;
# the caller identity is overridden and Secrets Manager is served by moto (see tests/).

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = module.postgres.data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

variables {
  vpc_id                 = "vpc-0abc1234def567890"
  private_subnet_ids     = ["subnet-0aaa1111bbb22223a", "subnet-0aaa1111bbb22223b"]
  app_security_group_ids = ["sg-0123456789abcdef0"]
}

run "plan_with_committed_tfvars" {
  command = plan

  assert {
    condition     = output.port == 5432 && output.db_name == "oficina"
    error_message = "the environment plans with its committed values"
  }
}

run "learner_lab_role" {
  command = plan

  variables {
    lab_role_arn = "arn:aws:iam::123456789012:role/LabRole"
  }

  assert {
    condition     = output.port == 5432
    error_message = "plans in Learner Lab mode"
  }
}
