locals {
  # vpc-cni, kube-proxy and the Pod Identity agent must exist before nodes join; coredns and
  # metrics-server need nodes to schedule on.
  addons_before_nodes = {
    "vpc-cni"                = var.addon_versions["vpc-cni"]
    "kube-proxy"             = var.addon_versions["kube-proxy"]
    "eks-pod-identity-agent" = var.addon_versions["eks-pod-identity-agent"]
  }
  addons_after_nodes = {
    "coredns"        = var.addon_versions["coredns"]
    "metrics-server" = var.addon_versions["metrics-server"]
  }
  # The VPC CNI enforces NetworkPolicy only when asked to (its network policy agent): without
  # this, the manifests' NetworkPolicies would be accepted and silently ignored.
  addon_configuration = {
    "vpc-cni" = jsonencode({ enableNetworkPolicy = "true" })
  }
}

resource "aws_eks_addon" "before_nodes" {
  for_each = local.addons_before_nodes

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value
  configuration_values        = lookup(local.addon_configuration, each.key, null)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = var.tags
}

resource "aws_eks_addon" "after_nodes" {
  for_each = local.addons_after_nodes

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = var.tags

  depends_on = [aws_eks_node_group.this]
}
