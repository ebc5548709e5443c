data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  engine_major = split(".", var.engine_version)[0]
  kms_key_arn  = var.kms_key_arn != null ? var.kms_key_arn : aws_kms_key.this[0].arn

  tags = merge(var.tags, {
    "oficina:component"   = "infra-postgres"
    "oficina:environment" = var.environment
  })
}

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Private subnets of ${var.name} (no route to an internet gateway)"
  subnet_ids  = var.private_subnet_ids
  tags        = local.tags
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = var.port
  db_name        = var.db_name

  # Master credentials: RDS generates the password, stores it in Secrets Manager encrypted with
  # our key and rotates it. No password argument exists anywhere in this repository.
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = local.kms_key_arn
  # IAM database authentication is available for direct connections (roles granted rds_iam).
  iam_database_authentication_enabled = true

  # Storage, encrypted with the customer-managed key.
  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_encrypted     = true
  kms_key_id            = local.kms_key_arn

  # Network: private subnets only, reachable only through the security group below.
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  network_type           = "IPV4"
  ca_cert_identifier     = var.ca_cert_identifier
  multi_az               = var.multi_az

  parameter_group_name = aws_db_parameter_group.this.name

  # Backups and point-in-time recovery.
  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  delete_automated_backups  = false
  copy_tags_to_snapshot     = true
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = "${var.name}-final"
  deletion_protection       = var.deletion_protection

  # Upgrades.
  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  maintenance_window          = var.maintenance_window
  apply_immediately           = var.apply_immediately

  # Observability.
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  database_insights_mode                = var.database_insights_mode
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = local.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_period
  monitoring_interval                   = var.monitoring_interval
  monitoring_role_arn                   = local.monitoring_role_arn

  tags = local.tags

  # The log groups exist (with retention and encryption) before RDS starts exporting to them.
  depends_on = [aws_cloudwatch_log_group.this]
}
