# State in S3 with S3-native locking (use_lockfile, Terraform >= 1.10: no DynamoDB table needed).
# The bucket is per account, so it is given at init time:
#   terraform init -backend-config="bucket=<state bucket>"
# (see README.md "Terraform"; in the Learner Lab the bucket is created once per lab account).
terraform {
  backend "s3" {
    key          = "lambda-cpf/production/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
