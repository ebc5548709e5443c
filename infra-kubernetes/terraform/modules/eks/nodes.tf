resource "aws_launch_template" "nodes" {
  name_prefix            = "${var.name}-nodes-"
  update_default_version = true

  # IMDSv2 only. A hop limit of 1 keeps pods (which are one hop further) away from the node's
  # credentials, so workloads must use IRSA or Pod Identity. The Learner Lab needs 2 (see README).
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = var.imds_hop_limit
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.node_disk_size_gib
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-node" })
  }

  tags = var.tags
}

resource "aws_eks_node_group" "this" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.name}-default"
  node_role_arn   = local.node_role_arn
  subnet_ids      = var.private_subnet_ids
  ami_type        = var.node_ami_type
  capacity_type   = var.node_capacity_type
  instance_types  = var.node_instance_types

  scaling_config {
    min_size     = var.node_min_size
    desired_size = var.node_desired_size
    max_size     = var.node_max_size
  }

  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }

  labels = {
    "oficina.io/node-pool" = "default"
  }

  tags = var.tags

  # The autoscaler (or a person) changes desired_size; Terraform must not fight it.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [
    aws_iam_role_policy_attachment.node,
    aws_eks_addon.before_nodes,
  ]
}
