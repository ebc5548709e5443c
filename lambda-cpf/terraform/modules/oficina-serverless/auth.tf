# The CPF authentication function (README "Package and deploy"): in the VPC to reach the RDS
# Proxy with IAM auth, signing key in Secrets Manager, invoked by API Gateway through alias live.

resource "aws_secretsmanager_secret" "signing_key" {
  #checkov:skip=CKV2_AWS_57:the signing key is rotated by the documented two-step procedure (README "Keys and rotation": put-secret-value, then publish a new version so every environment reloads; JWKS keeps AWSPREVIOUS); a rotation Lambda would rotate without the reload step.
  name                    = "${var.name}/auth/signing-key"
  description             = "PEM (PKCS#8) RS256 private key of the auth function; AWSCURRENT signs, AWSPREVIOUS stays in the JWKS. Value set out of band (never in Terraform state)."
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.signing_key_recovery_window_days
  tags                    = local.tags
}

resource "aws_cloudwatch_log_group" "auth" {
  name              = "/aws/lambda/${local.auth_function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_lambda_function" "auth" {
  #checkov:skip=CKV_AWS_116:synchronous API Gateway invocations never use a function DLQ (it only applies to asynchronous invokes); errors are answered to the caller and counted in oficina.auth.attempts.
  #checkov:skip=CKV_AWS_272:code signing needs an AWS Signer profile, which the Learner Lab does not offer; the zip is reproducible and its SHA-256 is printed by make package and pinned in source_code_hash.
  function_name                  = local.auth_function_name
  description                    = "Oficina CPF authentication: RS256 JWTs and JWKS (lambda-cpf)"
  role                           = local.create_iam ? aws_iam_role.auth[0].arn : var.lab_role_arn
  runtime                        = "python3.11"
  architectures                  = ["x86_64"]
  filename                       = var.package_path
  source_code_hash               = local.package_hash
  handler                        = local.datadog ? "datadog_lambda.handler.handler" : local.auth_handler
  layers                         = local.dd_layers
  memory_size                    = var.auth_memory_mb
  timeout                        = var.auth_timeout_seconds
  reserved_concurrent_executions = var.auth_reserved_concurrency
  publish                        = true
  kms_key_arn                    = aws_kms_key.this.arn

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [var.proxy_client_security_group_id]
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text" # our lines are already JSON (log contract)
    log_group  = aws_cloudwatch_log_group.auth.name
  }

  environment {
    variables = merge(
      {
        DATABASE_URL               = "postgresql://oficina_auth@${var.rds_proxy_endpoint}:5432/${var.db_name}"
        AUTH_ISSUER                = var.auth_issuer
        AUTH_AUDIENCE              = "oficina-api"
        AUTH_TOKEN_TTL_SECONDS     = tostring(var.auth_token_ttl_seconds)
        AUTH_SIGNING_KEY_SECRET_ID = aws_secretsmanager_secret.signing_key.arn
        DB_IAM_AUTH                = "true"
        DB_SSLMODE                 = "require"
        DB_STATEMENT_TIMEOUT_MS    = "0" # set on the role (ALTER ROLE ... SET): no pinning at the proxy
        LOG_LEVEL                  = var.log_level
        DD_SERVICE                 = "auth-cpf"
      },
      local.dd_common,
      local.datadog ? { DD_LAMBDA_HANDLER = local.auth_handler } : {},
    )
  }

  tags = local.tags

  depends_on = [aws_cloudwatch_log_group.auth]
}

resource "aws_lambda_alias" "auth_live" {
  name             = "live"
  description      = "The version API Gateway invokes; move it to roll out or back."
  function_name    = aws_lambda_function.auth.function_name
  function_version = aws_lambda_function.auth.version
}

resource "aws_lambda_permission" "api_gateway_invokes_auth" {
  statement_id  = "AllowApiGatewayInvokeLive"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.auth.function_name
  qualifier     = aws_lambda_alias.auth_live.name
  principal     = "apigateway.amazonaws.com"
  # Only the routes of this API (any stage, any method on the auth routes).
  source_arn = "${var.api_gateway_execution_arn}/*/*"
}
