# Two service roles: RDS enhanced monitoring and the RDS Proxy. In a normal AWS account they are
# created here with least privilege. In AWS Academy's Learner Lab, iam:CreateRole is denied:
# pass the existing LabRole ARN in existing_monitoring_role_arn / existing_proxy_role_arn and
# nothing below is created.

locals {
  create_monitoring_role = var.existing_monitoring_role_arn == null
  create_proxy_role      = var.create_proxy && var.existing_proxy_role_arn == null

  monitoring_role_arn = local.create_monitoring_role ? aws_iam_role.monitoring[0].arn : var.existing_monitoring_role_arn
  proxy_role_arn      = local.create_proxy_role ? aws_iam_role.proxy[0].arn : var.existing_proxy_role_arn
}

# --- Enhanced monitoring -----------------------------------------------------------------------

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = local.create_monitoring_role ? 1 : 0

  name_prefix        = "${var.name}-rds-mon-"
  description        = "RDS enhanced monitoring of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = local.create_monitoring_role ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# --- RDS Proxy: read the role secrets it logs in with, nothing else ------------------------------

data "aws_iam_policy_document" "proxy_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "proxy" {
  statement {
    sid       = "ReadProxyUserSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for role in var.proxy_roles : aws_secretsmanager_secret.role[role].arn]
  }

  statement {
    sid       = "DecryptThoseSecrets"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "proxy" {
  count = local.create_proxy_role ? 1 : 0

  name_prefix        = "${var.name}-rds-proxy-"
  description        = "RDS Proxy of ${var.name}: reads the secrets of ${join(", ", var.proxy_roles)}"
  assume_role_policy = data.aws_iam_policy_document.proxy_assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "proxy" {
  count = local.create_proxy_role ? 1 : 0

  name   = "read-db-user-secrets"
  role   = aws_iam_role.proxy[0].id
  policy = data.aws_iam_policy_document.proxy.json
}
