# RDS writes exported logs to /aws/rds/instance/<identifier>/<log type>. Creating the groups here
# gives them a retention period and our KMS key (RDS would otherwise create them unencrypted and
# kept forever).
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["postgresql", "upgrade"])

  name              = "/aws/rds/instance/${var.name}/${each.key}"
  retention_in_days = var.cloudwatch_log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = local.tags
}
