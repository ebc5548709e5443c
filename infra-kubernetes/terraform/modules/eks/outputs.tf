output "cluster_name" {
  description = "Name of the cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the Kubernetes API."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_security_group_id" {
  description = "Security group EKS creates for the control plane and the managed nodes (pods use it too with the VPC CNI defaults)."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_issuer_url" {
  description = "OIDC issuer of the cluster's service-account tokens."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider for IRSA (null when IAM is not created here)."
  value       = try(aws_iam_openid_connect_provider.this[0].arn, null)
}

output "secrets_kms_key_arn" {
  description = "KMS key that envelope-encrypts Kubernetes Secrets."
  value       = module.secrets_key.key_arn
}

output "node_role_arn" {
  description = "Role of the managed nodes."
  value       = local.node_role_arn
}
