output "listener_arn" {
  description = "Listener ARN the API Gateway VPC link integration targets."
  value       = aws_lb_listener.this.arn
}

output "target_group_arn" {
  description = "Target group the TargetGroupBinding of the app Service binds to."
  value       = aws_lb_target_group.this.arn
}

output "security_group_id" {
  description = "Security group of the NLB."
  value       = aws_security_group.this.id
}

output "load_balancer_arn" {
  description = "ARN of the internal NLB."
  value       = aws_lb.this.arn
}

output "dns_name" {
  description = "Private DNS name of the internal NLB."
  value       = aws_lb.this.dns_name
}
