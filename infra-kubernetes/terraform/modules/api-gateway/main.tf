# The HTTP API every request passes through. Route table (docs/contracts/runtime.md):
#   public, auth Lambda : POST /auth/token, GET /.well-known/{proxy+}
#   public, app         : GET /health/live, GET /health/ready, GET /docs, GET /docs/{proxy+},
#                         GET /openapi.json
#   JWT, app            : ANY /{proxy+} (everything else)

locals {
  lambda_public_routes = ["POST /auth/token", "GET /.well-known/{proxy+}"]
  app_public_routes    = ["GET /health/live", "GET /health/ready", "GET /docs", "GET /docs/{proxy+}", "GET /openapi.json"]
  app_protected_routes = ["ANY /{proxy+}"]

  jwt_issuer = coalesce(var.jwt_issuer, aws_apigatewayv2_api.this.api_endpoint)
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "Oficina API (${var.name}): auth Lambda and the app behind a VPC link"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "oficina-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = local.jwt_issuer
    audience = [var.jwt_audience]
  }
}

# ---- auth Lambda (deployed by lambda-cpf's own Terraform; only its ARNs come in here)

resource "aws_apigatewayv2_integration" "auth_lambda" {
  api_id                 = aws_apigatewayv2_api.this.id
  description            = "auth Lambda (lambda-cpf)"
  integration_type       = "AWS_PROXY"
  integration_uri        = var.auth_lambda_invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_ms
}

resource "aws_apigatewayv2_route" "lambda_public" {
  #checkov:skip=CKV_AWS_309:Public by the contract (docs/contracts/runtime.md): the token endpoint and the JWKS/OpenID discovery documents must be reachable without a token; tests/terraform/test_hcl_policies.py pins this list.
  for_each = toset(local.lambda_public_routes)

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.auth_lambda.id}"
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "auth_lambda" {
  for_each = {
    token = "*/POST/auth/token"
    wk    = "*/GET/.well-known/*"
  }

  statement_id  = "AllowApiGateway-${var.name}-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = var.auth_lambda_function_arn
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/${each.value}"
}

# ---- the app, through the VPC link to the internal NLB

resource "aws_security_group" "vpc_link" {
  name_prefix = "${var.name}-vpclink-"
  description = "API Gateway VPC link of ${var.name}: may only reach the internal NLB listener"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-vpclink" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "vpc_link_to_nlb" {
  security_group_id            = aws_security_group.vpc_link.id
  description                  = "To the internal NLB listener"
  ip_protocol                  = "tcp"
  from_port                    = var.nlb_listener_port
  to_port                      = var.nlb_listener_port
  referenced_security_group_id = var.nlb_security_group_id
}

resource "aws_apigatewayv2_vpc_link" "this" {
  name               = var.name
  subnet_ids         = var.private_subnet_ids
  security_group_ids = [aws_security_group.vpc_link.id]
  tags               = var.tags
}

resource "aws_apigatewayv2_integration" "app" {
  api_id                 = aws_apigatewayv2_api.this.id
  description            = "oficina-flask through the VPC link to the internal NLB"
  integration_type       = "HTTP_PROXY"
  integration_method     = "ANY"
  integration_uri        = var.nlb_listener_arn
  connection_type        = "VPC_LINK"
  connection_id          = aws_apigatewayv2_vpc_link.this.id
  payload_format_version = "1.0"
  timeout_milliseconds   = var.integration_timeout_ms

  # The request id of the gateway becomes the app's X-Request-ID (docs/contracts/auth.md,
  # "Request correlation"): one id from the access log to the app's JSON logs.
  request_parameters = {
    "overwrite:header.X-Request-ID" = "$context.requestId"
  }
}

resource "aws_apigatewayv2_route" "app_public" {
  #checkov:skip=CKV_AWS_309:Public by the contract (docs/contracts/runtime.md): health probes, the Swagger UI and the OpenAPI document carry no data; tests/terraform/test_hcl_policies.py pins this list.
  for_each = toset(local.app_public_routes)

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.app.id}"
  authorization_type = "NONE"
}

resource "aws_apigatewayv2_route" "app_protected" {
  for_each = toset(local.app_protected_routes)

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.app.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

# ---- stage: throttling and JSON access logs

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit    = var.throttling.rate_limit
    throttling_burst_limit   = var.throttling.burst_limit
    detailed_metrics_enabled = true
  }

  # Stricter on the token endpoint: it checks credentials (brute force) and costs a Lambda call.
  route_settings {
    route_key                = "POST /auth/token"
    throttling_rate_limit    = var.auth_token_throttling.rate_limit
    throttling_burst_limit   = var.auth_token_throttling.burst_limit
    detailed_metrics_enabled = true
  }

  # No headers, query strings or bodies: nothing personal (CPF) or secret (tokens) is logged.
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      path               = "$context.path"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integration.latency"
      integrationStatus  = "$context.integration.status"
      integrationError   = "$context.integration.error"
      authorizerError    = "$context.authorizer.error"
      errorMessage       = "$context.error.message"
      sourceIp           = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
    })
  }

  tags = var.tags

  depends_on = [aws_apigatewayv2_route.lambda_public]
}
