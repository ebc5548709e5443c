provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "oficina"
      Environment = var.environment
      ManagedBy   = "terraform"
      Repository  = "infra-kubernetes"
    }
  }
}

locals {
  name       = "oficina-${var.environment}"
  create_iam = var.existing_iam_role_arn == null
}

module "logs_key" {
  source = "../../modules/kms"

  alias                 = "${local.name}-logs"
  description           = "Encryption of the ${local.name} CloudWatch log groups (flow logs, EKS control plane, API access logs)"
  allow_cloudwatch_logs = true
}

module "network" {
  source = "../../modules/network"

  name                  = local.name
  cidr_block            = var.vpc_cidr
  azs                   = var.azs
  single_nat_gateway    = var.single_nat_gateway
  logs_kms_key_arn      = module.logs_key.key_arn
  log_retention_days    = var.log_retention_days
  existing_iam_role_arn = var.existing_iam_role_arn
}

module "eks" {
  source = "../../modules/eks"

  name                         = local.name
  kubernetes_version           = var.kubernetes_version
  private_subnet_ids           = module.network.private_subnet_ids
  public_endpoint              = var.cluster_public_endpoint
  cluster_admin_principal_arns = var.cluster_admin_principal_arns
  existing_iam_role_arn        = var.existing_iam_role_arn
  logs_kms_key_arn             = module.logs_key.key_arn
  log_retention_days           = var.log_retention_days
  node_instance_types          = var.node_instance_types
  node_capacity_type           = var.node_capacity_type
  node_min_size                = var.node_min_size
  node_desired_size            = var.node_desired_size
  node_max_size                = var.node_max_size
  imds_hop_limit               = local.create_iam ? 1 : 2
}

module "ecr" {
  source = "../../modules/ecr"

  name_prefix  = local.name
  repositories = var.ecr_repositories
}

module "internal_lb" {
  source = "../../modules/internal-lb"

  name                     = local.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.private_subnet_ids
  client_security_group_id = module.api_gateway.vpc_link_security_group_id
  target_security_group_id = module.eks.cluster_security_group_id
  deletion_protection      = var.load_balancer_deletion_protection
}

module "api_gateway" {
  source = "../../modules/api-gateway"

  name                     = local.name
  jwt_issuer               = var.jwt_issuer
  jwt_audience             = var.jwt_audience
  auth_lambda_function_arn = var.auth_lambda_function_arn
  auth_lambda_invoke_arn   = var.auth_lambda_invoke_arn
  vpc_id                   = module.network.vpc_id
  private_subnet_ids       = module.network.private_subnet_ids
  nlb_listener_arn         = module.internal_lb.listener_arn
  nlb_security_group_id    = module.internal_lb.security_group_id
  throttling               = var.api_throttling
  auth_token_throttling    = var.auth_token_throttling
  logs_kms_key_arn         = module.logs_key.key_arn
  log_retention_days       = var.log_retention_days
}

module "workload_iam" {
  source = "../../modules/workload-iam"

  create                   = local.create_iam
  name                     = local.name
  cluster_name             = module.eks.cluster_name
  oidc_provider_arn        = module.eks.oidc_provider_arn
  oidc_issuer_url          = module.eks.oidc_issuer_url
  app_namespace            = var.app_namespace
  app_secret_name_patterns = var.app_secret_name_patterns
  app_secrets_kms_key_arns = var.app_secrets_kms_key_arns
  lbc_target_group_arns    = [module.internal_lb.target_group_arn]
  relay_topic_arn          = var.order_events_topic_arn
  relay_topic_kms_key_arn  = var.order_events_kms_key_arn
}
