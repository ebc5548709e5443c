mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name                = "test"
  private_subnet_ids  = ["subnet-aaaa", "subnet-bbbb"]
  logs_kms_key_arn    = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000"
  node_instance_types = ["t3.large"]
  node_min_size       = 2
  node_desired_size   = 2
  node_max_size       = 4
}

run "private_endpoint_and_encrypted_secrets_by_default" {
  command = plan

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && !aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "the API endpoint is private unless a variable says otherwise"
  }
  assert {
    condition     = one(aws_eks_cluster.this.encryption_config).resources == toset(["secrets"])
    error_message = "Kubernetes Secrets are envelope-encrypted with KMS"
  }
  assert {
    condition     = length(aws_eks_cluster.this.enabled_cluster_log_types) == 5
    error_message = "all five control-plane log types are enabled"
  }
  assert {
    condition     = aws_launch_template.nodes.metadata_options[0].http_tokens == "required" && aws_launch_template.nodes.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "nodes use IMDSv2 with hop limit 1"
  }
  assert {
    condition = toset(concat(keys(aws_eks_addon.before_nodes), keys(aws_eks_addon.after_nodes))) == toset([
      "vpc-cni", "coredns", "kube-proxy", "metrics-server", "eks-pod-identity-agent",
    ])
    error_message = "the five add-ons are managed"
  }
  assert {
    condition     = jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
    error_message = "the VPC CNI enforces NetworkPolicy"
  }
}

run "public_endpoint_with_cidrs_and_reason" {
  command = plan

  variables {
    public_endpoint = {
      enabled = true
      cidrs   = ["203.0.113.0/24"]
      reason  = "CI runners outside the VPC"
    }
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].public_access_cidrs == toset(["203.0.113.0/24"])
    error_message = "only the given CIDRs reach the public endpoint"
  }
}

run "learner_lab_uses_the_existing_role" {
  command = plan

  variables {
    existing_iam_role_arn = "arn:aws:iam::111111111111:role/LabRole"
  }

  assert {
    condition     = length(aws_iam_role.cluster) == 0 && length(aws_iam_role.node) == 0 && length(aws_iam_openid_connect_provider.this) == 0
    error_message = "no IAM role or OIDC provider is created with LabRole"
  }
  assert {
    condition     = aws_eks_cluster.this.role_arn == "arn:aws:iam::111111111111:role/LabRole" && aws_eks_node_group.this.node_role_arn == "arn:aws:iam::111111111111:role/LabRole"
    error_message = "cluster and nodes use LabRole"
  }
}
