output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "vpc_id" {
  description = "VPC id (Helm value vpcId of the AWS Load Balancer Controller)."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets (infra-postgres puts the database and the RDS Proxy there)."
  value       = module.network.private_subnet_ids
}

output "cluster_security_group_id" {
  description = "Security group of the nodes and pods: infra-postgres admits it on 5432."
  value       = module.eks.cluster_security_group_id
}

output "vpc_cidr_block" {
  description = "VPC CIDR (the NetworkPolicy's ipBlock in the overlay)."
  value       = module.network.vpc_cidr_block
}

output "ecr_repository_urls" {
  description = "ECR repository URLs (the overlay's images: newName)."
  value       = module.ecr.repository_urls
}

output "api_endpoint" {
  description = "Public URL of the HTTP API."
  value       = module.api_gateway.api_endpoint
}

output "jwt_issuer" {
  description = "Issuer expected by the gateway: AUTH_ISSUER of lambda-cpf and JWT_ISSUER of the app."
  value       = module.api_gateway.jwt_issuer
}

output "target_group_arn" {
  description = "Target group of the internal NLB: spec.targetGroupARN of the app's TargetGroupBinding."
  value       = module.internal_lb.target_group_arn
}

output "internal_nlb_dns_name" {
  description = "Private DNS name of the internal NLB."
  value       = module.internal_lb.dns_name
}

output "app_irsa_role_arn" {
  description = "Role for the app's service account annotation eks.amazonaws.com/role-arn (null in the Learner Lab)."
  value       = module.workload_iam.app_role_arn
}

output "relay_irsa_role_arn" {
  description = "Role for the outbox relay's service account annotation eks.amazonaws.com/role-arn (null in the Learner Lab); lambda-cpf may list it in publisher_role_arns."
  value       = module.workload_iam.relay_role_arn
}

output "order_events_topic_arn" {
  description = "SNS FIFO topic the outbox relay publishes to (OUTBOX_TOPIC_ARN of the relay, through platform-values)."
  value       = var.order_events_topic_arn
}

output "load_balancer_controller_role_arn" {
  description = "Pod Identity role of the AWS Load Balancer Controller (null in the Learner Lab)."
  value       = module.workload_iam.lbc_role_arn
}
