environment = "production"
region      = "us-east-1"

# AWS Academy Learner Lab: set to "arn:aws:iam::<account-id>:role/LabRole" (README).
existing_iam_role_arn = null

vpc_cidr           = "10.30.0.0/16"
azs                = ["us-east-1a", "us-east-1b", "us-east-1c"]
single_nat_gateway = false

# Private endpoint only: production is deployed from a runner inside the VPC.
cluster_public_endpoint = {
  enabled = false
  cidrs   = []
  reason  = ""
}

node_instance_types = ["m6i.large"]
node_capacity_type  = "ON_DEMAND"
node_min_size       = 3
node_desired_size   = 3
node_max_size       = 8

load_balancer_deletion_protection = true

# Outputs of lambda-cpf's Terraform for this environment (placeholders: replace before apply).
auth_lambda_function_arn = "arn:aws:lambda:us-east-1:222222222222:function:oficina-production-auth"
auth_lambda_invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:222222222222:function:oficina-production-auth/invocations"
order_events_topic_arn   = "arn:aws:sns:us-east-1:222222222222:oficina-production-order-events.fifo"
order_events_kms_key_arn = "arn:aws:kms:us-east-1:222222222222:key/00000000-0000-0000-0000-000000000000"
jwt_issuer               = null
jwt_audience             = "oficina-api"

api_throttling = {
  rate_limit  = 200
  burst_limit = 400
}

auth_token_throttling = {
  rate_limit  = 10
  burst_limit = 20
}

app_namespace = "oficina-production"
app_secret_name_patterns = [
  "oficina-production/db/oficina_app-*",
  "oficina-production/db/oficina_owner-*",
]
# infra-postgres output kms_key_arn, once infra-postgres is applied (it needs this VPC first):
# app_secrets_kms_key_arns = ["arn:aws:kms:us-east-1:<account>:key/<id>"]
