# `terraform test` of the module, offline: the real AWS provider (from the mirror) plans with
# fake credentials and every account lookup skipped; the only data source that would call AWS
# (caller identity) is overridden. No apply: nothing is created, nothing leaves the machine.
# Checks the planned configuration, the Learner Lab switch and every production safeguard.

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
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

variables {
  name                   = "oficina-test"
  environment            = "homolog"
  vpc_id                 = "vpc-0abc1234def567890"
  private_subnet_ids     = ["subnet-0aaa1111bbb22223a", "subnet-0aaa1111bbb22223b"]
  app_security_group_ids = ["sg-0123456789abcdef0", "sg-0fedcba9876543210"]
  multi_az               = false
  deletion_protection    = false
  skip_final_snapshot    = true
}

run "normal_account_homolog" {
  command = plan

  assert {
    condition     = aws_db_instance.this.publicly_accessible == false && aws_db_instance.this.storage_encrypted
    error_message = "instance must be private and encrypted"
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.password == null && aws_db_instance.this.password_wo == null
    error_message = "the master password must be managed by RDS"
  }
  assert {
    condition     = aws_db_instance.this.performance_insights_enabled && aws_db_instance.this.database_insights_mode == "standard" && aws_db_instance.this.monitoring_interval == 60
    error_message = "Performance Insights and enhanced monitoring are on"
  }
  assert {
    condition     = toset(aws_db_instance.this.enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])
    error_message = "PostgreSQL logs are exported"
  }
  assert {
    condition     = length(aws_kms_key.this) == 1 && aws_kms_key.this[0].enable_key_rotation
    error_message = "a dedicated, rotating KMS key"
  }
  assert {
    condition     = length(aws_iam_role.monitoring) == 1 && length(aws_iam_role.proxy) == 1 && length(aws_iam_role_policy.proxy) == 1
    error_message = "a normal account creates the monitoring and proxy roles"
  }
  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.db_from_app) == 2 && alltrue([for r in aws_vpc_security_group_ingress_rule.db_from_app : contains(var.app_security_group_ids, r.referenced_security_group_id) && r.cidr_ipv4 == null && r.from_port == 5432])
    error_message = "one ingress rule per app security group, port 5432, no CIDR"
  }
  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "rds.force_ssl must be 1"
  }
  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "log_min_duration_statement"]) == "500"
    error_message = "slow-query log threshold from the variable"
  }
  assert {
    condition     = aws_db_parameter_group.this.family == "postgres16"
    error_message = "parameter group family follows the engine major"
  }
  assert {
    condition     = aws_db_proxy.this[0].require_tls && alltrue([for a in aws_db_proxy.this[0].auth : a.iam_auth == "REQUIRED" && a.auth_scheme == "SECRETS"])
    error_message = "proxy requires TLS and IAM"
  }
  assert {
    condition     = toset(keys(aws_secretsmanager_secret.role)) == toset(["oficina_owner", "oficina_app", "oficina_auth", "oficina_analytics", "datadog"])
    error_message = "one secret per database role"
  }
  assert {
    condition     = alltrue([for v in aws_secretsmanager_secret_version.role : v.secret_string == null && v.secret_string_wo == null && v.secret_string_wo_version == 1])
    error_message = "secret values are write-only: nothing in the plan or state"
  }
  assert {
    condition     = output.port == 5432 && output.db_name == "oficina"
    error_message = "outputs for the app"
  }
}

run "learner_lab_creates_no_iam_role" {
  command = plan

  variables {
    existing_monitoring_role_arn = "arn:aws:iam::123456789012:role/LabRole"
    existing_proxy_role_arn      = "arn:aws:iam::123456789012:role/LabRole"
  }

  assert {
    condition     = length(aws_iam_role.monitoring) == 0 && length(aws_iam_role.proxy) == 0 && length(aws_iam_role_policy.proxy) == 0 && length(aws_iam_role_policy_attachment.monitoring) == 0
    error_message = "Learner Lab mode must not create IAM roles"
  }
  assert {
    condition     = aws_db_instance.this.monitoring_role_arn == "arn:aws:iam::123456789012:role/LabRole" && aws_db_proxy.this[0].role_arn == "arn:aws:iam::123456789012:role/LabRole"
    error_message = "LabRole must be used for monitoring and the proxy"
  }
}

run "without_proxy" {
  command = plan

  variables {
    create_proxy = false
  }

  assert {
    condition     = length(aws_db_proxy.this) == 0 && length(aws_security_group.proxy) == 0 && length(aws_iam_role.proxy) == 0 && output.proxy_endpoint == null
    error_message = "no proxy, no proxy role, no proxy security groups"
  }
}

run "production_ok" {
  command = plan

  variables {
    environment             = "production"
    multi_az                = true
    deletion_protection     = true
    skip_final_snapshot     = false
    backup_retention_period = 30
  }

  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection && aws_db_instance.this.backup_retention_period == 30 && !aws_db_instance.this.skip_final_snapshot
    error_message = "production values reach the instance"
  }
}

run "production_refuses_single_az" {
  command = plan
  variables {
    environment             = "production"
    deletion_protection     = true
    skip_final_snapshot     = false
    backup_retention_period = 30
  }
  expect_failures = [var.multi_az]
}

run "production_refuses_no_deletion_protection" {
  command = plan
  variables {
    environment             = "production"
    multi_az                = true
    skip_final_snapshot     = false
    backup_retention_period = 30
  }
  expect_failures = [var.deletion_protection]
}

run "production_refuses_one_week_of_backups" {
  command = plan
  variables {
    environment             = "production"
    multi_az                = true
    deletion_protection     = true
    skip_final_snapshot     = false
    backup_retention_period = 7
  }
  expect_failures = [var.backup_retention_period]
}

run "production_refuses_skipping_the_final_snapshot" {
  command = plan
  variables {
    environment             = "production"
    multi_az                = true
    deletion_protection     = true
    backup_retention_period = 30
  }
  expect_failures = [var.skip_final_snapshot]
}

run "backups_at_least_a_week" {
  command = plan
  variables {
    backup_retention_period = 3
  }
  expect_failures = [var.backup_retention_period]
}

run "postgres_16_or_newer" {
  command = plan
  variables {
    engine_version = "15.7"
  }
  expect_failures = [var.engine_version]
}

run "private_subnets_in_two_azs" {
  command = plan
  variables {
    private_subnet_ids = ["subnet-0aaa1111bbb22223a"]
  }
  expect_failures = [var.private_subnet_ids]
}

run "proxy_roles_need_a_secret" {
  command = plan
  variables {
    proxy_roles = ["postgres"]
  }
  expect_failures = [var.proxy_roles]
}
