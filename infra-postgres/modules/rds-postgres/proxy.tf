# RDS Proxy for the auth Lambda: every invocation may open a connection; the proxy pools them so
# a burst of sign-ins cannot exhaust max_connections. Clients must use TLS and IAM authentication
# (rds-db:connect on proxy_auth_connect_arns); the proxy logs in to PostgreSQL with the role
# secret.

resource "aws_db_proxy" "this" {
  count = var.create_proxy ? 1 : 0

  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = local.proxy_role_arn
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [aws_security_group.proxy[0].id]
  require_tls            = true
  idle_client_timeout    = var.proxy_idle_client_timeout
  debug_logging          = false

  dynamic "auth" {
    for_each = toset(var.proxy_roles)
    content {
      description               = "Role ${auth.key}"
      auth_scheme               = "SECRETS"
      iam_auth                  = var.proxy_iam_auth
      client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
      secret_arn                = aws_secretsmanager_secret.role[auth.key].arn
    }
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.proxy]
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.create_proxy ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    max_connections_percent      = var.proxy_max_connections_percent
    max_idle_connections_percent = floor(var.proxy_max_connections_percent / 2)
    connection_borrow_timeout    = 30
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.create_proxy ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  target_group_name      = aws_db_proxy_default_target_group.this[0].name
  db_instance_identifier = aws_db_instance.this.identifier
}
