output "api_id" {
  description = "Id of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Base URL of the API (the JWT_JWKS_URL of the app is <auth issuer>/.well-known/jwks.json)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "execution_arn" {
  description = "Execution ARN of the API."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "vpc_link_security_group_id" {
  description = "Security group of the VPC link ENIs."
  value       = aws_security_group.vpc_link.id
}

output "access_log_group_name" {
  description = "CloudWatch log group of the JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "jwt_issuer" {
  description = "Issuer the JWT authorizer expects: set AUTH_ISSUER of the auth Lambda and JWT_ISSUER of the app to it."
  value       = local.jwt_issuer
}
