# State in S3 with S3-native locking (use_lockfile, Terraform >= 1.10: a .tflock object next to
# the state; no DynamoDB table). Bucket names are global: pass yours with
#   terraform init -backend-config="bucket=<your-state-bucket>"
# The bucket should have versioning and default encryption on (README, "Plan and apply").
terraform {
  backend "s3" {
    bucket       = "oficina-terraform-state"
    key          = "infra-kubernetes/production/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
