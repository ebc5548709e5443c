environment = "homolog"
region      = "us-east-1"

# AWS Academy Learner Lab: set to "arn:aws:iam::<account-id>:role/LabRole" (README).
existing_iam_role_arn = null

vpc_cidr           = "10.20.0.0/16"
azs                = ["us-east-1a", "us-east-1b"]
single_nat_gateway = true

cluster_public_endpoint = {
  enabled = true
  # Replace with the egress CIDR of the deploy pipeline's runners (TEST-NET placeholder here).
  cidrs  = ["198.51.100.0/24"]
  reason = "homolog is deployed from hosted CI runners outside the VPC; only their egress range may reach the API"
}

node_instance_types = ["t3.large"]
node_capacity_type  = "ON_DEMAND"
node_min_size       = 2
node_desired_size   = 2
node_max_size       = 4

load_balancer_deletion_protection = false

# Outputs of lambda-cpf's Terraform for this environment (placeholders: replace before apply).
auth_lambda_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:oficina-homolog-auth"
auth_lambda_invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:oficina-homolog-auth/invocations"
order_events_topic_arn   = "arn:aws:sns:us-east-1:111111111111:oficina-homolog-order-events.fifo"
order_events_kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000"
jwt_issuer               = null
jwt_audience             = "oficina-api"

api_throttling = {
  rate_limit  = 50
  burst_limit = 100
}

auth_token_throttling = {
  rate_limit  = 5
  burst_limit = 10
}

app_namespace = "oficina-homolog"
app_secret_name_patterns = [
  "oficina-homolog/db/oficina_app-*",
  "oficina-homolog/db/oficina_owner-*",
]
# infra-postgres output kms_key_arn, once infra-postgres is applied (it needs this VPC first):
# app_secrets_kms_key_arns = ["arn:aws:kms:us-east-1:<account>:key/<id>"]
