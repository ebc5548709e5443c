provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      project     = "oficina"
      environment = "production"
      managed-by  = "terraform"
      repository  = "lambda-cpf"
    }
  }
}

module "serverless" {
  source = "../../modules/oficina-serverless"

  name         = "oficina-production"
  environment  = "production"
  lab_role_arn = var.lab_role_arn
  package_path = var.package_path
  version_tag  = var.version_tag

  # auth function
  auth_issuer                    = var.auth_issuer
  auth_reserved_concurrency      = var.auth_reserved_concurrency
  private_subnet_ids             = var.private_subnet_ids
  proxy_client_security_group_id = var.proxy_client_security_group_id
  rds_proxy_endpoint             = var.rds_proxy_endpoint
  db_name                        = var.db_name
  rds_proxy_auth_connect_arns    = var.rds_proxy_auth_connect_arns
  api_gateway_execution_arn      = var.api_gateway_execution_arn

  # notification function
  notify_reserved_concurrency = var.notify_reserved_concurrency
  ses_identity                = var.ses_identity
  email_source                = var.email_source
  sms_enabled                 = var.sms_enabled
  publisher_role_arns         = var.publisher_role_arns
  alarm_actions               = var.alarm_actions
  deletion_protection         = var.deletion_protection

  log_retention_days               = var.log_retention_days
  signing_key_recovery_window_days = var.signing_key_recovery_window_days

  datadog_python_layer_arn    = var.datadog_python_layer_arn
  datadog_extension_layer_arn = var.datadog_extension_layer_arn
  datadog_api_key_secret_arn  = var.datadog_api_key_secret_arn
  datadog_site                = var.datadog_site
}
