# AWS identities of the workloads. Normal account only: with var.create = false (AWS Academy
# Learner Lab, where roles cannot be created) nothing is created and the pods fall back to the
# node role (LabRole) through IMDS, which is why the Learner Lab sets imds_hop_limit = 2.

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  oidc_host = replace(var.oidc_issuer_url, "https://", "")

  secret_arns = [
    for p in var.app_secret_name_patterns :
    "arn:${data.aws_partition.current.partition}:secretsmanager:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:secret:${p}"
  ]
}

# ---- The app's service account (IRSA). External Secrets' SecretStore authenticates with this
# service account's token (spec.provider.aws.auth.jwt.serviceAccountRef), so the role can read
# only the two database secrets the app needs (oficina_app, oficina_owner for migrations); the app pods themselves do not mount AWS credentials.

data "aws_iam_policy_document" "app_assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["system:serviceaccount:${var.app_namespace}:${var.app_service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "app_secrets" {
  count = var.create ? 1 : 0

  statement {
    sid       = "ReadThisEnvironmentsSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = local.secret_arns
  }

  dynamic "statement" {
    for_each = length(var.app_secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptThoseSecrets"
      actions   = ["kms:Decrypt"]
      resources = var.app_secrets_kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "app" {
  count = var.create ? 1 : 0

  name               = "${var.name}-app"
  description        = "IRSA role of ${var.app_namespace}/${var.app_service_account}: reads the app database secrets"
  assume_role_policy = data.aws_iam_policy_document.app_assume[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "app" {
  count = var.create ? 1 : 0

  name   = "read-app-secrets"
  role   = aws_iam_role.app[0].id
  policy = data.aws_iam_policy_document.app_secrets[0].json
}

# ---- The outbox relay's service account (IRSA). python -m oficina.outbox.relay publishes the
# pending outbox events to lambda-cpf's SNS FIFO topic; the topic is encrypted with
# lambda-cpf's KMS key, so publishing also needs GenerateDataKey/Decrypt on that key, and only
# through SNS. It reads no secret (its DATABASE_URL is the app's Secret, synced by External
# Secrets with the app role).

data "aws_iam_policy_document" "relay_assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["system:serviceaccount:${var.app_namespace}:${var.relay_service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "relay" {
  count = var.create ? 1 : 0

  statement {
    sid       = "PublishToTheOrderEventsTopic"
    actions   = ["sns:Publish"]
    resources = [var.relay_topic_arn]
  }

  statement {
    sid       = "EncryptThroughSnsWithTheTopicsKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.relay_topic_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sns.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "relay" {
  count = var.create ? 1 : 0

  name               = "${var.name}-relay"
  description        = "IRSA role of ${var.app_namespace}/${var.relay_service_account}: publishes the outbox events to the order-events topic"
  assume_role_policy = data.aws_iam_policy_document.relay_assume[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "relay" {
  count = var.create ? 1 : 0

  name   = "publish-order-events"
  role   = aws_iam_role.relay[0].id
  policy = data.aws_iam_policy_document.relay[0].json
}

# ---- The AWS Load Balancer Controller (EKS Pod Identity). It is installed by Helm in the deploy
# pipeline; here it only binds pods to the target group Terraform created, so its policy is
# the TargetGroupBinding subset of the upstream policy, scoped to that target group.

data "aws_iam_policy_document" "lbc_assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "lbc" {
  count = var.create ? 1 : 0

  statement {
    sid = "DiscoverNetworkAndLoadBalancers"
    actions = [
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInstances",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetHealth",
    ]
    # Describe* calls do not support resource-level permissions.
    resources = ["*"]
  }

  statement {
    sid       = "RegisterPodsInTheAppTargetGroup"
    actions   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
    resources = var.lbc_target_group_arns
  }
}

resource "aws_iam_role" "lbc" {
  count = var.create ? 1 : 0

  name               = "${var.name}-lbc"
  description        = "AWS Load Balancer Controller of ${var.name} (TargetGroupBinding only)"
  assume_role_policy = data.aws_iam_policy_document.lbc_assume[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "lbc" {
  count = var.create ? 1 : 0

  name   = "target-group-binding"
  role   = aws_iam_role.lbc[0].id
  policy = data.aws_iam_policy_document.lbc[0].json
}

resource "aws_eks_pod_identity_association" "lbc" {
  count = var.create ? 1 : 0

  cluster_name    = var.cluster_name
  namespace       = var.lbc_namespace
  service_account = var.lbc_service_account
  role_arn        = aws_iam_role.lbc[0].arn
  tags            = var.tags
}
