output "app_role_arn" {
  description = "IRSA role of the app's service account (the eks.amazonaws.com/role-arn annotation); null when not created."
  value       = try(aws_iam_role.app[0].arn, null)
}

output "relay_role_arn" {
  description = "IRSA role of the outbox relay's service account (sns:Publish on the order-events topic); null when not created."
  value       = try(aws_iam_role.relay[0].arn, null)
}

output "lbc_role_arn" {
  description = "Role of the AWS Load Balancer Controller (Pod Identity); null when not created."
  value       = try(aws_iam_role.lbc[0].arn, null)
}
