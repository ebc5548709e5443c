mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111", arn = "arn:aws:iam::111111111111:user/test" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name                     = "test"
  auth_lambda_function_arn = "arn:aws:lambda:us-east-1:111111111111:function:auth"
  auth_lambda_invoke_arn   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:auth/invocations"
  jwt_issuer               = "https://auth.example.com"
  vpc_id                   = "vpc-0123456789abcdef0"
  private_subnet_ids       = ["subnet-aaaa", "subnet-bbbb"]
  nlb_listener_arn         = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/net/test/0123456789abcdef/0123456789abcdef"
  nlb_security_group_id    = "sg-0123456789abcdef0"
  logs_kms_key_arn         = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000"
  throttling               = { rate_limit = 100, burst_limit = 200 }
  auth_token_throttling    = { rate_limit = 5, burst_limit = 10 }
}

run "routes_authorizer_and_request_id" {
  command = plan

  assert {
    condition     = alltrue([for r in aws_apigatewayv2_route.app_protected : r.authorization_type == "JWT"])
    error_message = "every non-public route uses the JWT authorizer"
  }
  assert {
    condition     = alltrue([for r in concat(values(aws_apigatewayv2_route.lambda_public), values(aws_apigatewayv2_route.app_public)) : r.authorization_type == "NONE"])
    error_message = "public routes carry no authorizer"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.jwt.jwt_configuration[0].issuer == "https://auth.example.com" && aws_apigatewayv2_authorizer.jwt.jwt_configuration[0].audience == toset(["oficina-api"])
    error_message = "issuer and audience come from the variables (audience oficina-api by default)"
  }
  assert {
    condition     = aws_apigatewayv2_integration.app.request_parameters["overwrite:header.X-Request-ID"] == "$context.requestId"
    error_message = "the gateway's request id is forwarded as X-Request-ID"
  }
  assert {
    condition     = aws_apigatewayv2_integration.app.connection_type == "VPC_LINK" && aws_apigatewayv2_integration.app.integration_uri == var.nlb_listener_arn
    error_message = "the app is reached through the VPC link to the internal NLB listener"
  }
}

run "plain_http_issuer_is_rejected" {
  command = plan

  variables {
    jwt_issuer = "http://auth.example.com"
  }

  expect_failures = [var.jwt_issuer]
}
