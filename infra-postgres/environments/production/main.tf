provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      project     = "oficina"
      environment = "production"
      managed-by  = "terraform"
      repository  = "infra-postgres"
    }
  }
}

module "postgres" {
  source = "../../modules/rds-postgres"

  name        = "oficina-production"
  environment = "production"

  vpc_id                         = var.vpc_id
  private_subnet_ids             = var.private_subnet_ids
  app_security_group_ids         = var.app_security_group_ids
  auth_lambda_security_group_ids = var.auth_lambda_security_group_ids

  engine_version        = var.engine_version
  instance_class        = var.instance_class
  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage

  multi_az                = var.multi_az
  deletion_protection     = var.deletion_protection
  skip_final_snapshot     = var.skip_final_snapshot
  backup_retention_period = var.backup_retention_period

  performance_insights_retention_period = var.performance_insights_retention_period
  log_min_duration_statement_ms         = var.log_min_duration_statement_ms
  cloudwatch_log_retention_days         = var.cloudwatch_log_retention_days
  secret_recovery_window_in_days        = var.secret_recovery_window_in_days

  # Learner Lab: reuse LabRole; normal account: null, so the module creates the roles.
  existing_monitoring_role_arn = var.lab_role_arn
  existing_proxy_role_arn      = var.lab_role_arn
}
