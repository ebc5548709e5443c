# Who can open a TCP connection to the database:
#   instance SG (this) <- app_security_group_ids (cluster nodes/pods: oficina-flask, dbt, Datadog)
#                      <- proxy SG                (the RDS Proxy)
#   proxy SG           <- proxy_client SG         (attached to the auth Lambda)
#                      <- auth_lambda_security_group_ids
# No CIDR rule exists anywhere: every source is a security group.

locals {
  app_sources    = { for i, id in var.app_security_group_ids : "app-${i}" => id }
  lambda_sources = { for i, id in var.auth_lambda_security_group_ids : "lambda-${i}" => id }
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-db-"
  description = "PostgreSQL ${var.name}: only the cluster nodes/pods and the RDS Proxy"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-db" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  for_each = local.app_sources

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from cluster nodes/pods (${each.key})"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = each.value
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "db_from_proxy" {
  count = var.create_proxy ? 1 : 0

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = aws_security_group.proxy[0].id
  tags                         = local.tags
}

resource "aws_security_group" "proxy" {
  #checkov:skip=CKV2_AWS_5:Attached to aws_db_proxy.this (vpc_security_group_ids in proxy.tf); checkov's attachment graph does not know aws_db_proxy.
  count = var.create_proxy ? 1 : 0

  name_prefix = "${var.name}-proxy-"
  description = "RDS Proxy ${var.name}: only the auth Lambda"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-proxy" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "proxy_from_client" {
  count = var.create_proxy ? 1 : 0

  security_group_id            = aws_security_group.proxy[0].id
  description                  = "PostgreSQL from the auth Lambda (proxy client SG)"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = aws_security_group.proxy_client[0].id
  tags                         = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "proxy_from_lambda" {
  for_each = var.create_proxy ? local.lambda_sources : {}

  security_group_id            = aws_security_group.proxy[0].id
  description                  = "PostgreSQL from the auth Lambda (${each.key})"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = each.value
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "proxy_to_db" {
  count = var.create_proxy ? 1 : 0

  security_group_id            = aws_security_group.proxy[0].id
  description                  = "RDS Proxy to the PostgreSQL instance"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = aws_security_group.this.id
  tags                         = local.tags
}

# Attached to the auth Lambda by lambda-cpf (output proxy_client_security_group_id). Created here
# so the proxy rules need no input from the function's repository (no dependency cycle).
resource "aws_security_group" "proxy_client" {
  #checkov:skip=CKV2_AWS_5:Attached to the auth Lambda in lambda-cpf (output proxy_client_security_group_id); created here to avoid a dependency cycle between the two repositories.
  count = var.create_proxy ? 1 : 0

  name_prefix = "${var.name}-proxy-client-"
  description = "Attach to the auth Lambda: may reach the RDS Proxy of ${var.name}"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-proxy-client" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "client_to_proxy" {
  count = var.create_proxy ? 1 : 0

  security_group_id            = aws_security_group.proxy_client[0].id
  description                  = "Auth Lambda to the RDS Proxy"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = aws_security_group.proxy[0].id
  tags                         = local.tags
}
