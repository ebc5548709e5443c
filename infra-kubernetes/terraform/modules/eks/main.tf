data "aws_partition" "current" {}

locals {
  create_iam       = var.existing_iam_role_arn == null
  cluster_role_arn = local.create_iam ? aws_iam_role.cluster[0].arn : var.existing_iam_role_arn
  node_role_arn    = local.create_iam ? aws_iam_role.node[0].arn : var.existing_iam_role_arn
  log_types        = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}

module "secrets_key" {
  source = "../kms"

  alias       = "${var.name}-eks-secrets"
  description = "Envelope encryption of Kubernetes Secrets of ${var.name}"
  tags        = var.tags
}

# Created before the cluster so that retention and encryption apply from the first log line.
resource "aws_cloudwatch_log_group" "control_plane" {
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = var.tags
}

resource "aws_eks_cluster" "this" {
  #checkov:skip=CKV_AWS_39:The public endpoint is opt-in per environment (var.public_endpoint); its validation demands CIDRs that are not 0.0.0.0/0 and a written reason, and tests/terraform/test_hcl_policies.py asserts the same on every environment.
  #checkov:skip=CKV_AWS_38:Same variable: public_access_cidrs can never be 0.0.0.0/0 (validation in variables.tf and the HCL policy test).
  name                          = var.name
  version                       = var.kubernetes_version
  role_arn                      = local.cluster_role_arn
  enabled_cluster_log_types     = local.log_types
  bootstrap_self_managed_addons = false

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.public_endpoint.enabled
    public_access_cidrs     = var.public_endpoint.enabled ? var.public_endpoint.cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.secrets_key.key_arn
    }
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  upgrade_policy {
    support_type = var.upgrade_support_type
  }

  tags = var.tags

  depends_on = [
    aws_cloudwatch_log_group.control_plane,
    aws_iam_role_policy_attachment.cluster,
  ]
}

resource "aws_eks_access_entry" "admins" {
  for_each = toset(var.cluster_admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = var.tags
}

resource "aws_eks_access_policy_association" "admins" {
  for_each = toset(var.cluster_admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.admins]
}

# IRSA: the OIDC issuer of the cluster as an IAM identity provider (normal accounts only; the
# Learner Lab cannot create the roles that would trust it).
resource "aws_iam_openid_connect_provider" "this" {
  count = local.create_iam ? 1 : 0

  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}
